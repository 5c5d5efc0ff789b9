"""How a model wants its frames: the test pipeline's ``LoadFrameWindow``
settings (size, grey or RGB, the resize interpolation), read from a config.

Everything that feeds a trained model frames outside the dataset pipeline
(``score_video``, the live path, ONNX export) takes them from here, so they
resize exactly as training did.

Example:
    >>> import numpy as np
    >>> fmt = frame_format_from_config(dict(test_pipeline=[
    ...     dict(type='LoadFrameWindow', scale=(32, 24))]))
    >>> fmt.scale, fmt.convert(np.zeros((48, 64, 3), np.uint8)).shape
    ((32, 24), (24, 32, 3))
"""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from .frame_decoding import (DEFAULT_INTERPOLATION, check_interpolation,
                             resize_frame)


@dataclass(frozen=True)
class FrameFormat:
    """How the model wants its frames (the test pipeline's
    ``LoadFrameWindow`` settings).

    Attributes:
        scale (tuple[int, int], optional): (width, height); None keeps the
            source size.
        grayscale (bool): one channel instead of RGB.
        interpolation (str): a key of ``INTERPOLATIONS``; the default,
            ``'antialias'``, is the training pipeline's.
    """
    scale: Optional[Tuple[int, int]] = None
    grayscale: bool = False
    interpolation: str = DEFAULT_INTERPOLATION

    def __post_init__(self):
        check_interpolation(self.interpolation)

    def convert(self, frame: np.ndarray) -> np.ndarray:
        """An (H, W, C) RGB (C = 3) or grey (C = 1) uint8 frame in this
        format, (h, w, 1 or 3)."""
        if frame.ndim == 2:
            frame = frame[..., None]
        if self.scale is not None and \
                (frame.shape[1], frame.shape[0]) != tuple(self.scale):
            frame = resize_frame(frame, self.scale, self.interpolation)
            if frame.ndim == 2:  # cv2 drops a single channel axis
                frame = frame[..., None]
        channels = frame.shape[2]
        if self.grayscale and channels == 3:
            frame = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)[..., None]
        elif not self.grayscale and channels == 1:
            frame = np.repeat(frame, 3, axis=2)
        return np.ascontiguousarray(frame)


def frame_format_from_config(cfg) -> FrameFormat:
    """The frame format of a config's test pipeline ``LoadFrameWindow``.

    Looks in ``test_dataloader.dataset.pipeline``, then ``test_pipeline``;
    without a ``LoadFrameWindow`` there, ``img_scale`` gives the size.

    Args:
        cfg (Config | dict): the model's training config.

    Returns:
        FrameFormat: None scale when the config names no size.
    """
    pipelines: Sequence = []
    dataset = (cfg.get('test_dataloader') or {}).get('dataset') or {}
    for pipeline in (dataset.get('pipeline'), cfg.get('test_pipeline')):
        if pipeline:
            pipelines = list(pipelines) + list(pipeline)
    for step in pipelines:
        kind = str(step.get('type', '')).split('.')[-1]
        if kind == 'LoadFrameWindow':
            scale = step.get('scale')
            return FrameFormat(
                scale=None if scale is None else tuple(int(s) for s in scale),
                grayscale=bool(step.get('grayscale', False)),
                interpolation=step.get('interpolation',
                                       DEFAULT_INTERPOLATION))
    scale = cfg.get('img_scale')
    return FrameFormat(
        scale=None if scale is None else tuple(int(s) for s in scale))
