"""A video of frames beside their reconstruction-error heat maps.

Each output frame shows the input frame (left) and the same frame with its
error map coloured over it (right, JET on one colour scale for the whole
video), upscaled so that small training sizes stay watchable, with the
frame index and score written on top. The file is written under a temporary
name in the same folder and renamed when complete.

Example:
    >>> import numpy as np
    >>> frames = np.zeros((4, 32, 32, 3), np.uint8)
    >>> maps = np.random.rand(4, 32, 32).astype(np.float32)
    >>> write_heatmap_video('/tmp/v_heatmap.avi', frames, maps,
    ...                     frame_inds=[1, 2, 3, 4], scores=[.1, .2, .3, .4])
"""
import os.path as osp
from typing import Callable, Optional, Sequence

import cv2
import numpy as np

from mmddl.utils.atomic_backend import atomic_output
from .error_heatmap import overlay_heatmap


def heatmap_panel(frame: np.ndarray, error_map: np.ndarray, vmax: float,
                  factor: int, caption: str) -> np.ndarray:
    """One output frame: (H', 2 W', 3) uint8 RGB, frame | overlay, each
    upscaled by ``factor``, with ``caption`` on a band at the top."""
    frame = np.asarray(frame, np.uint8)
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[..., 0]
    if frame.ndim == 2:
        frame = np.repeat(frame[..., None], 3, axis=2)
    overlay = overlay_heatmap(frame, error_map, vmax=vmax)
    if frame.shape[:2] != overlay.shape[:2]:
        frame = cv2.resize(
            frame, overlay.shape[1::-1], interpolation=cv2.INTER_AREA)
    both = np.concatenate([frame, overlay], axis=1)
    if factor > 1:
        both = cv2.resize(
            both, (both.shape[1] * factor, both.shape[0] * factor),
            interpolation=cv2.INTER_NEAREST)
    band = np.zeros((24, both.shape[1], 3), np.uint8)
    cv2.putText(band, caption, (6, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                (255, 255, 255), 1, cv2.LINE_AA)
    return np.concatenate([band, both], axis=0)


def write_heatmap_video(path: str,
                        frames: np.ndarray,
                        error_maps: np.ndarray,
                        frame_inds: Sequence[int],
                        scores: Sequence[float],
                        fps: Optional[float] = None,
                        vmax: Optional[float] = None,
                        min_size: int = 256,
                        on_frame: Optional[Callable[[], None]] = None) -> str:
    """Write the heat-map video (MJPG in an .avi) atomically.

    Args:
        path (str): destination, ending in ``.avi``.
        frames (np.ndarray): (n, H, W, C) uint8 RGB (C = 3) or grey
            (C = 1) frames.
        error_maps (np.ndarray): (n, H, W) per-pixel errors.
        frame_inds (Sequence[int]): (n,) frame index of each, for the
            caption.
        scores (Sequence[float]): (n,) score of each, for the caption.
        fps (float, optional): frame rate. Defaults to 25.
        vmax (float, optional): error shown as full red. Defaults to the
            largest error of the video, so frames are comparable.
        min_size (int): frames are upscaled by an integer factor until
            their shorter side is at least this. Defaults to 256.
        on_frame (Callable, optional): called after each frame is written
            (e.g. a progress bar's ``update``).

    Returns:
        str: ``path``.
    """
    if osp.splitext(path)[1].lower() != '.avi':
        raise ValueError(f'{path}: the heat-map video is an MJPG .avi')
    count = len(frames)
    if count == 0 or len(error_maps) != count or len(
            frame_inds) != count or len(scores) != count:
        raise ValueError(f'{path}: need one error map, index and score per '
                         f'frame, got {count} frames, {len(error_maps)} '
                         f'maps, {len(frame_inds)} indices, {len(scores)} '
                         'scores')
    if vmax is None:
        vmax = float(np.max(error_maps))
    height, width = np.asarray(error_maps[0]).shape
    factor = max(1, -(-int(min_size) // min(height, width)))
    writer = None
    # cv2 picks the container from the extension, so the temporary name
    # keeps .avi
    with atomic_output(path, suffix='.avi') as tmp:
        try:
            for i in range(count):
                caption = (f'frame {int(frame_inds[i])}  '
                           f'score {float(scores[i]):.4g}')
                panel = heatmap_panel(frames[i], error_maps[i], vmax, factor,
                                      caption)
                if writer is None:
                    writer = cv2.VideoWriter(
                        tmp, cv2.VideoWriter_fourcc(*'MJPG'),
                        float(fps or 25.0), (panel.shape[1], panel.shape[0]))
                    if not writer.isOpened():
                        raise OSError(f'cannot open an MJPG video writer for '
                                      f'{path}')
                writer.write(cv2.cvtColor(panel, cv2.COLOR_RGB2BGR))
                if on_frame is not None:
                    on_frame()
        finally:
            if writer is not None:
                writer.release()
    return path
