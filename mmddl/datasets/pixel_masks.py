"""Per-pixel ground truth of test videos, for the pixel-level criterion.

The datasets note where each test video's masks are (``video['pixel_masks']``,
a small dict of data): Ped2's ``TestNNN_gt/*.bmp`` (``kind='folder'``),
Avenue's ``testing_label_mask/N_label.mat`` key ``volLabel``
(``kind='vol_label'``), ShanghaiTech's ``testing/test_pixel_mask/<video>.npy``
(``kind='npy'``). :func:`load_pixel_masks` reads them when the metric asks.

Example:
    >>> load_pixel_masks(dict(video_id='x', frame_paths=[]))  # no masks
"""
import os.path as osp
from typing import Optional

import numpy as np

from .vad_labels import (check_label_length, read_mask_images,
                         read_vol_label_masks)


def folder_masks(folder: str) -> Optional[dict]:
    """The ``pixel_masks`` entry of a folder of mask images, if it exists."""
    return dict(kind='folder', path=folder) if osp.isdir(folder) else None


def file_masks(path: str, kind: str) -> Optional[dict]:
    """The ``pixel_masks`` entry of a mask file, if it exists."""
    return dict(kind=kind, path=path) if osp.isfile(path) else None


def load_pixel_masks(video: dict) -> Optional[np.ndarray]:
    """(L, H, W) bool masks of a video's frames, or None when the dataset
    found none for it.

    Raises:
        ValueError: The masks do not match the video's frame count, naming
            the file or folder.
    """
    source = video.get('pixel_masks')
    if not source:
        return None
    num_frames = len(video['frame_paths'])
    kind, path = source['kind'], source['path']
    if kind == 'folder':
        return read_mask_images(path, video['video_id'], num_frames)
    if kind == 'vol_label':
        return np.stack(
            read_vol_label_masks(path, video['video_id'], num_frames))
    if kind == 'npy':
        masks = np.load(path, mmap_mode='r', allow_pickle=False)
        check_label_length(len(masks), num_frames, video['video_id'], path)
        return masks
    raise ValueError(f'unknown pixel mask kind {kind!r}')
