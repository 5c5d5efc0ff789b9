"""Gaussian smoothing and the padded macro-AUC rule, by their definitions."""
import numpy as np
import pytest
from scipy.ndimage import gaussian_filter1d
from sklearn.metrics import roc_auc_score

from mmddl.evaluation import FrameAUCMetric
from mmddl.evaluation.functional import (frame_auc_report, macro_auc_padded,
                                         smooth_scores)


def test_gaussian_smoothing_is_scipys_with_its_default_edges():
    x = np.random.default_rng(0).random(50)
    np.testing.assert_allclose(smooth_scores(x, 'gaussian', sigma=3),
                               gaussian_filter1d(x, 3.0))
    np.testing.assert_array_equal(smooth_scores(x, 'none'), x)
    with pytest.raises(ValueError, match='smoothing_sigma'):
        smooth_scores(x, 'gaussian')
    with pytest.raises(ValueError, match='smoothing must be one of'):
        FrameAUCMetric(smoothing='mean')


def test_padded_macro_auc_counts_one_class_videos():
    rng = np.random.default_rng(1)
    scores = {'a': rng.random(20), 'b': rng.random(20)}
    labels = {'a': (np.arange(20) > 12).astype(int), 'b': np.zeros(20, int)}
    # AED-MAE's rule on min-max normalised scores: [0] + gt + [1]
    want = []
    for v in scores:
        s = (scores[v] - scores[v].min()) / np.ptp(scores[v])
        want.append(roc_auc_score(np.r_[0, labels[v], 1], np.r_[0, s, 1]))
    assert macro_auc_padded(scores, labels) == pytest.approx(np.mean(want))
    metrics, _ = frame_auc_report(scores, labels, smoothing_window=None)
    assert metrics['auc_macro_left_out'] == 1  # 'b' is one class
    assert metrics['auc_macro_padded'] == pytest.approx(np.mean(want))
    metrics, smoothed = frame_auc_report(scores, labels, None,
                                         smoothing='gaussian',
                                         smoothing_sigma=2.0)
    np.testing.assert_allclose(smoothed['a'], gaussian_filter1d(
        scores['a'], 2.0))
