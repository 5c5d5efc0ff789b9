"""Decoding one frame file to an RGB (or grayscale) uint8 array.

Example:
    >>> import numpy as np, cv2, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), '000.png')
    >>> _ = cv2.imwrite(path, np.zeros((4, 6, 3), np.uint8))
    >>> decode_frame(path, scale=(3, 2)).shape
    (2, 3, 3)
"""
from typing import Optional, Tuple

import cv2
import numpy as np

INTERPOLATIONS = dict(
    bilinear=cv2.INTER_LINEAR,
    nearest=cv2.INTER_NEAREST,
    area=cv2.INTER_AREA,
    bicubic=cv2.INTER_CUBIC)


def decode_frame(path: str,
                 scale: Optional[Tuple[int, int]] = None,
                 grayscale: bool = False,
                 interpolation: str = 'bilinear') -> np.ndarray:
    """Read a frame, optionally resize it, and return (H, W, C) uint8.

    Args:
        path (str): the image file (.jpg, .png, .bmp, .tif ...).
        scale (tuple[int, int], optional): (width, height) to resize to.
        grayscale (bool): one channel (C=1) instead of RGB (C=3).
        interpolation (str): a key of :data:`INTERPOLATIONS`.

    Raises:
        ValueError: when the file cannot be decoded, naming it.
    """
    flag = cv2.IMREAD_GRAYSCALE if grayscale else cv2.IMREAD_COLOR
    img = cv2.imread(path, flag)
    if img is None:
        raise ValueError(f'Cannot read frame {path} (missing, empty or not '
                         'an image)')
    if scale is not None and (img.shape[1], img.shape[0]) != tuple(scale):
        img = cv2.resize(
            img, tuple(int(s) for s in scale),
            interpolation=INTERPOLATIONS[interpolation])
    if grayscale:
        return img[..., None]
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
