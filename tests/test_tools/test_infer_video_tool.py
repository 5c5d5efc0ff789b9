"""tools/infer_video.py end to end on a tiny C3DSU."""
import csv
import os.path as osp

import cv2
import numpy as np
import torch
from mmengine.config import Config

from mmddl.apis import init_model, score_video
from mmddl.testing.tools import run_tool

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


def make_clip(tmp_path, count=12):
    rng = np.random.default_rng(3)
    small = rng.integers(0, 256, (count, 8, 8, 3), dtype=np.uint8)
    frames = np.stack([
        cv2.resize(f, (32, 32), interpolation=cv2.INTER_CUBIC) for f in small
    ])
    avi = str(tmp_path / 'street.avi')
    writer = cv2.VideoWriter(avi, cv2.VideoWriter_fourcc(*'FFV1'), 10,
                             (32, 32))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
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
    best = expected.top_frames(3)
    assert f'frame {best[0][0]:6d}' in stdout.split('top 3 frames')[1]

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
