"""Temporal smoothing of one video's frame scores (docs/method.md, sec. 8).

Edge rule: the median filter runs with ``mode='nearest'`` (scipy.ndimage),
i.e. the score sequence is padded by repeating its first and last value. With
an odd window of ``w`` frames at least ``(w + 1) // 2`` of the values seen at
the first frame are that frame's own score, so the first and last outputs
equal the raw first and last scores, and frames near the ends are smoothed
over a window that is effectively shorter. Zero padding (``scipy.signal.
medfilt``) would pull the ends towards 0 instead, which biases the AUC.

Gaussian smoothing (``smoothing='gaussian'``, as Accurate-Interpretable-VAD
and AED-MAE report: sigma 3 for Ped2 / Avenue, 7 for ShanghaiTech) uses
``scipy.ndimage.gaussian_filter1d`` with its default edge rule
(``mode='reflect'``), as those codebases do.

Example:
    >>> import numpy as np
    >>> median_smooth(np.array([0., 9., 0., 0., 5.]), window=3)
    array([0., 0., 0., 0., 5.])
    >>> smooth_scores(np.ones(4), 'gaussian', sigma=3.0)
    array([1., 1., 1., 1.])
"""
from typing import Optional

import numpy as np
from scipy.ndimage import gaussian_filter1d, median_filter

#: the temporal smoothings of frame scores
SMOOTHINGS = ('median', 'gaussian', 'none')


def median_smooth(scores: np.ndarray,
                  window: Optional[int] = 17) -> np.ndarray:
    """Median-filter one video's scores along time.

    Args:
        scores (np.ndarray): (N,) scores of consecutive frames of one video.
        window (int, optional): Odd window length in frames; ``None`` or 1
            returns the scores unchanged (as float64). Defaults to 17.

    Returns:
        np.ndarray: (N,) float64 smoothed scores; edges as in the module
        docstring (``mode='nearest'``).
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1:
        raise ValueError(f'scores must be 1-D, got shape {scores.shape}')
    if window is not None and (isinstance(window, bool)
                               or not isinstance(window, (int, np.integer))
                               or window < 1 or window % 2 == 0):
        raise ValueError('smoothing window must be an odd positive integer '
                         f'or None, got {window!r}')
    if window is None or window == 1:
        return scores.copy()
    if scores.size == 0:
        return scores.copy()
    return median_filter(scores, size=int(window), mode='nearest')


def check_smoothing(smoothing: str, window: Optional[int],
                    sigma: Optional[float]) -> None:
    """Raise ValueError naming the bad setting."""
    if smoothing not in SMOOTHINGS:
        raise ValueError(f'smoothing must be one of {SMOOTHINGS}, got '
                         f'{smoothing!r}')
    if smoothing == 'median':
        median_smooth(np.zeros(1), window)
    if smoothing == 'gaussian' and (
            sigma is None or isinstance(sigma, bool)
            or not isinstance(sigma, (int, float)) or sigma <= 0):
        raise ValueError("smoothing='gaussian' needs smoothing_sigma > 0, "
                         f'got {sigma!r}')


def smooth_scores(scores: np.ndarray,
                  smoothing: str = 'median',
                  window: Optional[int] = 17,
                  sigma: Optional[float] = None) -> np.ndarray:
    """One video's scores, smoothed by ``smoothing``: ``'median'`` over
    ``window`` frames (:func:`median_smooth`), ``'gaussian'`` with standard
    deviation ``sigma`` frames, or ``'none'``. Returns float64."""
    check_smoothing(smoothing, window, sigma)
    if smoothing == 'median':
        return median_smooth(scores, window)
    scores = np.asarray(scores, dtype=np.float64)
    if smoothing == 'none' or scores.size == 0:
        return scores.copy()
    return gaussian_filter1d(scores, float(sigma))
