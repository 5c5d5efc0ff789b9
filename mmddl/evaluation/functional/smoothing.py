"""Temporal smoothing of one video's frame scores (docs/method.md, sec. 8).

Edge rule: the median filter runs with ``mode='nearest'`` (scipy.ndimage),
i.e. the score sequence is padded by repeating its first and last value. With
an odd window of ``w`` frames at least ``(w + 1) // 2`` of the values seen at
the first frame are that frame's own score, so the first and last outputs
equal the raw first and last scores, and frames near the ends are smoothed
over a window that is effectively shorter. Zero padding (``scipy.signal.
medfilt``) would pull the ends towards 0 instead, which biases the AUC.

Example:
    >>> import numpy as np
    >>> median_smooth(np.array([0., 9., 0., 0., 5.]), window=3)
    array([0., 0., 0., 0., 5.])
"""
from typing import Optional

import numpy as np
from scipy.ndimage import median_filter


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
