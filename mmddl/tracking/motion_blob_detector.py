"""A detector that needs no weights: moving blobs against a still background.

Surveillance cameras in Ped2, Avenue and ShanghaiTech do not move, so the
per-pixel median of frames spread over a video is its empty background; what
differs from it by more than a threshold is foreground, and each connected
foreground region (after a morphological clean-up) is one detection. The
score of a detection is the share of its box that is foreground, which is
high for compact moving objects and low for noise and merged shadows.

Example:
    >>> import numpy as np
    >>> frames = [np.zeros((48, 64, 3), np.uint8) for _ in range(5)]
    >>> frames[2][10:20, 30:40] = 255
    >>> detector = MotionBlobDetector(min_area=20)
    >>> detector.prepare_video(frames)
    >>> detector.detect([frames[2]])[0]['bboxes']
    array([[30., 10., 40., 20.]], dtype=float32)
"""
from typing import List, Sequence

import cv2
import numpy as np

from mmddl.registry import TASK_UTILS


@TASK_UTILS.register_module()
class MotionBlobDetector:
    """Background subtraction + connected components.

    Args:
        diff_thr (float): Grey-level difference (0-255) from the background
            above which a pixel is foreground. Defaults to 25.
        min_area (int): Smallest blob area in pixels (at the frame's own
            resolution). Defaults to 20.
        max_area_ratio (float): Blobs larger than this share of the frame
            are dropped (lighting changes). Defaults to 0.5.
        morph_kernel (int): Size of the opening/closing kernel; 0 turns the
            clean-up off. Defaults to 3.
        background_frames (int): How many frames, spread evenly over the
            video, the median background is taken from. Defaults to 50.
    """

    def __init__(self,
                 diff_thr: float = 25,
                 min_area: int = 20,
                 max_area_ratio: float = 0.5,
                 morph_kernel: int = 3,
                 background_frames: int = 50):
        if diff_thr <= 0:
            raise ValueError(f'detector.diff_thr must be > 0, got {diff_thr}')
        if min_area < 1:
            raise ValueError(f'detector.min_area must be >= 1, got {min_area}')
        self.diff_thr = float(diff_thr)
        self.min_area = int(min_area)
        self.max_area_ratio = float(max_area_ratio)
        self.kernel = (
            cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                      (morph_kernel, morph_kernel))
            if morph_kernel > 0 else None)
        self.background_frames = int(background_frames)
        self.background = None

    @staticmethod
    def _gray(frame: np.ndarray) -> np.ndarray:
        if frame.ndim == 2:
            return frame.astype(np.float32)
        return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)

    def prepare_video(self, frames: Sequence[np.ndarray]) -> None:
        """Estimate the background of a video from its frames (RGB uint8).

        ``frames`` needs ``len`` and indexing; only the sampled frames are
        read.
        """
        if len(frames) == 0:
            raise ValueError('cannot estimate a background from no frames')
        picks = np.unique(
            np.linspace(0, len(frames) - 1,
                        min(self.background_frames, len(frames))).astype(int))
        stack = np.stack([self._gray(frames[i]) for i in picks])
        self.background = np.median(stack, axis=0)

    def detect(self, frames: List[np.ndarray]) -> List[dict]:
        """Detect moving blobs in a batch of RGB uint8 frames of the video.

        Returns:
            list[dict]: per frame ``bboxes`` (N, 4) float32 pixels
            ``x0, y0, x1, y1``, ``scores`` (N, ) and ``labels`` (N, ) zeros.
        """
        if self.background is None:
            raise RuntimeError('call prepare_video(frames) before detect()')
        results = []
        for frame in frames:
            gray = self._gray(frame)
            if gray.shape != self.background.shape:
                raise ValueError(
                    f'frame of shape {gray.shape} does not match the '
                    f'background {self.background.shape}')
            fg = (np.abs(gray - self.background) > self.diff_thr).astype(
                np.uint8)
            if self.kernel is not None:
                fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, self.kernel)
                fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, self.kernel)
            count, _, stats, _ = cv2.connectedComponentsWithStats(fg, 8)
            boxes, scores = [], []
            max_area = self.max_area_ratio * fg.size
            for x, y, w, h, area in stats[1:count]:
                if area < self.min_area or area > max_area:
                    continue
                boxes.append([x, y, x + w, y + h])
                scores.append(area / float(w * h))
            results.append(
                dict(
                    bboxes=np.asarray(boxes, np.float32).reshape(-1, 4),
                    scores=np.asarray(scores, np.float32),
                    labels=np.zeros(len(scores), np.int64)))
        return results
