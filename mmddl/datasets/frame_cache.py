"""A per-video cache of decoded, resized frames in memory-mapped ``.npy``.

Decoding JPEGs and resizing them costs more than a training step on small
inputs, and each frame is read T times per epoch. The cache decodes a whole
video once into ``(N, H, W, C)`` uint8 and memory-maps it afterwards.

The file name carries a fingerprint of the source frames (names, sizes,
modification times) and of the output size, so a changed source or size is
never served from an old file. A cache file is written to a hidden
temporary file in the same folder and renamed into place, so dataloader
workers or ranks that race build the same bytes and never see a half
written file; stale versions of a video are removed after a rebuild.

Example:
    >>> cache = FrameCache('data/cache', scale=(64, 64))  # doctest: +SKIP
    >>> frames = cache.video(frame_paths)  # doctest: +SKIP
    >>> frames.shape  # (N, 64, 64, 3), memory-mapped  # doctest: +SKIP
"""
import glob
import hashlib
import os
import os.path as osp
import re
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from mmddl.utils.atomic_backend import atomic_output
from .frame_decoding import (DEFAULT_INTERPOLATION, check_interpolation,
                             decode_frame)


def source_fingerprint(frame_paths: Sequence[str]) -> str:
    """Hash of the frames' names, sizes and modification times."""
    digest = hashlib.sha1()
    for path in frame_paths:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise FileNotFoundError(f'Frame {path} is missing') from None
        name = osp.basename(path)  # the folder is in the file's prefix
        digest.update(f'{name}|{st.st_size}|{st.st_mtime_ns}\n'.encode())
    return digest.hexdigest()[:16]


class FrameCache:
    """Decoded frames of whole videos, built on first use, memory-mapped.

    Args:
        cache_dir (str): folder of the cache files (created if needed).
        scale (tuple[int, int], optional): (width, height) of the cached
            frames; None keeps the source size.
        grayscale (bool): cache one channel instead of RGB.
        interpolation (str): resize interpolation, see
            :func:`decode_frame`.
    """

    def __init__(self,
                 cache_dir: str,
                 scale: Optional[Tuple[int, int]] = None,
                 grayscale: bool = False,
                 interpolation: str = DEFAULT_INTERPOLATION):
        self.cache_dir = cache_dir
        self.scale = None if scale is None else tuple(int(s) for s in scale)
        self.grayscale = grayscale
        # The name is part of every cache file's name, so frames resized
        # another way are never served for this setting.
        self.interpolation = check_interpolation(interpolation)
        # Opened videos of this process; the source is checked once each.
        self._videos: Dict[tuple, np.ndarray] = {}

    def _prefix(self, frame_paths: Sequence[str]) -> str:
        video_dir = osp.dirname(osp.abspath(frame_paths[0]))
        tail = re.sub(r'[^A-Za-z0-9_.-]', '_', osp.basename(video_dir))
        where = hashlib.sha1(video_dir.encode()).hexdigest()[:10]
        size = 'orig' if self.scale is None else '{}x{}'.format(*self.scale)
        mode = 'gray' if self.grayscale else 'rgb'
        return f'{tail}_{where}_{size}_{mode}_{self.interpolation}'

    def path_of(self, frame_paths: Sequence[str]) -> str:
        """Where the cache file of a video (in its current state) lives."""
        return osp.join(
            self.cache_dir,
            f'{self._prefix(frame_paths)}_{source_fingerprint(frame_paths)}'
            '.npy')

    def video(self, frame_paths: Sequence[str]) -> np.ndarray:
        """All frames of a video, (N, H, W, C) uint8, memory-mapped."""
        key = (frame_paths[0], frame_paths[-1], len(frame_paths))
        frames = self._videos.get(key)
        if frames is None:
            path = self.path_of(frame_paths)
            if not osp.isfile(path):
                self._build(frame_paths, path)
            frames = np.load(path, mmap_mode='r')
            if frames.shape[0] != len(frame_paths):
                raise ValueError(f'Frame cache {path} holds {frames.shape[0]}'
                                 f' frames, the video {len(frame_paths)}; '
                                 'delete the file')
            self._videos[key] = frames
        return frames

    def _build(self, frame_paths: Sequence[str], path: str) -> None:
        os.makedirs(self.cache_dir, exist_ok=True)
        first = self._decode(frame_paths[0])
        with atomic_output(path) as tmp:
            out = np.lib.format.open_memmap(
                tmp, mode='w+', dtype=np.uint8,
                shape=(len(frame_paths), ) + first.shape)
            out[0] = first
            for i, frame_path in enumerate(frame_paths[1:], start=1):
                frame = self._decode(frame_path)
                if frame.shape != first.shape:
                    raise ValueError(
                        f'Frame {frame_path} is {frame.shape}, the first '
                        f'frame of its video {first.shape}; set a scale')
                out[i] = frame
            out.flush()
            del out
            with open(tmp, 'rb') as f:
                os.fsync(f.fileno())
        # Older versions of this video (changed source) are now stale.
        prefix = path[:path.rindex('_') + 1]
        for old in glob.glob(glob.escape(prefix) + '*.npy'):
            if old != path:
                try:
                    os.remove(old)
                except FileNotFoundError:
                    pass  # another worker removed it first

    def _decode(self, path: str) -> np.ndarray:
        return decode_frame(path, self.scale, self.grayscale,
                            self.interpolation)
