"""The pixel-level criterion of Mahadevan et al. (CVPR 2010, the UCSD one).

At a threshold t on the per-pixel error maps, an anomalous frame is a true
positive when the pixels at or above t cover at least ``coverage`` (40 %) of
its ground-truth anomalous pixels; a normal frame is a false positive when
any of its pixels is at or above t. The pixel-level AUC is the area under
that TPR over FPR as t sweeps.

Each frame then needs one number only. A normal frame is a false positive
exactly while t <= its largest error; an anomalous frame is a true positive
exactly while t <= the error that the ``coverage`` share of its anomalous
pixels reach (the ceil(coverage * n)-th largest error among its n
ground-truth pixels). So the curve is the ROC of those per-frame numbers,
and its area is their ROC AUC: :func:`pixel_criterion_score` computes the
number while scoring, without keeping any map.

Example:
    >>> import numpy as np
    >>> err = np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> pixel_criterion_score(err, np.array([[1, 1], [0, 0]], bool))
    0.9
    >>> pixel_criterion_score(err, np.zeros((2, 2), bool))  # normal frame
    0.9
"""
import math
from typing import Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

#: the share of a frame's anomalous pixels that must be detected
COVERAGE = 0.4


def pixel_criterion_score(error_map: np.ndarray, gt_mask: np.ndarray,
                          coverage: float = COVERAGE) -> float:
    """The largest threshold at which the frame counts as detected.

    Args:
        error_map (np.ndarray): (H, W) per-pixel errors.
        gt_mask (np.ndarray): (H, W) bool, the anomalous pixels (none for a
            normal frame).
        coverage (float): Share of anomalous pixels to cover. Defaults
            to 0.4.
    """
    error_map = np.asarray(error_map, np.float64)
    gt_mask = np.asarray(gt_mask, bool)
    if error_map.shape != gt_mask.shape:
        raise ValueError(f'error map {error_map.shape} and mask '
                         f'{gt_mask.shape} differ in size')
    values = error_map[gt_mask]
    if values.size == 0:
        return float(error_map.max())
    k = max(1, math.ceil(coverage * values.size))
    # the k-th largest value: k pixels are at or above it
    return float(np.partition(values, values.size - k)[values.size - k])


def pixel_level_auc(scores: Sequence[float],
                    anomalous: Sequence[bool]) -> float:
    """AUC of the pixel-level criterion from per-frame
    :func:`pixel_criterion_score` values and whether each frame has
    anomalous pixels; NaN when all frames are one class."""
    anomalous = np.asarray(anomalous, bool)
    if anomalous.all() or not anomalous.any():
        return float('nan')
    return float(roc_auc_score(anomalous, np.asarray(scores, np.float64)))
