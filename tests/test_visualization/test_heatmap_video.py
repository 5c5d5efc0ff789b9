"""The heat-map video and the unlabelled score curve."""
import os

import cv2
import numpy as np
import pytest

from mmddl.visualization import (draw_score_curve, heatmap_panel,
                                 write_heatmap_video)


def read_all(path):
    capture = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return frames


def test_video_is_watchable_size_and_written_atomically(tmp_path):
    frames = np.full((5, 32, 24, 3), 128, np.uint8)
    maps = np.zeros((5, 32, 24), np.float32)
    maps[:, 8:16, 8:16] = 1.0
    path = str(tmp_path / 'clip_heatmap.avi')
    calls = []
    write_heatmap_video(
        path,
        frames,
        maps, [1, 2, 3, 4, 5], [.1, .2, .3, .4, .5],
        fps=12,
        on_frame=lambda: calls.append(1))
    assert os.listdir(tmp_path) == ['clip_heatmap.avi']
    assert len(calls) == 5
    read = read_all(path)
    assert len(read) == 5
    # 24 px wide -> factor 11 (264 >= 256); frame | overlay + caption band
    assert read[0].shape == (24 + 32 * 11, 2 * 24 * 11, 3)
    assert cv2.VideoCapture(path).get(cv2.CAP_PROP_FPS) == 12


def test_panel_shows_the_frame_left_and_hot_error_red_right():
    frame = np.full((16, 16, 3), 100, np.uint8)
    error = np.zeros((16, 16), np.float32)
    error[:8] = 2.0
    panel = heatmap_panel(frame, error, vmax=2.0, factor=1, caption='x')
    body = panel[24:]
    assert body.shape == (16, 32, 3)
    np.testing.assert_array_equal(body[:, :16], frame)
    hot, cold = body[2, 20].astype(int), body[12, 20].astype(int)
    assert hot[0] > hot[2] and cold[2] > cold[0]  # RGB: red vs blue tint


def test_mismatched_inputs_and_bad_names_raise(tmp_path):
    frames = np.zeros((2, 8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match='one error map'):
        write_heatmap_video(
            str(tmp_path / 'v.avi'), frames, np.zeros((1, 8, 8)), [0, 1],
            [0, 0])
    with pytest.raises(ValueError, match='.avi'):
        write_heatmap_video(
            str(tmp_path / 'v.mp4'), frames, np.zeros((2, 8, 8)), [0, 1],
            [0, 0])
    assert os.listdir(tmp_path) == []


def test_unlabelled_curve_has_no_shading_and_no_gt_legend():
    index = np.arange(1, 21)
    fig = draw_score_curve(index, np.sin(index), np.cos(index), None)
    ax = fig.axes[0]
    assert len(ax.patches) == 0
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ['raw score', 'smoothed score']
