"""From a reconstruction to a frame's anomaly score (docs/method.md, sec. 8).

Both functions work on batches on any device and have no Python loops over
patches: the patch means come from ``avg_pool2d``.

Example:
    >>> import torch
    >>> frame, recon = torch.rand(2, 3, 64, 64), torch.rand(2, 3, 64, 64)
    >>> error = reconstruction_error_map(frame, recon)   # (2, 64, 64)
    >>> max_patch_score(error, patch_size=16).shape
    torch.Size([2])
"""
import math

import torch
import torch.nn.functional as F


def reconstruction_error_map(frame: torch.Tensor,
                             recon: torch.Tensor) -> torch.Tensor:
    """Per-pixel L2 norm over channels of ``frame - recon``, over sqrt(C).

    Args:
        frame (Tensor): (N, C, H, W) target frames.
        recon (Tensor): (N, C, H, W) reconstructions.

    Returns:
        Tensor: (N, H, W) error maps.
    """
    if frame.shape != recon.shape or frame.ndim != 4:
        raise ValueError('frame and recon must both be (N, C, H, W); got '
                         f'{tuple(frame.shape)} and {tuple(recon.shape)}')
    diff = (frame.float() - recon.float())
    return diff.pow(2).sum(dim=1).sqrt() / math.sqrt(frame.shape[1])


def max_patch_score(error_map: torch.Tensor,
                    patch_size: int = 16,
                    shifted_grid: bool = True) -> torch.Tensor:
    """The largest mean error over square patches of each error map.

    Patches tile the map on a non-overlapping grid from the top-left corner;
    with ``shifted_grid`` a second grid, shifted by half a patch in both
    directions (the inner crop), is scored too and the maximum is over both
    (the authors' public code). Pixels beyond the last whole patch of a grid
    are not part of any patch of that grid.

    Args:
        error_map (Tensor): (N, H, W) per-pixel errors.
        patch_size (int): Side of a patch in pixels. Defaults to 16.
        shifted_grid (bool): Also score the half-patch shifted grid.
            Defaults to True.

    Returns:
        Tensor: (N,) frame scores.
    """
    if error_map.ndim != 3:
        raise ValueError('error_map must be (N, H, W), got shape '
                         f'{tuple(error_map.shape)}')
    height, width = error_map.shape[-2:]
    if patch_size < 1 or patch_size > min(height, width):
        raise ValueError(f'patch_size={patch_size} does not fit frames of '
                         f'{height}x{width}')
    maps = error_map.float().unsqueeze(1)
    scores = F.avg_pool2d(maps, patch_size).flatten(1).amax(dim=1)
    half = patch_size // 2
    if shifted_grid and min(height, width) - 2 * half >= patch_size:
        inner = maps[..., half:height - half, half:width - half]
        shifted = F.avg_pool2d(inner, patch_size).flatten(1).amax(dim=1)
        scores = torch.maximum(scores, shifted)
    return scores
