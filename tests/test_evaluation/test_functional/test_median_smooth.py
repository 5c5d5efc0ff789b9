"""Median smoothing: edges padded with the nearest score (mode='nearest')."""
import numpy as np
import pytest

from mmddl.evaluation.functional import median_smooth


def test_interior_is_the_window_median():
    scores = np.array([5., 1., 9., 3., 7., 2., 8.])
    out = median_smooth(scores, window=3)
    for i in range(1, 6):
        assert out[i] == np.median(scores[i - 1:i + 2])


def test_edges_repeat_the_nearest_score():
    scores = np.array([9., 0., 1., 2., 3., 4., 0.])
    # Window 5 at frame 0 sees [9, 9, 9, 0, 1] -> 9; at frame 1
    # [9, 9, 0, 1, 2] -> 2; at the last frame [3, 4, 0, 0, 0] -> 0.
    out = median_smooth(scores, window=5)
    assert out[0] == 9.0
    assert out[1] == 2.0
    assert out[-1] == 0.0
    assert out[-2] == 2.0  # [2, 3, 4, 0, 0]


def test_first_and_last_outputs_equal_the_raw_ends():
    rng = np.random.default_rng(0)
    scores = rng.random(40)
    out = median_smooth(scores, window=17)
    assert out[0] == scores[0] and out[-1] == scores[-1]


def test_video_shorter_than_the_window():
    scores = np.array([1., 5., 2.])
    # Window 17 at the middle frame: eight 1s, 5, eight 2s -> 2.
    np.testing.assert_array_equal(median_smooth(scores, 17), [1., 2., 2.])


def test_removes_a_one_frame_spike():
    scores = np.zeros(30)
    scores[12] = 10.0
    assert median_smooth(scores, 17).max() == 0.0


@pytest.mark.parametrize('window', [None, 1])
def test_no_smoothing(window):
    scores = np.array([3., 1., 2.])
    out = median_smooth(scores, window)
    np.testing.assert_array_equal(out, scores)
    assert out is not scores


@pytest.mark.parametrize('window', [0, 2, 16, -3, 2.5, True])
def test_bad_window_is_refused(window):
    with pytest.raises(ValueError, match='odd positive'):
        median_smooth(np.zeros(5), window)
