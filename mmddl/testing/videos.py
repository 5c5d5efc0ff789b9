"""Small videos for tests, written losslessly so decoded frames equal the
arrays (FFV1 in an .avi)."""
import cv2
import numpy as np


def write_lossless_avi(path: str, frames: np.ndarray, fps: float = 10) -> str:
    """Write (L, H, W, 3) uint8 RGB ``frames`` to ``path`` (FFV1 .avi).

    Example:
        >>> import numpy as np, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), 'clip.avi')
        >>> write_lossless_avi(path, np.zeros((2, 16, 16, 3), np.uint8))[-8:]
        'clip.avi'
    """
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'FFV1'), fps,
                             (frames.shape[2], frames.shape[1]))
    if not writer.isOpened():
        raise RuntimeError(f'cannot write {path} (no FFV1 encoder?)')
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path
