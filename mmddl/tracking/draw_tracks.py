"""Draw tracked boxes and their ids on frames, one stable colour per id."""
from typing import Dict, Sequence

import cv2
import numpy as np


def track_colour(track_id: int) -> tuple:
    """A bright RGB colour that stays the same for a track id."""
    hue = (track_id * 47) % 180  # spread neighbouring ids around the wheel
    hsv = np.uint8([[[hue, 220, 255]]])
    return tuple(int(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0])


def draw_tracks(frame: np.ndarray, boxes: Dict[int, Sequence[float]],
                scale: int = 1) -> np.ndarray:
    """Return a copy of an RGB frame with normalised boxes and ids drawn.

    Args:
        frame (ndarray): (H, W, 3) RGB uint8.
        boxes (dict): track id -> normalised ``x0, y0, x1, y1``.
        scale (int): Upscale small frames first so the ids stay legible.

    Examples:
        >>> img = draw_tracks(np.zeros((32, 32, 3), np.uint8),
        ...                   {3: [0.1, 0.1, 0.5, 0.5]}, scale=4)
        >>> img.shape
        (128, 128, 3)
    """
    if scale > 1:
        frame = cv2.resize(frame, None, fx=scale, fy=scale,
                           interpolation=cv2.INTER_NEAREST)
    out = np.ascontiguousarray(frame.copy())
    height, width = out.shape[:2]
    for track_id, (x0, y0, x1, y1) in sorted(boxes.items()):
        colour = track_colour(track_id)
        p0 = (int(round(x0 * width)), int(round(y0 * height)))
        p1 = (int(round(x1 * width)) - 1, int(round(y1 * height)) - 1)
        cv2.rectangle(out, p0, p1, colour, 1)
        cv2.putText(out, str(track_id), (p0[0], max(p0[1] - 2, 8)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.35, colour, 1, cv2.LINE_AA)
    return out
