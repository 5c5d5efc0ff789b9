"""tools/build_masks.py end to end: motion detector and a random mmdet
Faster R-CNN on a tiny synthetic set; resumable; both cache formats."""
import json
import os.path as osp

import pytest

from mmddl.data_generation import make_synthetic_dataset
from mmddl.testing.tools import run_tool
from mmddl.tracking import BoxCache


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('masks') / 'synthetic')
    make_synthetic_dataset(root, seed=2, train_videos=2, test_videos=1,
                           frames=16)
    return root


def options(root, out):
    return ['--cfg-options', f'train_dataloader.dataset.data_root={root}',
            f'box_cache={out}']


def test_motion_masks_end_to_end(data_root, tmp_path):
    out = str(tmp_path / 'boxes.json')
    authors = str(tmp_path / 'tracked_bounding_boxes.json')
    result = run_tool(['tools/build_masks.py',
                       'configs/masks/motion_ocsort_synthetic.py',
                       '--authors-json', authors] + options(data_root, out))
    assert 'frames/s' in result.stdout
    cache = BoxCache.load(out)
    assert sorted(cache.videos) == ['01', '02']
    assert cache.tracks_in_window('01', [4, 5, 6])
    # the authors' format holds every training frame and the same boxes
    raw = json.load(open(authors))
    assert len(raw) == 32
    again = BoxCache.load(
        authors, frame_paths={v: sorted(p for p in raw if f'/{v}/' in p)
                              for v in ('01', '02')})
    assert again.videos == cache.videos
    # a second run keeps the cache and says so
    rerun = run_tool(['tools/build_masks.py',
                      'configs/masks/motion_ocsort_synthetic.py'] +
                     options(data_root, out))
    assert 'exists (same settings)' in rerun.stdout
    # other tracker settings invalidate the cache
    changed = run_tool(['tools/build_masks.py',
                        'configs/masks/motion_ocsort_synthetic.py'] +
                       options(data_root, out) + ['tracker.match_iou_thr=0.2'])
    assert 'rebuilding' in changed.stdout
    assert BoxCache.load(out).meta['tracker']['match_iou_thr'] == 0.2


def test_random_faster_rcnn_end_to_end(data_root, tmp_path):
    out = str(tmp_path / 'frcnn_boxes.json')
    result = run_tool(['tools/build_masks.py',
                       'tests/data/configs/random_faster_rcnn_masks.py'] +
                      options(data_root, out), timeout=600, check=False)
    assert 'frames/s' in result.stdout
    # random weights box noise that no track follows over a window: the
    # cache is written, and the tool says DDL would have nothing to corrupt
    assert result.returncode != 0
    assert 'DDL would have nothing to corrupt' in result.stderr
    cache = BoxCache.load(out)
    assert cache.num_frames == {'01': 16, '02': 16}
    assert cache.meta['detector']['type'] == 'MMDetDetector'


def test_missing_detector_checkpoint_names_the_key(data_root, tmp_path):
    result = run_tool(['tools/build_masks.py',
                       'configs/masks/faster-rcnn_ocsort_synthetic.py'] +
                      options(data_root, str(tmp_path / 'b.json')),
                      check=False)
    assert result.returncode != 0
    assert 'detector.checkpoint' in result.stderr


def test_visualize_tracks_writes_sheets_and_videos(data_root, tmp_path):
    import cv2
    out = str(tmp_path / 'boxes.json')
    run_tool(['tools/build_masks.py',
              'configs/masks/motion_ocsort_synthetic.py'] +
             options(data_root, out))
    vis = tmp_path / 'vis'
    for extra in ([], ['--video']):
        run_tool(['tools/visualize_tracks.py',
                  'configs/masks/motion_ocsort_synthetic.py', '--cache', out,
                  '--out-dir', str(vis), '--videos', '01', '--interval', '4'] +
                 extra + ['--cfg-options',
                          f'train_dataloader.dataset.data_root={data_root}'])
    sheet = cv2.imread(str(vis / '01.png'))
    assert sheet is not None and sheet.shape[0] >= 256
    capture = cv2.VideoCapture(str(vis / '01.avi'))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert frames == 16
    assert sorted(p.name for p in vis.iterdir()) == ['01.avi', '01.png']


def test_force_on_one_dataset_leaves_anothers_cache_alone(tmp_path):
    roots = {}
    for name, seed in (('a', 5), ('b', 6)):
        roots[name] = str(tmp_path / name)
        make_synthetic_dataset(roots[name], seed=seed, train_videos=1,
                               test_videos=1, frames=16)
    config = 'configs/masks/motion_ocsort_synthetic.py'
    run_tool(['tools/build_masks.py', config, '--cfg-options',
              f'data_root={roots["a"]}'])
    cache_a = osp.join(roots['a'], 'boxes', 'train_boxes.json')
    before = open(cache_a, 'rb').read()
    result = run_tool(['tools/build_masks.py', config, '--force',
                       '--cfg-options', f'data_root={roots["b"]}'])
    # each root gets its own cache, the other is untouched
    assert open(cache_a, 'rb').read() == before
    cache_b = osp.join(roots['b'], 'boxes', 'train_boxes.json')
    assert BoxCache.load(cache_b).meta['data_root'] == osp.abspath(
        roots['b'])
    assert 'training windows' in result.stdout  # the mask share is told


def test_masks_that_vanish_are_an_error(tmp_path):
    root = str(tmp_path / 'mine')
    make_synthetic_dataset(root, seed=5, train_videos=1, test_videos=1,
                           frames=16)
    # a detector tuned for objects far larger than this camera's
    result = run_tool(['tools/build_masks.py',
                       'configs/masks/motion_ocsort_synthetic.py',
                       '--cfg-options', f'data_root={root}',
                       'detector.min_area=100000'], check=False)
    assert result.returncode != 0
    assert 'training windows (0.0%)' in result.stderr, result.stderr
    assert 'min_area' in result.stderr


def test_sharded_build_equals_a_single_process_build(tmp_path):
    root = str(tmp_path / 'three')
    make_synthetic_dataset(root, seed=8, train_videos=3, test_videos=1,
                           frames=16)
    config = 'configs/masks/motion_ocsort_synthetic.py'
    single = str(tmp_path / 'single.json')
    run_tool(['tools/build_masks.py', config, '--out', single,
              '--cfg-options', f'data_root={root}'])
    sharded = str(tmp_path / 'sharded.json')
    result = run_tool(['bash', 'tools/dist_build_masks.sh', config, '2',
                       '--out', sharded, '--cfg-options',
                       f'data_root={root}'], env=dict(PORT='29613'))
    assert 'by process 0 of 2' in result.stdout
    assert open(sharded, 'rb').read() == open(single, 'rb').read()
    assert not osp.exists(sharded + '.parts')


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_build_killed_at_a_random_point_resumes_to_identical_bytes(
        tmp_path, seed):
    import os
    import signal
    import subprocess
    import sys
    import time

    import numpy as np

    from mmddl.testing.tools import REPO_ROOT
    root = str(tmp_path / 'synthetic')
    make_synthetic_dataset(root, seed=4, train_videos=5, test_videos=1,
                           frames=16)
    config = 'configs/masks/motion_ocsort_synthetic.py'
    straight = str(tmp_path / 'straight.json')
    run_tool(['tools/build_masks.py', config] + options(root, straight))
    out = str(tmp_path / 'boxes.json')
    args = [sys.executable, 'tools/build_masks.py', config] + options(
        root, out)
    proc = subprocess.Popen(args, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env=dict(os.environ, PYTHONPATH=REPO_ROOT))
    # SIGKILL after a seeded number of finished videos (1 to 4 of 5)
    parts = out + '.parts'
    wanted = int(np.random.default_rng(seed).integers(1, 5))
    start = time.time()
    while proc.poll() is None and time.time() - start < 120:
        if osp.isdir(parts) and len(os.listdir(parts)) >= wanted:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait()
    if proc.returncode == 0:
        pytest.skip('the build finished before it could be killed')
    assert not osp.exists(out)  # nothing half-written under the real name
    run_tool(['tools/build_masks.py', config] + options(root, out))
    assert open(out, 'rb').read() == open(straight, 'rb').read()
    assert not osp.exists(parts)
