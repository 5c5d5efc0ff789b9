"""A threshold for alerts, calibrated on normal footage.

Raw anomaly scores have no fixed scale: they depend on the model, the
camera and the resize. The threshold is therefore chosen on footage known
to be normal (the training videos, or a held-out normal clip) from the
distribution of its smoothed scores, in one of two ways:

- ``quantile=q``: the q-quantile of the normal smoothed scores (a share
  ``1 - q`` of normal frames is above it);
- ``false_alarms_per_hour=f``: the lowest threshold at which the alert
  tracker (the same hysteresis and minimum duration as live scoring) raises
  at most ``f`` events per hour of the normal footage. Footage shorter than
  ``1 / f`` hours allows no event at all, so the threshold is then just above
  the highest normal score; the result says how much footage it rests on.

The release level (hysteresis) lies ``release_fraction`` of the way from
the median normal score to the threshold.

Example:
    >>> import numpy as np
    >>> normal = [np.r_[np.zeros(50), 1.0, np.zeros(49)]]
    >>> result = calibrate_threshold(normal, fps=25, quantile=0.5)
    >>> result['threshold']
    0.0
"""
import math
from typing import List, Optional, Sequence

import numpy as np

from .alerts import AlertTracker

#: what a threshold file holds; bump when its meaning changes
THRESHOLD_FORMAT = 'mmddl-threshold-v1'


def count_events(scores: Sequence[np.ndarray], threshold: float,
                 release: float, min_frames: int) -> int:
    """Events the alert tracker raises over normal videos."""
    count = 0
    for video in scores:
        tracker = AlertTracker(threshold, release, min_frames)
        for i, score in enumerate(video):
            count += tracker.push(i, float(score)) is not None
        count += tracker.close() is not None
    return count


def _release(threshold: float, median: float, fraction: float) -> float:
    return min(threshold, median + fraction * (threshold - median))


def calibrate_threshold(scores: Sequence[np.ndarray],
                        fps: float,
                        quantile: Optional[float] = None,
                        false_alarms_per_hour: Optional[float] = None,
                        min_frames: int = 1,
                        release_fraction: float = 0.8) -> dict:
    """Choose the alert threshold from normal videos' smoothed scores.

    Args:
        scores (Sequence[np.ndarray]): Smoothed scores, one array per video.
        fps (float): Their frame rate (for the hours of footage).
        quantile (float, optional): Use this quantile of the scores.
        false_alarms_per_hour (float, optional): Or allow this many events
            per hour. Exactly one of the two.
        min_frames (int): The tracker's minimum event length. Defaults
            to 1.
        release_fraction (float): Where the release level lies between the
            median and the threshold. Defaults to 0.8.

    Returns:
        dict: ``threshold``, ``release``, ``min_frames``, the rule used, the
        footage it rests on (frames, seconds), the normal score quantiles
        and the events per hour it gives on the normal footage.
    """
    if (quantile is None) == (false_alarms_per_hour is None):
        raise ValueError('give exactly one of quantile and '
                         'false_alarms_per_hour')
    videos: List[np.ndarray] = [
        np.asarray(v, np.float64) for v in scores if len(v)
    ]
    if not videos:
        raise ValueError('no normal scores to calibrate on')
    if not fps or fps <= 0:
        raise ValueError(f'fps must be positive, got {fps}')
    joined = np.concatenate(videos)
    median = float(np.median(joined))
    seconds = len(joined) / fps
    if quantile is not None:
        if not 0 < quantile < 1:
            raise ValueError(f'quantile must be in (0, 1), got {quantile}')
        threshold = float(np.quantile(joined, quantile))
        rule = dict(quantile=float(quantile))
    else:
        if false_alarms_per_hour < 0:
            raise ValueError('false_alarms_per_hour must be >= 0')
        allowed = math.floor(false_alarms_per_hour * seconds / 3600)
        top = float(joined.max())
        # just above the highest normal score: no event on the footage
        threshold = top + max(1e-6, 1e-3 * abs(top))
        candidates = np.unique(joined)
        lo, hi = 0, len(candidates) - 1
        while lo <= hi and allowed > 0:  # lowest candidate that is enough
            mid = (lo + hi) // 2
            t = float(candidates[mid])
            if count_events(videos, t, _release(t, median, release_fraction),
                            min_frames) <= allowed:
                threshold, hi = t, mid - 1
            else:
                lo = mid + 1
        rule = dict(false_alarms_per_hour=float(false_alarms_per_hour))
    release = _release(threshold, median, release_fraction)
    events = count_events(videos, threshold, release, min_frames)
    return dict(
        format=THRESHOLD_FORMAT,
        threshold=threshold,
        release=release,
        min_frames=int(min_frames),
        rule=rule,
        normal_frames=int(len(joined)),
        normal_seconds=seconds,
        fps=float(fps),
        normal_events_per_hour=events * 3600 / seconds,
        normal_score_quantiles={
            str(q): float(np.quantile(joined, q))
            for q in (0.5, 0.9, 0.99, 0.999, 1.0)
        })
