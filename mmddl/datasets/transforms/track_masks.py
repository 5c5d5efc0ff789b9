"""Training masks M from the box cache (docs/method.md, section 3)."""
import os.path as osp
from typing import Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmddl.registry import TRANSFORMS
from ..box_cache import BoxCache

_LOADED = {}


def load_box_cache(path: str) -> BoxCache:
    """Load a box cache once per process (keyed by path, size and mtime)."""
    stat = osp.getmtime(path), osp.getsize(path)
    key = osp.abspath(path)
    if key not in _LOADED or _LOADED[key][0] != stat:
        _LOADED[key] = (stat, BoxCache.load(path))
    return _LOADED[key][1]


def rasterise_box(mask: np.ndarray, box, height: int, width: int) -> None:
    """Set the pixels of a normalised box in a (H, W) mask to 1.

    Edges are rounded outwards, so a box never shrinks to nothing.
    """
    x0, y0, x1, y1 = box
    left = int(np.clip(np.floor(x0 * width), 0, width - 1))
    top = int(np.clip(np.floor(y0 * height), 0, height - 1))
    right = int(np.clip(np.ceil(x1 * width), left + 1, width))
    bottom = int(np.clip(np.ceil(y1 * height), top + 1, height))
    mask[top:bottom, left:right] = 1


@TRANSFORMS.register_module()
class LoadTrackMasks(BaseTransform):
    """Draw one object tracked over the whole window and mask its boxes.

    Only tracks present in all T frames of the window qualify; one is drawn
    uniformly (numpy's global generator, which mmengine seeds per dataloader
    worker), and its box in each frame becomes a hard rectangle in the mask
    at the frame size after resizing. A window with no such track gets an
    all-zero mask: it still trains the reconstruction loss.

    Required keys: ``video_id``, ``frame_inds``, ``img_shape`` (H, W after
    resizing). Added keys: ``pseudo_mask`` (uint8, (T, H, W)),
    ``track_id`` (int, -1 when none).

    Args:
        box_cache (str): The cache written by ``tools/build_masks.py`` (or
            the authors' ``tracked_bounding_boxes.json``).
        mask_config (str | list[str], optional): The mask config(s) that
            build the cache, named in the error when the cache is missing.

    Examples:
        >>> transform = LoadTrackMasks(box_cache='data/ped2/boxes/train.json')
    """

    def __init__(self,
                 box_cache: str,
                 mask_config: Optional[Union[str, Sequence[str]]] = None):
        if not osp.isfile(box_cache):
            configs = ([mask_config] if isinstance(mask_config, str) else
                       list(mask_config or [
                           'configs/masks/<the mask config of this '
                           'dataset>.py'
                       ]))
            how = '\n  '.join(f'python tools/build_masks.py {c}'
                              for c in configs)
            raise FileNotFoundError(
                f'box cache {box_cache} does not exist; build it with '
                f'{"one of" if len(configs) > 1 else ""}:\n  {how}')
        self.box_cache = box_cache
        self.cache = load_box_cache(box_cache)

    def transform(self, results: dict) -> dict:
        video_id = results['video_id']
        frame_inds = list(results['frame_inds'])
        height, width = results['img_shape'][:2]
        mask = np.zeros((len(frame_inds), height, width), np.uint8)
        tracks = self.cache.tracks_in_window(video_id, frame_inds)
        track_id = -1
        if tracks:
            track_id = tracks[np.random.randint(len(tracks))]
            for t, index in enumerate(frame_inds):
                box = self.cache.frame_boxes(video_id, index)[track_id]
                rasterise_box(mask[t], box, height, width)
        results['pseudo_mask'] = mask
        results['track_id'] = track_id
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(box_cache={self.box_cache!r})'
