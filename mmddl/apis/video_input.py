"""One video from a file, a frame folder or an array, read lazily as the
model's frames: resized to the training size, RGB or grayscale, uint8.

Example:
    >>> import numpy as np
    >>> source = open_video(np.zeros((5, 40, 48, 3), np.uint8),
    ...                     FrameFormat(scale=(32, 32)))
    >>> source.length, next(iter(source)).shape
    (5, (32, 32, 3))
"""
import os
import os.path as osp
from typing import Iterator, Optional, Union

import cv2
import numpy as np
import torch

from mmddl.datasets.frame_decoding import decode_frame
from mmddl.datasets.frame_format import FrameFormat
from mmddl.datasets.vad_layout import FRAME_EXTS, list_frames

# Every still-image format OpenCV decodes to 8 bits (its imread list).
IMAGE_EXTS = FRAME_EXTS + ('.jpe', '.jp2', '.webp', '.pbm', '.pgm', '.ppm',
                           '.pnm', '.pxm', '.sr', '.ras')

VideoLike = Union[str, np.ndarray, torch.Tensor]


class VideoSource:
    """Iterable over a video's frames, (H, W, C) uint8 in a
    :class:`FrameFormat`; each iteration reads the source again.

    Use :func:`open_video` to make one.

    Attributes:
        name (str): the file or folder name without extension, or
            ``'video'`` for an array.
        length (int, optional): number of frames; a video file's is its
            container's estimate (None when it gives none).
        fps (float, optional): a video file's frame rate.
    """

    def __init__(self, read, name: str, length: Optional[int],
                 fps: Optional[float], fmt: FrameFormat):
        self._read = read
        self.name = name
        self.length = length
        self.fps = fps
        self.format = fmt

    def __iter__(self) -> Iterator[np.ndarray]:
        for frame in self._read():
            yield self.format.convert(frame)


def _array_source(video, fmt: FrameFormat) -> VideoSource:
    array = video.detach().cpu().numpy() if isinstance(
        video, torch.Tensor) else np.asarray(video)
    channels = array.shape[-1] if array.ndim == 4 else None
    if array.dtype != np.uint8 or channels not in (1, 3):
        raise ValueError('a video array must be (L, H, W, C) uint8 RGB '
                         f'(C = 3) or grey (C = 1), got {array.dtype} '
                         f'{array.shape}')
    return VideoSource(lambda: iter(array), 'video', len(array), None, fmt)


def _folder_source(folder: str, fmt: FrameFormat) -> VideoSource:
    paths = list_frames(folder, IMAGE_EXTS)

    def read():
        for path in paths:
            # decode_frame reads grey frames as the training pipeline does
            yield decode_frame(path, fmt.scale, fmt.grayscale,
                               fmt.interpolation)

    name = osp.basename(osp.normpath(folder))
    return VideoSource(read, name, len(paths), None, fmt)


def _file_source(path: str, fmt: FrameFormat) -> VideoSource:
    if osp.splitext(path)[1].lower() in IMAGE_EXTS:
        raise ValueError(f'{path} is a single image, not a video; give a '
                         'video file or a folder of frames')
    capture = cv2.VideoCapture(path)
    try:
        if not capture.isOpened():
            raise ValueError(f'cannot open video {path} (not a video '
                             'format OpenCV can read)')
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        fps = float(capture.get(cv2.CAP_PROP_FPS))
    finally:
        capture.release()

    def read():
        capture = cv2.VideoCapture(path)
        read_any = False
        try:
            while True:
                ok, frame = capture.read()
                if not ok:
                    break
                read_any = True
                yield cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        finally:
            capture.release()
        if not read_any:
            raise ValueError(f'no frame could be decoded from {path}')

    name = osp.splitext(osp.basename(path))[0]
    return VideoSource(read, name, count if count > 0 else None,
                       fps if fps > 0 else None, fmt)


def open_video(video: VideoLike,
               fmt: Optional[FrameFormat] = None) -> VideoSource:
    """Open a video for lazy reading.

    Args:
        video (str | np.ndarray | Tensor): a video file (.avi, .mp4, ...:
            whatever OpenCV decodes), a folder of frames (any image format
            OpenCV reads, sorted naturally: ``9.jpg`` before ``10.jpg``),
            or an (L, H, W, C) uint8 RGB array or tensor.
        fmt (FrameFormat, optional): target frame format. Defaults to the
            source size in RGB.

    Returns:
        VideoSource: iterable over the converted frames.

    Raises:
        FileNotFoundError: the path does not exist, or a folder holds no
            frames.
        ValueError: the file is not a readable video, or the array has the
            wrong shape or dtype.
    """
    fmt = fmt or FrameFormat()
    if isinstance(video, (np.ndarray, torch.Tensor)):
        return _array_source(video, fmt)
    if not isinstance(video, (str, os.PathLike)):
        raise TypeError('video must be a path or an (L, H, W, C) uint8 '
                        f'array, got {type(video).__name__}')
    path = osp.expanduser(os.fspath(video))
    if osp.isdir(path):
        return _folder_source(path, fmt)
    if osp.isfile(path):
        return _file_source(path, fmt)
    raise FileNotFoundError(f'video {path} does not exist (expected a video '
                            'file or a folder of frames)')
