"""How many training windows have an object to corrupt.

DDL corrupts one object tracked over the whole window; a window with no
such track trains only the reconstruction loss. When no window has one (a
clip shorter than any track, a detector tuned for other object sizes, a box
cache whose video ids match none of the videos) DDL silently becomes plain
reconstruction, so training and ``tools/build_masks.py`` measure the share
first.

Example:
    >>> share = window_mask_share(dataset, box_cache)  # doctest: +SKIP
    >>> share.usable, share.windows, f'{share.fraction:.1%}'  # doctest: +SKIP
    (412, 500, '82.4%')
"""
import hashlib
import os.path as osp
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from .box_cache import BoxCache

#: What a user tunes when too few windows have a track.
TUNING_HINT = (
    'Tune the mask config (configs/masks/...): for MotionBlobDetector '
    'detector.min_area (the smallest object, in source pixels), '
    'detector.diff_thr and detector.background_frames; for an mmdet '
    'detector detector.score_thr; for OC-SORT tracker.init_track_thr and '
    'tracker.num_tentatives (frames before a track counts). Look at the '
    'tracks with tools/visualize_tracks.py, then rebuild with '
    'tools/build_masks.py CONFIG --force. A video shorter than the window '
    'or than tracker.num_tentatives never gets a track.')


@dataclass(frozen=True)
class MaskShare:
    """Windows with at least one track present in all their frames.

    Attributes:
        usable (int): windows (of those looked at) with a track.
        windows (int): windows looked at.
        videos_matched (int): videos of the dataset the box cache knows.
        videos (int): videos of the dataset.
    """
    usable: int
    windows: int
    videos_matched: int
    videos: int

    @property
    def fraction(self) -> float:
        return self.usable / self.windows if self.windows else 0.0

    def describe(self) -> str:
        return (f'{self.usable} of {self.windows} training windows '
                f'({self.fraction:.1%}) have an object tracked over the '
                f'whole window; the box cache knows {self.videos_matched} '
                f'of {self.videos} videos')


def window_mask_share(dataset,
                      cache: BoxCache,
                      max_windows: Optional[int] = 20000) -> MaskShare:
    """Count the windows of ``dataset`` with a track in ``cache``.

    Args:
        dataset: a VAD dataset (``get_data_info`` gives ``video_id`` and
            ``frame_inds``).
        cache (BoxCache): the training masks' box cache.
        max_windows (int, optional): look at this many windows, evenly
            spread, on large datasets; None looks at all.
    """
    total = len(dataset)
    if max_windows is not None and total > max_windows:
        indices = np.linspace(0, total - 1, max_windows).round().astype(int)
    else:
        indices = np.arange(total)
    usable, video_ids = 0, set()
    for index in indices:
        info = dataset.get_data_info(int(index))
        video_ids.add(str(info['video_id']))
        if cache.tracks_in_window(info['video_id'], info['frame_inds']):
            usable += 1
    videos = getattr(dataset, 'videos', None)
    if videos is not None:
        video_ids = {str(v['video_id']) for v in videos}
    matched = sum(cache.has_video(v) for v in video_ids)
    return MaskShare(usable, len(indices), matched, len(video_ids))


def video_set_fingerprint(videos: Sequence[dict]) -> dict:
    """What a box cache records of the videos it was built from: their
    number and a hash of their ids, frame counts and the byte sizes of
    their first and last frames (other footage differs there; a moved or
    copied root does not)."""
    digest = hashlib.sha1()
    for video in sorted(videos, key=lambda v: str(v['video_id'])):
        paths = video['frame_paths']
        ends = [osp.getsize(p) if osp.isfile(p) else -1
                for p in (paths[0], paths[-1])] if paths else []
        digest.update(
            f"{video['video_id']}:{len(paths)}:{ends}\n".encode())
    return dict(count=len(videos), fingerprint=digest.hexdigest()[:16])


def box_cache_owner(dataset) -> dict:
    """The ``meta`` entries that bind a box cache to ``dataset``."""
    return dict(
        data_root=osp.abspath(dataset.data_root),
        videos=video_set_fingerprint(dataset.videos))


def check_box_cache_owner(cache: BoxCache, dataset, path: str) -> None:
    """Raise when ``cache`` (at ``path``) was built from other videos than
    ``dataset``'s; caches without an owner (the authors' JSON, older
    caches) are not checked here, :func:`window_mask_share` still counts
    the videos they match."""
    built_for = cache.meta.get('videos')
    if not built_for:
        return
    owner = box_cache_owner(dataset)
    if built_for != owner['videos']:
        raise ValueError(
            f'box cache {path} was built from {built_for.get("count")} '
            f'videos under {cache.meta.get("data_root", "another root")} '
            f'(fingerprint {built_for.get("fingerprint")}), but the '
            f'training set is {owner["videos"]["count"]} videos under '
            f'{owner["data_root"]} (fingerprint '
            f'{owner["videos"]["fingerprint"]}): the masks would fall on '
            'the wrong frames. Build this dataset\'s own cache with '
            'tools/build_masks.py (set data_root, e.g. --cfg-options '
            'data_root=...), or point LoadTrackMasks.box_cache at it.')
