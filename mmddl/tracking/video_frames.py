"""A video's frames read lazily from their files, as RGB uint8 arrays."""
from typing import Sequence

import cv2
import numpy as np

from mmddl.datasets.frame_decoding import read_image


class VideoFrames:
    """Sequence view of a video's frame files (``len`` and ``[i]``).

    Args:
        frame_paths (Sequence[str]): The frame files in order.

    Examples:
        >>> frames = VideoFrames(['data/x/000.jpg', 'data/x/001.jpg'])
        >>> len(frames)
        2
    """

    def __init__(self, frame_paths: Sequence[str]):
        self.frame_paths = list(frame_paths)

    def __len__(self) -> int:
        return len(self.frame_paths)

    def __getitem__(self, index: int) -> np.ndarray:
        path = self.frame_paths[index]
        # read_image refuses damaged JPEGs (cv2.imread only warns)
        frame = read_image(path, cv2.IMREAD_COLOR)
        if frame is None:
            raise OSError(f'cannot read frame {path}')
        return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
