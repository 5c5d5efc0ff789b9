"""Turning a stream of smoothed scores into alert events.

A frame-level threshold on its own flickers: a score that hovers around it
raises dozens of one-frame "events" for one incident. :class:`AlertTracker`
opens an event when the score reaches ``threshold``, keeps it open until
the score falls below ``release`` (hysteresis, ``release <= threshold``),
and reports it only when it lasted at least ``min_frames``.

Example:
    >>> tracker = AlertTracker(threshold=0.5, release=0.4, min_frames=2)
    >>> events = [tracker.push(i, s) for i, s in
    ...           enumerate([0.1, 0.6, 0.45, 0.7, 0.3, 0.1])]
    >>> [e.as_dict()['frames'] for e in events if e]
    [3]
"""
import datetime
from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass
class AlertEvent:
    """One closed alert: an interval of frames whose score stayed high.

    Attributes:
        start_frame (int): first frame at or above the threshold.
        end_frame (int): last frame before the score fell below release.
        peak_frame (int): frame of the highest score.
        peak_score (float): the highest (smoothed) score.
        start_time (float, optional): wall-clock time (UNIX seconds) of the
            first frame, for live sources.
        end_time (float, optional): that of the last frame.
        fps (float, optional): the source's frame rate, for the duration of
            sources without wall-clock times.
        snapshot (dict, optional): ``frame`` ((H, W, C) uint8) and
            ``error_map`` ((H, W)) of the peak frame, when the scorer kept
            them; not part of :meth:`as_dict`.
    """
    start_frame: int
    end_frame: int
    peak_frame: int
    peak_score: float
    start_time: Optional[float] = None
    end_time: Optional[float] = None
    fps: Optional[float] = None
    snapshot: Optional[Any] = field(default=None, repr=False)

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame + 1

    @property
    def duration_s(self) -> Optional[float]:
        if self.start_time is not None and self.end_time is not None:
            return self.end_time - self.start_time
        if self.fps:
            return self.frames / self.fps
        return None

    def as_dict(self) -> dict:
        """JSON-ready: frames, times (UNIX and ISO 8601 UTC), duration."""
        out = asdict(self)
        out.pop('snapshot')
        out.update(frames=self.frames, duration_s=self.duration_s)
        for key in ('start_time', 'end_time'):
            if out[key] is not None:
                out[key + '_iso'] = datetime.datetime.fromtimestamp(
                    out[key], datetime.timezone.utc).isoformat(
                        timespec='milliseconds')
        return out

    def summary(self) -> str:
        """One line for a terminal."""
        when = ''
        if self.start_time is not None:
            when = datetime.datetime.fromtimestamp(
                self.start_time).strftime('%Y-%m-%d %H:%M:%S ')
        duration = self.duration_s
        length = f', {duration:.1f} s' if duration is not None else ''
        return (f'ALERT {when}frames {self.start_frame}-{self.end_frame} '
                f'({self.frames} frames{length}), peak {self.peak_score:.4g} '
                f'at frame {self.peak_frame}')


class AlertTracker:
    """Hysteresis and minimum duration over a stream of scores.

    Args:
        threshold (float): An event opens at a score >= this.
        release (float, optional): It closes at the first score < this.
            Defaults to ``threshold``.
        min_frames (int): Events shorter than this are dropped. Defaults
            to 1.
        fps (float, optional): The source's frame rate, for durations.
    """

    def __init__(self, threshold: float, release: Optional[float] = None,
                 min_frames: int = 1, fps: Optional[float] = None):
        release = threshold if release is None else release
        if release > threshold:
            raise ValueError(f'the release level ({release}) must not be '
                             f'above the threshold ({threshold})')
        if int(min_frames) < 1:
            raise ValueError(f'min_frames must be >= 1, got {min_frames}')
        self.threshold = float(threshold)
        self.release = float(release)
        self.min_frames = int(min_frames)
        self.fps = fps
        self._open: Optional[AlertEvent] = None

    @property
    def open_event(self) -> Optional[AlertEvent]:
        """The event open now, if any (its peak may still move)."""
        return self._open

    @property
    def active(self) -> bool:
        """Whether an event is open (the score is high now)."""
        return self._open is not None

    def push(self, frame: int, score: float,
             time: Optional[float] = None) -> Optional[AlertEvent]:
        """The next frame's score; returns the event it closed, if any."""
        event = self._open
        if event is None:
            if score >= self.threshold:
                self._open = AlertEvent(frame, frame, frame, float(score),
                                        time, time, self.fps)
            return None
        if score < self.release:
            return self.close()
        event.end_frame, event.end_time = frame, time
        if score > event.peak_score:
            event.peak_frame, event.peak_score = frame, float(score)
        return None

    def close(self) -> Optional[AlertEvent]:
        """End the open event (a stream that ends or drops); returns it if
        it lasted ``min_frames``."""
        event, self._open = self._open, None
        if event is not None and event.frames >= self.min_frames:
            return event
        return None
