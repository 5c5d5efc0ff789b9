"""Smoothing scores as they arrive, for live scoring.

The paper's median filter over 17 frames is centred: frame i's smoothed
score needs the raw scores up to frame i + 8, so a live alert can be raised
8 frames after the frame it is about at the earliest. Live scoring offers

- ``'centred'``: the offline median (:func:`median_smooth`, ``'nearest'``
  edges), emitted ``(window - 1) / 2`` frames late; the same numbers as
  ``score_video`` and the metric;
- ``'trailing'``: the median of the last ``window`` frames, no latency (the
  first frames are padded with the first score, as ``'nearest'`` does);
- ``'ema'``: an exponential moving average with ``alpha = 2 / (window + 1)``
  (the span convention), no latency;
- ``'none'``: the raw scores.

Example:
    >>> smoother = OnlineSmoother('centred', 3)
    >>> smoother.push(1.0), smoother.push(5.0), smoother.push(2.0)
    ([], [(0, 1.0)], [(1, 2.0)])
    >>> smoother.flush()
    [(2, 2.0)]
"""
from collections import deque
from typing import List, Optional, Tuple

import numpy as np

KINDS = ('centred', 'trailing', 'ema', 'none')


class OnlineSmoother:
    """Smooths one stream of scores; indices count pushed scores from 0.

    Args:
        kind (str): One of ``'centred'``, ``'trailing'``, ``'ema'``,
            ``'none'``.
        window (int, optional): Odd window (frames) of the medians, the span
            of the EMA. None or 1 means no smoothing.

    Attributes:
        latency (int): Frames between a score's arrival and its smoothed
            value: ``(window - 1) // 2`` for ``'centred'``, else 0.
    """

    def __init__(self, kind: str = 'centred', window: Optional[int] = 17):
        if kind not in KINDS:
            raise ValueError(f'smoothing must be one of {KINDS}, got '
                             f'{kind!r}')
        if window is not None and (not isinstance(window, (int, np.integer))
                                   or isinstance(window, bool) or window < 1
                                   or (kind != 'ema' and window % 2 == 0)):
            raise ValueError('smoothing window must be a positive integer '
                             f'(odd for medians) or None, got {window!r}')
        if window is None or window == 1:
            kind = 'none'
        self.kind = kind
        self.window = 1 if kind == 'none' else int(window)
        self.half = (self.window - 1) // 2
        self.latency = self.half if kind == 'centred' else 0
        self.reset()

    def reset(self) -> None:
        """Start a new stream (after a gap, for instance)."""
        self._recent: deque = deque(maxlen=self.window)
        self._count = 0  # scores pushed
        self._emitted = 0  # smoothed values given out
        self._ema = None

    def push(self, score: float) -> List[Tuple[int, float]]:
        """Add the next raw score; returns the (index, smoothed) pairs that
        became known (none, one; the centred filter starts after ``half``
        scores)."""
        score = float(score)
        index = self._count
        self._count += 1
        if self.kind == 'none':
            return self._out(index, score)
        if self.kind == 'ema':
            alpha = 2.0 / (self.window + 1)
            self._ema = score if self._ema is None else \
                alpha * score + (1 - alpha) * self._ema
            return self._out(index, self._ema)
        if not self._recent:  # 'nearest' padding before the first score
            self._recent.extend([score] * self.window)
        self._recent.append(score)
        if self.kind == 'trailing':
            return self._out(index, float(np.median(self._recent)))
        # centred: the window now ends at index, so it is about index - half
        if index < self.half:
            return []
        return self._out(index - self.half, float(np.median(self._recent)))

    def flush(self) -> List[Tuple[int, float]]:
        """At the end of a stream: the centred values still owed, with the
        last score repeated past the end (``'nearest'``)."""
        out = []
        if self.kind == 'centred' and self._count:
            last = self._recent[-1]
            recent = deque(self._recent, maxlen=self.window)
            end = self._count - 1  # the last index the window holds
            while self._emitted < self._count:
                while end < self._emitted + self.half:
                    recent.append(last)
                    end += 1
                out += self._out(self._emitted, float(np.median(recent)))
        return out

    def _out(self, index: int, value: float) -> List[Tuple[int, float]]:
        self._emitted = index + 1
        return [(index, value)]


def smooth_online(scores, kind: str = 'centred',
                  window: Optional[int] = 17) -> np.ndarray:
    """A whole array through :class:`OnlineSmoother` (what live scoring
    gives the same frames), e.g. to calibrate a threshold offline."""
    smoother = OnlineSmoother(kind, window)
    out = [p for s in np.asarray(scores, np.float64) for p in smoother.push(s)]
    out += smoother.flush()
    return np.array([v for _, v in out], np.float64)
