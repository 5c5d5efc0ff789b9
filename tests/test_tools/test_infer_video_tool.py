"""tools/infer_video.py end to end on a tiny C3DSU."""
import csv
import os
import os.path as osp

import cv2
import numpy as np
import torch
from mmengine.config import Config

from mmddl.apis import init_model, score_video
from mmddl.testing.tools import run_tool
from mmddl.testing.videos import write_lossless_avi

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


def make_clip(tmp_path, count=12):
    rng = np.random.default_rng(3)
    small = rng.integers(0, 256, (count, 8, 8, 3), dtype=np.uint8)
    frames = np.stack([
        cv2.resize(f, (32, 32), interpolation=cv2.INTER_CUBIC) for f in small
    ])
    avi = write_lossless_avi(str(tmp_path / 'street.avi'), frames)
    return frames, avi


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return (np.array([int(r['frame_index']) for r in rows]),
            np.array([float(r['score_raw']) for r in rows]),
            np.array([float(r['score_smoothed']) for r in rows]))


def test_tool_writes_scores_curve_and_heatmap_video(tmp_path):
    torch.manual_seed(0)
    model = init_model(CONFIG)
    ckpt = str(tmp_path / 'tiny.pth')
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(cfg=Config.fromfile(CONFIG).pretty_text)), ckpt)
    frames, avi = make_clip(tmp_path)
    out = str(tmp_path / 'out')
    result = run_tool([
        'tools/infer_video.py', CONFIG, ckpt, avi, '--out-dir', out,
        '--smoothing-window', '5', '--batch-size', '4', '--top', '3'
    ])
    expected = score_video(model, frames, smoothing_window=5)

    index, raw, smoothed = read_csv(osp.join(out, 'street_scores.csv'))
    np.testing.assert_array_equal(index, np.arange(1, 11))
    np.testing.assert_allclose(raw, expected.scores_raw, rtol=1e-6)
    np.testing.assert_allclose(smoothed, expected.scores_smoothed, rtol=1e-6)
    assert cv2.imread(osp.join(out, 'street_scores.png')) is not None
    capture = cv2.VideoCapture(osp.join(out, 'street_heatmap.avi'))
    count = 0
    while capture.read()[0]:
        count += 1
    assert count == 10
    assert capture.get(cv2.CAP_PROP_FRAME_WIDTH) >= 256
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == [
        'street_heatmap.avi', 'street_scores.csv', 'street_scores.png'
    ]
    stdout = result.stdout
    assert osp.join(out, 'street_heatmap.avi') in stdout
    best = expected.top_frames(3, min_gap=5)
    peaks = stdout.split('the top 3 peaks')[1]
    assert f'frame {best[0][0]:6d}' in peaks
    # one peak per event: no two printed frames within the window
    printed = [int(line.split()[1]) for line in peaks.splitlines()
               if line.strip().startswith('frame')]
    assert all(abs(a - b) > 5 for a in printed for b in printed if a != b)

    # CKPT INPUT alone: the config stored in the checkpoint; a frame folder
    folder = tmp_path / 'street'
    folder.mkdir()
    for i, frame in enumerate(frames):
        cv2.imwrite(
            str(folder / f'{i}.png'), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    out2 = str(tmp_path / 'out2')
    run_tool([
        'tools/infer_video.py', ckpt,
        str(folder), '--out-dir', out2, '--smoothing-window', '5', '--no-video'
    ])
    index2, raw2, _ = read_csv(osp.join(out2, 'street_scores.csv'))
    np.testing.assert_array_equal(index2, index)
    np.testing.assert_allclose(raw2, raw, rtol=1e-6)
    assert not osp.exists(osp.join(out2, 'street_heatmap.avi'))


def test_tool_missing_checkpoint_names_it(tmp_path):
    result = run_tool([
        'tools/infer_video.py', CONFIG,
        str(tmp_path / 'gone.pth'),
        str(tmp_path)
    ],
                      check=False)
    assert result.returncode != 0
    assert 'gone.pth' in result.stderr
    assert 'tools/train.py' in result.stderr


def tiny_checkpoint(tmp_path, seed=0):
    torch.manual_seed(seed)
    model = init_model(CONFIG)
    ckpt = str(tmp_path / f'tiny{seed}.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=Config.fromfile(CONFIG).pretty_text)),
               ckpt)
    return ckpt


def smooth_clip(count, seed):
    rng = np.random.default_rng(seed)
    base = cv2.resize(rng.integers(0, 256, (8, 8, 3), np.uint8), (32, 32),
                      interpolation=cv2.INTER_CUBIC)
    return np.stack([np.roll(base, i % 3, axis=1) for i in range(count)])


def test_calibrated_threshold_is_found_beside_the_checkpoint(tmp_path):
    import json
    ckpt = tiny_checkpoint(tmp_path)
    normal = write_lossless_avi(str(tmp_path / 'normal.avi'),
                                smooth_clip(30, 0))
    result = run_tool(['tools/calibrate_threshold.py', CONFIG, ckpt,
                       '--videos', normal, '--smoothing-window', '3',
                       '--false-alarms-per-hour', '1'])
    stored = json.load(open(osp.join(tmp_path, 'tiny0.threshold.json')))
    assert 'just above the highest normal score' in result.stdout
    assert stored['normal_frames'] == 28 and stored['fps'] == 10
    assert stored['normal_events_per_hour'] == 0
    # an object that does not belong: a bright square from frame 12 to 20
    frames = smooth_clip(30, 0)
    frames[12:21, 8:24, 8:24] = 255
    odd = write_lossless_avi(str(tmp_path / 'odd.avi'), frames)
    out = str(tmp_path / 'out')
    result = run_tool(['tools/infer_video.py', CONFIG, ckpt, odd,
                       '--out-dir', out, '--no-video'])
    assert 'alerts at threshold' in result.stdout
    assert '(threshold file)' in result.stdout
    events = [json.loads(line) for line in open(
        osp.join(out, 'odd_events.jsonl'))]
    assert events and all(e['peak_score'] > stored['threshold']
                          for e in events)
    assert any(10 <= e['peak_frame'] <= 22 for e in events)
    # a threshold calibrated for other weights is not used silently
    other = tiny_checkpoint(tmp_path, seed=1)
    import shutil
    shutil.copy(osp.join(tmp_path, 'tiny0.threshold.json'),
                osp.join(tmp_path, 'tiny1.threshold.json'))
    result = run_tool(['tools/infer_video.py', CONFIG, other, odd,
                       '--out-dir', out, '--no-video'], check=False)
    assert result.returncode != 0
    assert 'calibrated for other weights' in result.stderr


def test_live_stream_with_a_drop_writes_rows_and_alerts_as_it_goes(
        tmp_path):
    import json
    from mmddl.testing.mjpeg_server import MJPEGServer
    ckpt = tiny_checkpoint(tmp_path)
    out = str(tmp_path / 'live')
    with MJPEGServer([smooth_clip(15, 1), smooth_clip(10, 2)],
                     interval=0.02) as server:
        result = run_tool([
            'tools/infer_video.py', CONFIG, ckpt, server.url, '--out-dir',
            out, '--threshold', '0', '--smoothing', 'trailing',
            '--smoothing-window', '3', '--max-gap', '1.5', '--queue-size',
            '64'
        ], timeout=120)
    text = result.stdout
    assert 'stream lost after frame 15' in text and 'back after' in text
    assert 'ALERT' in text and 'giving up' in text
    assert 'latency 1 frames' in text
    csvs = [n for n in os.listdir(out) if n.endswith('_scores.csv')]
    rows = list(csv.DictReader(open(osp.join(out, csvs[0]))))
    assert [r['segment'] for r in rows] == ['0'] * 13 + ['1'] * 8
    assert all(r['alert'] == '1' for r in rows)
    events = [json.loads(line) for name in os.listdir(out)
              if name.endswith('.jsonl') for line in open(osp.join(out,
                                                                   name))]
    # the gap closes the first alert: one per segment
    assert [(e['start_frame'], e['end_frame']) for e in events] == [
        (1, 13), (16, 23)]
    assert any(n.endswith('_scores.png') for n in os.listdir(out))
    # each alert comes with its peak frame beside its error heat map
    for event in events:
        snapshot = cv2.imread(osp.join(out, event['snapshot']))
        assert snapshot is not None and snapshot.shape[1] >= 2 * 256
    plotted = run_tool(['tools/analysis/plot_scores.py',
                        osp.join(out, csvs[0])])
    assert '21 scored frames, 2 alert intervals' in plotted.stdout
