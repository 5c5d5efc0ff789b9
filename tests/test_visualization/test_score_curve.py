import os

import cv2
import numpy as np

from mmddl.visualization import (anomalous_runs, draw_score_curve,
                                 save_video_score_curve, video_file_stem)


def test_anomalous_runs_split_at_gaps_and_normal_frames():
    index = np.array([1, 2, 3, 4, 5, 6, 8, 9, 10])
    label = np.array([0, 1, 1, 0, 1, 1, 1, 1, 0])
    # 6 and 8 are both anomalous but frame 7 was not scored: two runs.
    assert anomalous_runs(index, label) == [(2, 3), (5, 6), (8, 9)]
    assert anomalous_runs(index, np.zeros(9)) == []


def test_curve_shades_the_anomalous_frames_and_draws_both_scores():
    index = np.arange(1, 41)
    label = ((index >= 10) & (index <= 20)).astype(int)
    fig = draw_score_curve(
        index, np.sin(index), np.cos(index), label, title='v  AUC 90.0%')
    ax = fig.axes[0]
    assert ax.get_title() == 'v  AUC 90.0%'
    assert [line.get_label()
            for line in ax.lines] == ['raw score', 'smoothed score']
    raw, smooth = ax.lines
    assert raw.get_alpha() < 1 and smooth.get_linewidth() > \
        raw.get_linewidth()
    spans = [p for p in ax.patches]
    assert len(spans) == 1
    x0, x1 = spans[0].get_x(), spans[0].get_x() + spans[0].get_width()
    assert (x0, x1) == (9.5, 20.5)


def test_save_video_score_curve(tmp_path):
    fields = dict(
        frame_index=np.arange(1, 11),
        label=np.ones(10, int),
        score_raw=np.linspace(0, 1, 10))
    path = save_video_score_curve(str(tmp_path), 'Test/001', fields, None)
    assert path == str(tmp_path / 'Test_001_scores.png')
    assert cv2.imread(path).shape[2] == 3
    assert os.listdir(tmp_path) == ['Test_001_scores.png']


def test_video_file_stem():
    assert video_file_stem('01_0014') == '01_0014'
    assert video_file_stem('a/b c') == 'a_b_c'
