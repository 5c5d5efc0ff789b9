"""Tiny moving-object clips shared by the tracking tests."""
import numpy as np


def moving_squares_clip(num_frames=12, height=48, width=64, seed=0):
    """Two squares crossing a textured still background.

    Returns:
        tuple: frames (list of RGB uint8) and the true boxes per frame
        ``{object_id: [x0, y0, x1, y1]}`` in pixels.
    """
    rng = np.random.default_rng(seed)
    background = rng.integers(60, 120, (height, width, 3), dtype=np.uint8)
    frames, truth = [], []
    for t in range(num_frames):
        frame = background.copy()
        boxes = {
            0: [2 + 3 * t, 8, 2 + 3 * t + 8, 8 + 12],  # walks right
            1: [50 - 2 * t, 30, 50 - 2 * t + 10, 30 + 10],  # walks left
        }
        for colour, (x0, y0, x1, y1) in zip((230, 10), boxes.values()):
            frame[y0:y1, x0:x1] = colour
        frames.append(frame)
        truth.append(boxes)
    return frames, truth
