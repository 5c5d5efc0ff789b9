"""Write figures and images as PNG files atomically.

Drawing uses matplotlib's object API on the Agg canvas (no pyplot state, no
display), so it works on headless machines and inside the test loop.

Example:
    >>> import numpy as np
    >>> write_png_image(np.zeros((8, 8, 3), np.uint8), '/tmp/black.png')
"""
import io

import cv2
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mmddl.utils.atomic_backend import atomic_write_bytes


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib figure on its own Agg canvas (size in inches)."""
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def write_png_figure(fig: Figure, path: str) -> None:
    """Render ``fig`` to PNG bytes and write them atomically to ``path``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', bbox_inches='tight')
    atomic_write_bytes(buffer.getvalue(), path)


def write_png_image(image: np.ndarray, path: str) -> None:
    """Write an (H, W, 3) RGB or (H, W) grey uint8 image atomically."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError('expected an (H, W[, 3]) uint8 image, got '
                         f'{image.dtype} {image.shape}')
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode('.png', image)
    if not ok:
        raise RuntimeError(f'could not encode a PNG for {path}')
    atomic_write_bytes(encoded.tobytes(), path)
