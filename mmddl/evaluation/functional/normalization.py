"""Per-video min-max normalisation of frame scores.

Many peers rescale each test video's scores to [0, 1] before pooling them;
it hides differences in the overall error level between videos. mmddl keeps
it as an option, off by default (docs/method.md, sec. 8).

Example:
    >>> import numpy as np
    >>> minmax_normalize(np.array([2., 4., 3.]))
    array([0. , 1. , 0.5])
"""
import numpy as np


def minmax_normalize(scores: np.ndarray) -> np.ndarray:
    """Rescale one video's scores linearly to [0, 1].

    A video whose scores are all equal (no spread to rescale) maps to zeros.

    Args:
        scores (np.ndarray): (N,) scores of one video.

    Returns:
        np.ndarray: (N,) float64 scores in [0, 1].
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1:
        raise ValueError(f'scores must be 1-D, got shape {scores.shape}')
    if scores.size == 0:
        return scores.copy()
    low, high = scores.min(), scores.max()
    if high == low:
        return np.zeros_like(scores)
    return (scores - low) / (high - low)
