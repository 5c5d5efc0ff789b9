"""Scoring a live source frame by frame: causal or centred smoothing,
alerts as they close, rows as they become known.

Each frame is encoded once as it arrives (:func:`stream_video` with one new
frame per step); its window is decoded as soon as the frame that completes
it arrives. A reconnection starts a new segment: the model's window, the
smoothing and any open alert start afresh, so nothing spans a gap.

Latency, in frames after a frame arrives: ``(T - 1) / 2`` for the window's
centre plus the smoother's (``(window - 1) / 2`` for the centred median, 0
for the trailing median and the EMA). :func:`latency_frames` says it.

Example:
    >>> # capture = LiveCapture(0, frame_format_from_config(model.cfg))
    >>> # summary = score_live(model, capture, smoothing='trailing',
    >>> #                      tracker=AlertTracker(0.08), on_event=print)
"""
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np
import torch

from mmddl.evaluation.functional.online_smoothing import OnlineSmoother
from .alerts import AlertEvent, AlertTracker
from .live_source import LiveFrame
from .streaming import stream_video


@dataclass
class LiveRow:
    """One scored frame: global ``index`` (frames read from the source),
    wall-clock ``time``, ``segment``, raw and smoothed score, and whether an
    alert is open at it."""
    index: int
    time: float
    segment: int
    score_raw: float
    score_smoothed: float
    alert: bool


@dataclass
class LiveSummary:
    """What a live run did: frames scored, wall time, events, and whether
    it ended by ``duration``, by the source ending or by Ctrl-C."""
    scored: int = 0
    seconds: float = 0.0
    segments: int = 0
    events: List[AlertEvent] = field(default_factory=list)
    ended_by: str = 'source'

    @property
    def scored_fps(self) -> float:
        return self.scored / self.seconds if self.seconds > 0 else 0.0


def latency_frames(clip_len: int, smoother: OnlineSmoother) -> int:
    """Frames between a frame's arrival and its smoothed score."""
    return (clip_len - 1) // 2 + smoother.latency


def _tensor(frame: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(frame.transpose(2, 0, 1)))


def _snapshot(chunk, k: int) -> dict:
    frame = (chunk.frames[k].detach().float().cpu() * 255).round().clamp(
        0, 255).to(torch.uint8).permute(1, 2, 0).numpy()
    return dict(frame=frame,
                error_map=chunk.error_maps[k].detach().float().cpu().numpy())


def score_live(model,
               frames: Iterable[LiveFrame],
               smoothing: str = 'trailing',
               window: Optional[int] = 17,
               tracker: Optional[AlertTracker] = None,
               duration: Optional[float] = None,
               on_row: Optional[Callable[[LiveRow], None]] = None,
               on_event: Optional[Callable[[AlertEvent], None]] = None,
               stop: Optional[Callable[[], None]] = None,
               backbone=None) -> LiveSummary:
    """Score ``frames`` until they end, ``duration`` passes or Ctrl-C.

    Args:
        model (DDLReconstructor): In eval mode (from :func:`init_model`).
        frames (Iterable[LiveFrame]): Usually a :class:`LiveCapture`.
        smoothing (str): ``'centred'``, ``'trailing'``, ``'ema'`` or
            ``'none'`` (:class:`OnlineSmoother`). Defaults to 'trailing'.
        window (int, optional): The smoother's window. Defaults to 17.
        tracker (AlertTracker, optional): Turns smoothed scores into events.
        duration (float, optional): Seconds to run; None runs until the
            source ends or Ctrl-C.
        on_row (callable, optional): Called with each :class:`LiveRow` as
            its smoothed score becomes known.
        on_event (callable, optional): Called with each closed event.
        stop (callable, optional): Called once when scoring ends early
            (e.g. ``capture.stop``).
        backbone (optional): Instead of the model's backbone, e.g. an
            ``mmddl.deploy.OnnxBackbone``.

    Returns:
        LiveSummary: counts, events and why it ended.
    """
    smoother = OnlineSmoother(smoothing, window)
    summary = LiveSummary()
    # frames and error maps of the last few scored frames, for the peak
    # snapshot of an alert (the smoothed score comes `latency` frames late)
    recent: Dict[int, dict] = {}
    keep = smoother.latency + 2
    start = time.time()
    source = iter(frames)
    state = dict(pending=next(source, None))

    def emit(pairs, meta, raws):
        # the smoother counts scored frames; raws[j] = (frame, raw score)
        for j, smoothed in pairs:
            local, raw = raws.pop(j)
            index, when, segment = meta[local]
            event = tracker.push(index, smoothed, when) if tracker else None
            opened = tracker.open_event if tracker else None
            if opened is not None and opened.peak_frame == index:
                opened.snapshot = recent.get(index)
            if event is not None:
                summary.events.append(event)
                if on_event:
                    on_event(event)
            if on_row:
                on_row(LiveRow(index, when, segment, raw, smoothed,
                               bool(tracker and tracker.active)))

    def close_segment():
        event = tracker.close() if tracker else None
        if event is not None:
            summary.events.append(event)
            if on_event:
                on_event(event)

    segment_state = dict(meta=[], raws={}, scored=0)
    try:
        while state['pending'] is not None:
            segment = state['pending'].segment
            summary.segments += 1
            meta, raws = [], {}
            segment_state.update(meta=meta, raws=raws, scored=0)
            smoother.reset()

            def feed():
                while (state['pending'] is not None
                       and state['pending'].segment == segment):
                    item = state['pending']
                    meta.append((item.index, item.time, item.segment))
                    yield _tensor(item.frame)
                    state['pending'] = next(source, None)

            for chunk in stream_video(model, feed(), batch_size=1,
                                      backbone=backbone):
                for k, (local, raw) in enumerate(
                        zip(chunk.frame_inds.tolist(),
                            chunk.scores.float().tolist())):
                    if tracker is not None:
                        recent[meta[local][0]] = _snapshot(chunk, k)
                        for old in sorted(recent)[:-keep]:
                            del recent[old]
                    summary.scored += 1
                    raws[segment_state['scored']] = (local, raw)
                    segment_state['scored'] += 1
                    emit(smoother.push(raw), meta, raws)
                if duration is not None and time.time() - start >= duration:
                    summary.ended_by = 'duration'
                    state['pending'] = None
                    break
            emit(smoother.flush(), meta, raws)
            close_segment()
    except KeyboardInterrupt:
        summary.ended_by = 'interrupt'
        # the scores already computed still get their rows and events
        emit(smoother.flush(), segment_state['meta'], segment_state['raws'])
        close_segment()
    finally:
        summary.seconds = time.time() - start
        if stop is not None and summary.ended_by != 'source':
            stop()
    return summary
