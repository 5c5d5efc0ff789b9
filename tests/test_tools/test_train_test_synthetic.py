"""The synthetic set end to end through the tools: masks, a short training,
and tools/test.py with scores file and plots; the streaming test loop gives
the scores of mmengine's plain sliding-window TestLoop."""
import os
import os.path as osp

import numpy as np
import pytest

from mmddl.data_generation import make_synthetic_dataset
from mmddl.evaluation.functional.scores_file import load_scores
from mmddl.testing.tools import REPO_ROOT, run_tool

CONFIG = 'configs/ddl/c3dsu_synthetic.py'


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    base = tmp_path_factory.mktemp('e2e')
    root = str(base / 'synthetic')
    make_synthetic_dataset(root, seed=3, train_videos=2, test_videos=2,
                           frames=24)
    boxes = str(base / 'boxes.json')
    run_tool(['tools/build_masks.py',
              'configs/masks/motion_ocsort_synthetic.py',
              '--cfg-options', f'train_dataloader.dataset.data_root={root}',
              f'box_cache={boxes}'])
    options = [
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.data_root={root}',
        f'train_dataloader.dataset.pipeline.1.box_cache={boxes}',
        f'train_dataloader.dataset.pipeline.0.cache_dir={base}/cache',
        f'val_dataloader.dataset.pipeline.0.cache_dir={base}/cache',
        f'test_dataloader.dataset.pipeline.0.cache_dir={base}/cache',
        'model.backbone.widths=[8,16,32,64]', 'train_cfg.max_epochs=1',
        'train_cfg.val_interval=1',
    ]
    work = str(base / 'work')
    result = run_tool(['tools/train.py', CONFIG, '--work-dir', work,
                       '--cfg-options'] + options, timeout=600)
    assert 'vad/auc' in result.stdout
    return base, work, options


def test_test_tool_writes_scores_and_plots(trained):
    base, work, options = trained
    out, show = str(base / 'scores.json'), str(base / 'plots')
    result = run_tool(['tools/test.py', CONFIG, osp.join(work, 'epoch_1.pth'),
                       '--work-dir', work, '--out', out, '--show-dir', show,
                       '--cfg-options'] + options)
    assert 'vad/auc' in result.stdout
    scores = load_scores(out)
    assert sorted(scores['videos']) == ['01', '02']
    video = scores['videos']['01']
    # the first and last frames have no full window (T = 3)
    assert list(video['frame_index']) == list(range(1, 23))
    assert 0.0 <= scores['meta']['metrics']['auc'] <= 1.0
    pngs = sorted(os.listdir(show))
    assert '01_scores.png' in pngs and '01_heatmaps.png' in pngs


def test_streaming_loop_equals_the_sliding_window_loop(trained):
    base, work, options = trained
    # mmengine's loop over T-frame windows, for reference
    plain = base / 'plain_loop.py'
    plain.write_text(f"_base_ = ['{osp.join(REPO_ROOT, CONFIG)}']\n"
                     "test_cfg = dict(_delete_=True, type='TestLoop')\n")
    files = {}
    for name, config in (('streaming', CONFIG), ('plain', str(plain))):
        files[name] = str(base / f'{name}.npz')
        run_tool(['tools/test.py', config, osp.join(work, 'epoch_1.pth'),
                  '--work-dir', work, '--out', files[name],
                  '--cfg-options'] + options)
    streamed = load_scores(files['streaming'])['videos']
    windowed = load_scores(files['plain'])['videos']
    assert sorted(streamed) == sorted(windowed)
    for vid in streamed:
        np.testing.assert_array_equal(streamed[vid]['frame_index'],
                                      windowed[vid]['frame_index'])
        np.testing.assert_allclose(streamed[vid]['score_raw'],
                                   windowed[vid]['score_raw'], rtol=1e-5,
                                   atol=1e-7)


def test_two_process_training_gives_the_same_kind_of_checkpoint(trained):
    import torch
    base, work, options = trained
    dist_work = str(base / 'dist')
    port = str(29500 + os.getpid() % 1000 + 7)
    run_tool(['bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir',
              dist_work, '--cfg-options'] + options, env=dict(PORT=port),
              timeout=600)
    single = torch.load(osp.join(work, 'epoch_1.pth'), weights_only=False)
    double = torch.load(
        osp.join(dist_work, 'epoch_1.pth'), weights_only=False)
    assert set(double['state_dict']) == set(single['state_dict'])
    assert 'pseudo_anomaly.logit' in double['state_dict']
    assert double['meta']['epoch'] == single['meta']['epoch'] == 1
    # each process saw half the windows per epoch
    assert double['meta']['iter'] < single['meta']['iter']


def test_test_tool_refuses_a_checkpoint_of_another_model(trained):
    # a checkpoint of widths 8-64 into a config of widths 16-128: mmengine's
    # non-strict load_from would leave the layers random and exit 0
    base, work, options = trained
    ckpt = osp.join(work, 'epoch_1.pth')
    wider = options + ['model.backbone.widths=[16,32,64,128]']
    result = run_tool(['tools/test.py', CONFIG, ckpt, '--work-dir', work,
                       '--cfg-options'] + wider, check=False)
    assert result.returncode != 0
    assert 'CheckpointMismatchError' in result.stderr
    assert f'checkpoint {ckpt} does not fit' in result.stderr
    assert 'another shape' in result.stderr
    assert 'vad/auc' not in result.stdout
    # asked for, the weights that fit are loaded and the test runs
    result = run_tool(['tools/test.py', CONFIG, ckpt, '--work-dir', work,
                       '--non-strict', '--cfg-options'] + wider)
    assert 'vad/auc' in result.stdout
