"""Detect and track objects over every frame of a set of videos, into a
:class:`BoxCache`, resumably.

Each finished video is written at once to ``<out_file>.parts/<video>.json``
(atomically), carrying the build's ``meta`` (detector and tracker settings,
the dataset it belongs to); a rerun skips videos whose part exists with the
same ``meta``, so an interrupted build loses at most the video in progress,
and parts built with other settings are built again, never mixed in.
When all videos are done the parts are
merged into ``out_file`` (atomically) and removed.

Example:
    >>> # videos: video id -> a sequence of RGB uint8 frames (len, [i])
    >>> # cache = build_box_cache(videos, MotionBlobDetector(),
    >>> #                         dict(init_track_thr=0.5), 'boxes.json')
"""
import json
import os
import os.path as osp
import shutil
import time
from typing import Callable, Dict, Mapping, Optional, Sequence

import numpy as np
from mmengine.utils import ProgressBar

from mmddl.datasets.box_cache import BoxCache
from .ocsort import OCSORTVideoTracker


def track_video(frames: Sequence[np.ndarray],
                detector,
                tracker_cfg: Optional[dict] = None,
                batch_size: int = 8) -> list:
    """Boxes of every frame of one video, with track ids, normalised.

    Args:
        frames (Sequence[ndarray]): RGB uint8 frames in order.
        detector: Has ``prepare_video(frames)`` and ``detect(list)``.
        tracker_cfg (dict, optional): OC-SORT settings.
        batch_size (int): Frames per detector call.

    Returns:
        list[dict[int, list[float]]]: per frame, track id -> normalised box.
    """
    detector.prepare_video(frames)
    tracker = OCSORTVideoTracker(**(tracker_cfg or {}))
    out = []
    for start in range(0, len(frames), batch_size):
        batch = [frames[i] for i in range(start,
                                          min(start + batch_size,
                                              len(frames)))]
        for offset, det in enumerate(detector.detect(batch)):
            height, width = batch[offset].shape[:2]
            boxes, ids = tracker.step(start + offset, det['bboxes'],
                                      det['scores'], det['labels'])
            scale = np.array([width, height, width, height], np.float32)
            norm = np.clip(boxes / scale, 0.0, 1.0)
            out.append({int(t): [round(float(v), 6) for v in b]
                        for t, b in zip(ids, norm)})
    return out


def build_box_cache(videos: Mapping[str, Sequence[np.ndarray]],
                    detector,
                    tracker_cfg: Optional[dict],
                    out_file: str,
                    batch_size: int = 8,
                    meta: Optional[dict] = None,
                    progress: bool = True,
                    rank: int = 0,
                    world_size: int = 1,
                    barrier: Optional[Callable[[], None]] = None
                    ) -> Dict[str, float]:
    """Build ``out_file`` for all ``videos``, resuming from finished parts.

    With ``world_size`` > 1 (``tools/dist_build_masks.sh``) process
    ``rank`` tracks the videos ``rank, rank + world_size, ...`` of the
    sorted ids, all processes meet at ``barrier``, and rank 0 merges every
    part into ``out_file``: the same file a single process writes, since
    each video's part depends on that video alone.

    Returns:
        dict: ``frames`` processed now (by this process), ``seconds``
        spent, ``fps``, ``videos_skipped`` (already done before).
    """
    parts_dir = out_file + '.parts'
    os.makedirs(parts_dir, exist_ok=True)
    mine = sorted(videos)[rank::world_size]
    todo = [v for v in mine
            if not _part_is_current(osp.join(parts_dir, f'{v}.json'), meta)]
    total = sum(len(videos[v]) for v in todo)
    bar = ProgressBar(total) if progress and total and rank == 0 else None
    frames_done, start = 0, time.perf_counter()
    for video_id in todo:
        frames = videos[video_id]
        part = BoxCache(meta=meta)
        part.set_video(video_id, track_video(frames, detector, tracker_cfg,
                                             batch_size))
        part.save(osp.join(parts_dir, f'{video_id}.json'))
        frames_done += len(frames)
        if bar is not None:
            for _ in range(len(frames)):
                bar.update()
    seconds = time.perf_counter() - start
    if barrier is not None:
        barrier()  # every part is written
    if rank == 0:
        cache = BoxCache(meta=meta)
        for video_id in videos:
            cache.update(
                BoxCache.load(osp.join(parts_dir, f'{video_id}.json')))
        cache.save(out_file)
        shutil.rmtree(parts_dir)
    if barrier is not None:
        barrier()  # the merged cache exists for every rank
    return dict(
        frames=frames_done,
        seconds=seconds,
        fps=frames_done / seconds if seconds > 0 and frames_done else 0.0,
        videos_skipped=len(mine) - len(todo))


def _as_json(value):
    """``value`` after a JSON round trip (tuples become lists)."""
    return json.loads(json.dumps(value))


def _part_is_current(path: str, meta: Optional[dict]) -> bool:
    """Whether the finished part ``path`` was built with ``meta``."""
    if not osp.isfile(path):
        return False
    try:
        built_with = BoxCache.load(path).meta
    except (ValueError, OSError):
        return False  # unreadable: build it again
    return _as_json(built_with) == _as_json(dict(meta or {}))
