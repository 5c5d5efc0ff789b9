"""Reconstruction-error heat maps laid over the frames they come from.

Example:
    >>> import numpy as np
    >>> frame = np.zeros((32, 32, 3), np.uint8)
    >>> error = np.zeros((32, 32), np.float32); error[8:16, 8:16] = 1
    >>> overlay_heatmap(frame, error).shape
    (32, 32, 3)
"""
from typing import Optional, Sequence

import cv2
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from .png_writer import new_figure, write_png_figure


def overlay_heatmap(frame: Optional[np.ndarray],
                    error_map: np.ndarray,
                    vmax: Optional[float] = None,
                    alpha: float = 0.6) -> np.ndarray:
    """Colour an error map (JET, 0 -> blue, ``vmax`` -> red) over a frame.

    Args:
        frame (np.ndarray, optional): (H, W, 3) RGB or (H, W) grey uint8
            frame; None shows the heat map alone. It is resized to the error
            map's size if the two differ.
        error_map (np.ndarray): (H, W) per-pixel errors (>= 0).
        vmax (float, optional): Error shown as full red; errors above are
            clipped. Defaults to the map's own maximum; pass a shared value
            to compare several maps.
        alpha (float): Weight of the heat map where the error reaches
            ``vmax``; it falls to ``0.3 * alpha`` where the error is 0.
            Defaults to 0.6.

    Returns:
        np.ndarray: (H, W, 3) uint8 RGB image.
    """
    error = np.asarray(error_map, dtype=np.float32)
    if error.ndim != 2:
        raise ValueError(f'error_map must be (H, W), got {error.shape}')
    top = float(error.max()) if vmax is None else float(vmax)
    scaled = np.clip(error / top, 0, 1) if top > 0 else np.zeros_like(error)
    heat = cv2.applyColorMap((scaled * 255).astype(np.uint8), cv2.COLORMAP_JET)
    heat = cv2.cvtColor(heat, cv2.COLOR_BGR2RGB)
    if frame is None:
        return heat
    frame = np.asarray(frame, dtype=np.uint8)
    if frame.ndim == 2:
        frame = np.repeat(frame[..., None], 3, axis=2)
    if frame.shape[:2] != error.shape:
        frame = cv2.resize(
            frame, (error.shape[1], error.shape[0]),
            interpolation=cv2.INTER_AREA)
    # Low errors get a light tint and high errors up to ``alpha``, so the
    # frame stays readable where nothing is wrong and hot spots stand out.
    weight = (alpha * (0.3 + 0.7 * scaled))[..., None]
    return (weight * heat + (1 - weight) * frame).round().astype(np.uint8)


def save_heatmap_strip(path: str,
                       panels: Sequence[dict],
                       title: str = '',
                       vmax: Optional[float] = None) -> None:
    """Write a row of heat-map overlays as one PNG (atomically).

    Args:
        path (str): Destination PNG.
        panels (Sequence[dict]): Each with ``error_map`` ((H, W)),
            ``frame`` ((H, W, 3) uint8 RGB or None), ``frame_index`` and
            ``score``; drawn left to right in the given order.
        title (str): Figure title.
        vmax (float, optional): Shared colour scale; defaults to the largest
            error over all panels, so panels are comparable.
    """
    if not panels:
        raise ValueError(f'{path}: no panels to draw')
    if vmax is None:
        vmax = max(float(np.max(p['error_map'])) for p in panels)
    fig = new_figure(3.0 * len(panels) + 0.8, 3.2)
    axes = []
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        ax.imshow(
            overlay_heatmap(panel.get('frame'), panel['error_map'], vmax=vmax))
        ax.set_title(
            f"frame {panel['frame_index']}, "
            f"score {panel['score']:.4g}",
            fontsize='small')
        ax.axis('off')
        axes.append(ax)
    # Matplotlib's 'jet' is the colour map cv2.COLORMAP_JET draws.
    colours = ScalarMappable(Normalize(0, vmax), cmap='jet')
    fig.colorbar(
        colours, ax=axes, fraction=0.03, pad=0.02, label='pixel error')
    fig.suptitle(title)
    write_png_figure(fig, path)
