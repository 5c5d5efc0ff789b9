"""Decoding one frame file to an RGB (or grayscale) uint8 array, and the
resize every frame path (datasets, frame cache, ``score_video``, live
scoring) shares.

The default interpolation, ``'antialias'``, averages the source pixels
that fall into each output pixel along every axis that shrinks (OpenCV's
area interpolation) and interpolates linearly along every axis that grows.
Plain ``'bilinear'`` (the authors' torchvision 0.16 ``Resize`` on tensors)
samples only the 2 x 2 source pixels nearest each output pixel, so a large
downscale (768x576 to 128x128) aliases: fine texture turns into noise that
the pseudo anomaly's noise cannot be told from (docs/method.md, section 2).

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

from .image_integrity import check_jpeg, is_jpeg

#: Interpolation names and their OpenCV flags; ``'antialias'`` is the
#: per-axis area-down / linear-up resize of :func:`resize_frame`.
INTERPOLATIONS = dict(
    antialias=None,
    bilinear=cv2.INTER_LINEAR,
    nearest=cv2.INTER_NEAREST,
    area=cv2.INTER_AREA,
    bicubic=cv2.INTER_CUBIC)

#: What every loader uses unless a config names another interpolation.
DEFAULT_INTERPOLATION = 'antialias'


def check_interpolation(interpolation: str) -> str:
    """Return ``interpolation`` or raise a ValueError listing the names."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f'interpolation must be one of '
                         f'{sorted(INTERPOLATIONS)}, got {interpolation!r}')
    return interpolation


def resize_frame(img: np.ndarray, size: Tuple[int, int],
                 interpolation: str = DEFAULT_INTERPOLATION) -> np.ndarray:
    """Resize an (H, W[, C]) uint8 image to ``size`` = (width, height).

    ``'antialias'`` resizes the two axes one after the other, each with
    area averaging when it shrinks and linear interpolation when it grows,
    so that a frame shrunk along one axis and grown along the other (Ped2's
    360x240 to 256x256) is still antialiased where it shrinks; OpenCV's own
    ``INTER_AREA`` falls back to interpolation as soon as either axis grows.

    Example:
        >>> img = np.zeros((4, 8), np.uint8); img[:, ::4] = 200
        >>> resize_frame(img, (2, 4))[0].tolist()  # the mean of 4 columns
        [50, 50]
        >>> resize_frame(img, (2, 4), 'bilinear')[0].tolist()  # misses them
        [0, 0]
    """
    width, height = (int(s) for s in size)
    if (img.shape[1], img.shape[0]) == (width, height):
        return img
    flag = INTERPOLATIONS[check_interpolation(interpolation)]
    if flag is not None:
        return cv2.resize(img, (width, height), interpolation=flag)
    if img.shape[1] != width:
        img = cv2.resize(
            img, (width, img.shape[0]),
            interpolation=cv2.INTER_AREA
            if width < img.shape[1] else cv2.INTER_LINEAR)
    if img.shape[0] != height:
        img = cv2.resize(
            img, (width, height),
            interpolation=cv2.INTER_AREA
            if height < img.shape[0] else cv2.INTER_LINEAR)
    return img


def pin_interpolation(node,
                      interpolation: str = DEFAULT_INTERPOLATION,
                      overwrite: bool = False) -> int:
    """Give every ``LoadFrameWindow`` in a config tree that names no
    ``interpolation`` (every one, with ``overwrite``) this one, in place;
    returns how many were set.

    ``tools/train.py`` pins the default into the config it stores in
    checkpoints, so a model is always scored with the resize it was trained
    with, whatever the default becomes. Configs stored before the
    ``'antialias'`` default name none: they were trained with
    ``'bilinear'``, which :func:`mmddl.apis.init_model` pins for them.
    """
    count = 0
    if isinstance(node, dict):
        kind = str(node.get('type', '')).split('.')[-1]
        if kind == 'LoadFrameWindow' and (overwrite
                                          or 'interpolation' not in node):
            node['interpolation'] = interpolation
            count += 1
        for value in node.values():
            count += pin_interpolation(value, interpolation, overwrite)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += pin_interpolation(value, interpolation, overwrite)
    return count


def read_image(path: str, flag: int = cv2.IMREAD_COLOR
               ) -> Optional[np.ndarray]:
    """``cv2.imread`` that refuses damaged JPEGs instead of warning.

    Returns None, as ``cv2.imread`` does, when the file is missing or not an
    image; raises :class:`CorruptImageError` for a cut-short or overwritten
    JPEG, which libjpeg would decode with a warning into a wrong image.
    """
    try:
        data = np.fromfile(path, np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    if is_jpeg(data):
        check_jpeg(data.tobytes(), path)
    return cv2.imdecode(data, flag)


def decode_frame(path: str,
                 scale: Optional[Tuple[int, int]] = None,
                 grayscale: bool = False,
                 interpolation: str = DEFAULT_INTERPOLATION) -> np.ndarray:
    """Read a frame, optionally resize it, and return (H, W, C) uint8.

    Args:
        path (str): the image file (.jpg, .png, .bmp, .tif ...).
        scale (tuple[int, int], optional): (width, height) to resize to.
        grayscale (bool): one channel (C=1) instead of RGB (C=3).
        interpolation (str): a key of :data:`INTERPOLATIONS`.

    Raises:
        ValueError: when the file cannot be decoded, naming it.
        CorruptImageError: when a JPEG is cut short or overwritten.
    """
    flag = cv2.IMREAD_GRAYSCALE if grayscale else cv2.IMREAD_COLOR
    img = read_image(path, flag)
    if img is None:
        raise ValueError(f'Cannot read frame {path} (missing, empty or not '
                         'an image)')
    if scale is not None:
        img = resize_frame(img, scale, interpolation)
    if grayscale:
        return img[..., None]
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
