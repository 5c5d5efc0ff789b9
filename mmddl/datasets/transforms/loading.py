"""Loading the T frames of a window."""
from typing import Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmddl.registry import TRANSFORMS
from ..frame_cache import FrameCache
from ..frame_decoding import (DEFAULT_INTERPOLATION, check_interpolation,
                              decode_frame)


@TRANSFORMS.register_module()
class LoadFrameWindow(BaseTransform):
    """Load the frames of a window, resized, as RGB (or gray) uint8.

    Without ``cache_dir`` each frame is decoded with OpenCV. With it, each
    video is decoded and resized once into a memory-mapped ``.npy`` (see
    :class:`mmddl.datasets.frame_cache.FrameCache`) and windows are sliced
    from it; the pixels are the same.

    Required Keys:
        - frame_paths (list[str]): all frames of the video.
        - frame_inds (list[int]): the T indices of the window.

    Added Keys:
        - imgs (np.ndarray): (T, H, W, C) uint8, C = 3 (RGB) or 1.
        - img_shape (tuple[int, int]): (H, W).

    Args:
        scale (tuple[int, int], optional): (width, height) to resize to.
            Defaults to None (source size).
        cache_dir (str, optional): folder of the frame cache. Defaults to
            None (decode directly).
        grayscale (bool): one channel instead of RGB. Defaults to False.
        interpolation (str): ``'antialias'`` (area averaging along each
            axis that shrinks, linear along each that grows), or the
            plain OpenCV ``'bilinear'`` (the authors' aliased resize),
            ``'nearest'``, ``'area'``, ``'bicubic'``. Defaults to
            ``'antialias'``; see :func:`~mmddl.datasets.frame_decoding.
            resize_frame`.

    Examples:
        >>> t = LoadFrameWindow(scale=(64, 64))
        >>> out = t(dict(frame_paths=paths,  # doctest: +SKIP
        ...              frame_inds=[0, 1, 2]))
        >>> out['imgs'].shape  # doctest: +SKIP
        (3, 64, 64, 3)
    """

    def __init__(self,
                 scale: Optional[Tuple[int, int]] = None,
                 cache_dir: Optional[str] = None,
                 grayscale: bool = False,
                 interpolation: str = DEFAULT_INTERPOLATION):
        if scale is not None and (len(scale) != 2 or min(scale) < 1):
            raise ValueError(f'scale must be (width, height), got {scale}')
        check_interpolation(interpolation)
        self.scale = None if scale is None else tuple(int(s) for s in scale)
        self.cache_dir = cache_dir
        self.grayscale = grayscale
        self.interpolation = interpolation
        self.cache = None if cache_dir is None else FrameCache(
            cache_dir, self.scale, grayscale, interpolation)

    def load_frames(self, paths, inds) -> np.ndarray:
        """Frames ``inds`` of the video ``paths``, (len(inds), H, W, C)."""
        if self.cache is not None:
            # fancy indexing copies the frames out of the memory map
            return np.asarray(self.cache.video(paths)[list(inds)])
        return np.stack([
            decode_frame(paths[i], self.scale, self.grayscale,
                         self.interpolation) for i in inds
        ])

    def load_video(self, paths) -> np.ndarray:
        """All frames of a video as this transform gives them,
        (N, H, W, C) uint8; memory-mapped when cached. Used by the
        streaming test loop, which scores whole videos."""
        if self.cache is not None:
            return self.cache.video(paths)
        return self.load_frames(paths, range(len(paths)))

    def transform(self, results: dict) -> dict:
        imgs = self.load_frames(results['frame_paths'],
                                list(results['frame_inds']))
        results['imgs'] = imgs
        results['img_shape'] = imgs.shape[1:3]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'cache_dir={self.cache_dir!r}, grayscale={self.grayscale}, '
                f'interpolation={self.interpolation!r})')
