"""Live video sources: webcams and network streams, read without falling
behind and reconnected when they drop.

``cv2.VideoCapture`` (FFmpeg) opens webcams (``0``, ``/dev/video0``),
``rtsp://``, ``http(s)://`` (MJPEG, MPEG-TS, HLS), ``rtmp://``, ``udp://``
... :class:`LiveCapture` reads one in a thread of its own, so decoding
overlaps scoring, and hands frames over through a small queue: when scoring
falls behind, the oldest waiting frames are dropped (and counted), never an
unbounded backlog. A stream that ends, errors or stalls (no frame within
``read_timeout``) is reopened with exponential back-off; the frames after a
gap start a new *segment*, so no model window spans the gap. With
``max_gap`` set, a source gone for longer ends the capture.

Example:
    >>> # capture = LiveCapture('rtsp://cam/1', FrameFormat((256, 256)))
    >>> # for item in capture:   # LiveFrame(frame, time, segment, index)
    >>> #     ...
    >>> # capture.stop()
    >>> parse_live_source('0'), parse_live_source('rtsp://cam/1')
    (0, 'rtsp://cam/1')
"""
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Union

import cv2
import numpy as np

from .video_input import FrameFormat

_URL = re.compile(r'^(rtsps?|rtmps?|https?|udp|tcp|srt|rtp)://', re.I)
_DEVICE = re.compile(r'^/dev/video\d+$')


def parse_live_source(source) -> Optional[Union[int, str]]:
    """What ``cv2.VideoCapture`` should open for a live ``source``: a webcam
    index (int) for ``'0'``, the path for ``/dev/videoN``, the URL for a
    stream; None when ``source`` is not live (a file or folder)."""
    if isinstance(source, int) and not isinstance(source, bool):
        return source
    text = str(source).strip()
    if text.isdigit():
        return int(text)
    if _DEVICE.match(text) or _URL.match(text):
        return text
    return None


@dataclass
class LiveFrame:
    """One frame from a live source.

    Attributes:
        frame (np.ndarray): (H, W, C) uint8 in the capture's format.
        time (float): wall-clock time it was read (UNIX seconds).
        segment (int): counts reconnections; frames of one segment are
            consecutive in the source (except for dropped ones).
        index (int): frames read from the source so far, dropped ones
            included.
    """
    frame: np.ndarray
    time: float
    segment: int
    index: int


def _open_capture(target, open_timeout: float, read_timeout: float):
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout * 1000)
    ]
    if isinstance(target, int):
        return cv2.VideoCapture(target)
    return cv2.VideoCapture(target, cv2.CAP_FFMPEG, params)


class LiveCapture:
    """Reads a live source in a background thread (see the module doc).

    Args:
        source (int | str): A webcam index, ``/dev/videoN`` or stream URL
            (or a video file, read as if live, which ends at its end).
        fmt (FrameFormat, optional): The model's frame format.
        queue_size (int): Frames waiting for the scorer at most; when full
            the oldest is dropped. Defaults to 2.
        open_timeout (float): Seconds to wait for a connection. Defaults
            to 10.
        read_timeout (float): Seconds without a frame that count as a
            stall. Defaults to 5.
        backoff (tuple[float, float]): First and largest delay between
            reconnection attempts (doubling). Defaults to (0.5, 30).
        max_gap (float, optional): Give up after this many seconds without
            a frame; None keeps trying until stopped. Defaults to None.
        log (callable): Receives one line per connection event. Defaults
            to ``print``.

    Attributes:
        read, dropped, reconnects (int): counts so far.
        gaps (list[tuple[float, float]]): (lost, back) wall-clock times.
    """

    def __init__(self,
                 source,
                 fmt: Optional[FrameFormat] = None,
                 queue_size: int = 2,
                 open_timeout: float = 10.0,
                 read_timeout: float = 5.0,
                 backoff=(0.5, 30.0),
                 max_gap: Optional[float] = None,
                 log: Callable[[str], None] = print,
                 opener=_open_capture):
        if int(queue_size) < 1:
            raise ValueError(f'queue_size must be >= 1, got {queue_size}')
        target = parse_live_source(source)
        self.target = source if target is None else target
        self.live = target is not None
        self.format = fmt or FrameFormat()
        self.open_timeout, self.read_timeout = open_timeout, read_timeout
        self.backoff = (float(backoff[0]), float(backoff[1]))
        self.max_gap = max_gap
        self.log = log
        self._opener = opener
        self._queue: deque = deque(maxlen=int(queue_size))
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._done = False
        self.error: Optional[str] = None
        self.fps: Optional[float] = None
        self.read = self.dropped = self.reconnects = 0
        self.gaps = []
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='mmddl-live-capture')

    # -- the reader thread ----------------------------------------------
    def _put(self, item: LiveFrame) -> None:
        with self._ready:
            if len(self._queue) == self._queue.maxlen:
                self.dropped += 1  # the deque drops the oldest
            self._queue.append(item)
            self._ready.notify()

    def _sleep(self, seconds: float) -> bool:
        """Wait unless stopped; True when stopped."""
        return self._stop.wait(seconds)

    def _run(self) -> None:
        segment, attempt, lost_at = 0, 0, None
        try:
            while not self._stop.is_set():
                capture = self._opener(self.target, self.open_timeout,
                                       self.read_timeout)
                got_frame = False
                try:
                    if capture.isOpened():
                        fps = capture.get(cv2.CAP_PROP_FPS)
                        if fps and 0 < fps < 1000:
                            self.fps = float(fps)
                    while capture.isOpened() and not self._stop.is_set():
                        ok, frame = capture.read()
                        if not ok or frame is None:
                            break
                        now = time.time()
                        if not got_frame:
                            got_frame = True
                            if lost_at is not None:
                                self.gaps.append((lost_at, now))
                                self.log(f'{self._name()}: back after a '
                                         f'{now - lost_at:.1f} s gap')
                                segment += 1
                                lost_at = None
                            attempt = 0
                        self.read += 1
                        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                        self._put(LiveFrame(self.format.convert(rgb), now,
                                            segment, self.read - 1))
                finally:
                    capture.release()
                if self._stop.is_set():
                    break
                if not self.live:  # a file read as live ends at its end
                    if not self.read:
                        self.error = f'cannot read video {self.target}'
                    break
                now = time.time()
                if lost_at is None:
                    lost_at = now
                    self.log(f'{self._name()}: stream lost after frame '
                             f'{self.read}; reconnecting')
                if self.max_gap is not None and now - lost_at > self.max_gap:
                    self.error = (f'{self._name()}: no frame for '
                                  f'{now - lost_at:.1f} s (max_gap '
                                  f'{self.max_gap} s); giving up')
                    self.log(self.error)
                    break
                attempt += 1
                self.reconnects += 1
                delay = min(self.backoff[1],
                            self.backoff[0] * 2**(attempt - 1))
                self.log(f'{self._name()}: reconnect attempt {attempt} in '
                         f'{delay:.1f} s')
                if self._sleep(delay):
                    break
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def _name(self) -> str:
        return f'camera {self.target}' if isinstance(self.target,
                                                     int) else str(
                                                         self.target)

    # -- the consumer ----------------------------------------------------
    def start(self) -> 'LiveCapture':
        """Start reading (iteration starts it too)."""
        if not self._thread.is_alive() and not self._done:
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop reading; the iteration ends after the queued frames."""
        self._stop.set()
        with self._ready:
            self._ready.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=self.open_timeout + 1)

    def __iter__(self) -> Iterator[LiveFrame]:
        self.start()
        while True:
            with self._ready:
                while not self._queue and not self._done:
                    self._ready.wait(0.5)
                if not self._queue:
                    return
                item = self._queue.popleft()
            yield item

    def __enter__(self) -> 'LiveCapture':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
