"""The per-dataset cache of tracked boxes that training masks are drawn from.

Written by :mod:`mmddl.tracking` (``tools/build_masks.py``), read by the
training pipeline (:class:`~mmddl.datasets.transforms.LoadTrackMasks`);
it lives with the datasets so that reading it needs nothing of tracking.

Boxes are stored per video, per frame index, per track id, as
``[x0, y0, x1, y1]`` normalised to [0, 1] by the frame's width and height, so
one cache serves any training resolution.

Two file formats are read and written (JSON both):

- mmddl's own, keyed by video id and frame index::

    {"format": "mmddl.boxes/1", "meta": {...},
     "videos": {"01": {"num_frames": 120,
                       "frames": {"0": {"3": [0.1, 0.2, 0.3, 0.5]}, ...}}}}

- the authors' published ``tracked_bounding_boxes.json``, keyed by frame
  path: ``{frame_path: {track_id: {"box": [x0, y0, x1, y1]}}}``. A frame path
  is matched to (video id, frame index) through the dataset's frame lists
  when given (by its last two path parts, ``<video>/<file>``), otherwise by
  its folder name and the number in its file name, counted from the smallest
  number seen in that folder.

Example:
    >>> cache = BoxCache()
    >>> cache.set_frame('01', 0, {3: [0.1, 0.2, 0.3, 0.5]})
    >>> cache.save('/tmp/boxes.json')
    >>> BoxCache.load('/tmp/boxes.json').tracks_in_window('01', [0])
    [3]
"""
import json
import os
import os.path as osp
import re
from typing import Dict, Iterable, List, Optional, Sequence

from mmddl.utils.atomic_backend import atomic_write_bytes

FORMAT = 'mmddl.boxes/1'


class BoxCache:
    """Tracked boxes per video, frame index and track id (normalised)."""

    def __init__(self, meta: Optional[dict] = None):
        self.meta = dict(meta or {})
        # video_id -> {frame_index: {track_id: [x0, y0, x1, y1]}}
        self.videos: Dict[str, Dict[int, Dict[int, List[float]]]] = {}
        self.num_frames: Dict[str, int] = {}

    # ------------------------------------------------------------ building
    def set_frame(self, video_id: str, frame_index: int,
                  boxes: Dict[int, Sequence[float]]) -> None:
        """Store the boxes of one frame (normalised ``x0, y0, x1, y1``)."""
        frames = self.videos.setdefault(str(video_id), {})
        if boxes:
            frames[int(frame_index)] = {
                int(tid): [float(v) for v in box]
                for tid, box in boxes.items()
            }
        else:  # frames without boxes are simply absent
            frames.pop(int(frame_index), None)
        self.num_frames[str(video_id)] = max(
            self.num_frames.get(str(video_id), 0), int(frame_index) + 1)

    def set_video(self, video_id: str,
                  frames: Sequence[Dict[int, Sequence[float]]]) -> None:
        """Store a whole video: ``frames[i]`` holds frame i's boxes."""
        self.videos[str(video_id)] = {}
        for index, boxes in enumerate(frames):
            self.set_frame(video_id, index, boxes)
        self.num_frames[str(video_id)] = len(frames)

    def update(self, other: 'BoxCache') -> None:
        """Take over every video of ``other``."""
        self.videos.update(other.videos)
        self.num_frames.update(other.num_frames)

    # ------------------------------------------------------------- queries
    def frame_boxes(self, video_id: str,
                    frame_index: int) -> Dict[int, List[float]]:
        """The boxes of one frame; empty when nothing was tracked there."""
        return self.videos.get(str(video_id), {}).get(int(frame_index), {})

    def tracks_in_window(self, video_id: str,
                         frame_inds: Iterable[int]) -> List[int]:
        """Sorted ids of the tracks present in every frame of a window."""
        common = None
        for index in frame_inds:
            ids = set(self.frame_boxes(video_id, index))
            common = ids if common is None else common & ids
            if not common:
                return []
        return sorted(common or [])

    def has_video(self, video_id: str) -> bool:
        return str(video_id) in self.videos

    def __len__(self) -> int:
        return len(self.videos)

    # ----------------------------------------------------------- own format
    def to_dict(self) -> dict:
        return dict(
            format=FORMAT,
            meta=self.meta,
            videos={
                vid: dict(
                    num_frames=self.num_frames.get(vid, 0),
                    frames={
                        str(idx): {str(t): box
                                   for t, box in boxes.items()}
                        for idx, boxes in sorted(frames.items()) if boxes
                    })
                for vid, frames in sorted(self.videos.items())
            })

    def save(self, path: str) -> None:
        """Write mmddl's format atomically (temporary file + rename)."""
        atomic_write_bytes(json.dumps(self.to_dict()).encode(), path)

    @classmethod
    def from_dict(cls, data: dict, source: str = '<dict>') -> 'BoxCache':
        if data.get('format') != FORMAT:
            raise ValueError(f'{source}: not an mmddl box cache (format '
                             f'{data.get("format")!r}, expected {FORMAT!r})')
        cache = cls(meta=data.get('meta'))
        for vid, video in data['videos'].items():
            cache.videos[vid] = {
                int(idx): {int(t): box
                           for t, box in boxes.items()}
                for idx, boxes in video['frames'].items()
            }
            cache.num_frames[vid] = int(video.get('num_frames', 0))
        return cache

    # ------------------------------------------------------ authors' format
    def to_authors_dict(self, frame_paths: Dict[str, Sequence[str]]) -> dict:
        """The authors' ``{frame_path: {track_id: {"box": [...]}}}``.

        Args:
            frame_paths (dict): video id -> its frame paths in order; every
                frame gets a key, empty when it has no box.
        """
        out = {}
        for vid, paths in frame_paths.items():
            for index, path in enumerate(paths):
                boxes = self.frame_boxes(vid, index)
                out[path] = {str(t): dict(box=b) for t, b in boxes.items()}
        return out

    def save_authors_json(self, path: str,
                          frame_paths: Dict[str, Sequence[str]]) -> None:
        """Write the authors' format atomically."""
        atomic_write_bytes(
            json.dumps(self.to_authors_dict(frame_paths)).encode(), path)

    @classmethod
    def from_authors_dict(
            cls,
            data: dict,
            frame_paths: Optional[Dict[str, Sequence[str]]] = None,
            source: str = '<dict>') -> 'BoxCache':
        """Read the authors' format; see the module docstring for matching."""
        cache = cls(meta=dict(source_format='authors', source=source))
        if frame_paths is not None:
            where = {
                _tail(p): (vid, i)
                for vid, paths in frame_paths.items()
                for i, p in enumerate(paths)
            }
        else:
            where = _index_by_file_number(data.keys(), source)
        unmatched = []
        for path, tracks in data.items():
            if _tail(path) not in where:
                unmatched.append(path)
                continue
            vid, index = where[_tail(path)]
            if not isinstance(tracks, dict):
                raise ValueError(f'{source}: entry {path!r} must map track '
                                 'ids to {"box": [x0, y0, x1, y1]}')
            cache.set_frame(vid, index,
                            {int(t): v['box']
                             for t, v in tracks.items()})
        if unmatched:
            raise ValueError(
                f'{source}: {len(unmatched)} frame paths match no frame of '
                f'the dataset, e.g. {unmatched[0]!r}')
        if frame_paths is not None:
            for vid, paths in frame_paths.items():
                if vid in cache.videos:
                    cache.num_frames[vid] = len(paths)
        return cache

    # -------------------------------------------------------------- loading
    @classmethod
    def load(cls,
             path: str,
             frame_paths: Optional[Dict[str, Sequence[str]]] = None
             ) -> 'BoxCache':
        """Read either format (told apart by the ``format`` key)."""
        if not osp.isfile(path):
            raise FileNotFoundError(f'box cache {path} does not exist')
        with open(path) as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as err:
                raise ValueError(f'box cache {path} is not valid JSON: '
                                 f'{err}') from None
        if isinstance(data, dict) and data.get('format') == FORMAT:
            return cls.from_dict(data, source=path)
        return cls.from_authors_dict(data, frame_paths, source=path)


def _tail(path: str) -> str:
    """``<video folder>/<file name>`` of a frame path."""
    parts = re.split(r'[\\/]+', os.fspath(path))
    return '/'.join(parts[-2:])


def _index_by_file_number(paths: Iterable[str], source: str) -> dict:
    numbers: Dict[str, Dict[str, int]] = {}
    for path in paths:
        tail = _tail(path)
        video, name = tail.split('/') if '/' in tail else ('', tail)
        digits = re.findall(r'\d+', osp.splitext(name)[0])
        if not digits:
            raise ValueError(f'{source}: cannot tell the frame number of '
                             f'{path!r}; pass the dataset frame lists')
        numbers.setdefault(video, {})[tail] = int(digits[-1])
    where = {}
    for video, files in numbers.items():
        first = min(files.values())
        for tail, number in files.items():
            where[tail] = (video, number - first)
    return where
