"""Logged values that tell whether DDL's distinction learning is working.

A DDL run can sit in a failing regime with nothing in its losses to show
it: no mask in any window (DDL becomes plain reconstruction), or a model
that reconstructs the corrupted object as the noise it was given rather
than as the normal frame. These values, computed on every training step
without gradients, make both visible (``DDLMonitorHook`` summarises them
per epoch):

- ``mask_share``: the share of the batch's windows that have a mask;
- ``err_masked`` / ``err_unmasked``: the mean per-pixel error (channel L2
  norm / sqrt(C)) of the corrupted forward ``f(X_A)`` against the clean
  centre frame ``X^t`` on the masked and on the unmasked pixels. When DDL
  works the masked error falls towards the unmasked one (the corrupted
  object is reconstructed as normal); when it stays far above, the model
  copies the noise.

Example:
    >>> import torch
    >>> clean = torch.zeros(2, 3, 4, 4)
    >>> recon = clean.clone(); recon[0, :, :2] = 1.0
    >>> mask = torch.zeros(2, 4, 4); mask[0, :2] = 1
    >>> stats = corrupted_forward_errors(recon, clean, mask)
    >>> round(float(stats['err_masked']), 3), float(stats['err_unmasked'])
    (1.0, 0.0)
"""
from typing import Dict

import torch

from mmddl.evaluation.functional.frame_scores import reconstruction_error_map


def mask_share(masks: torch.Tensor) -> torch.Tensor:
    """Share of the windows in an (N, T, H, W) mask batch with any pixel."""
    return (masks.flatten(1).amax(dim=1) > 0).float().mean()


@torch.no_grad()
def corrupted_forward_errors(recon: torch.Tensor, clean: torch.Tensor,
                             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
    """``err_masked`` and ``err_unmasked`` of the corrupted forward.

    Args:
        recon (Tensor): (N, C, H, W) ``f(X_A)``.
        clean (Tensor): (N, C, H, W) ``X^t``.
        mask (Tensor): (N, H, W) centre-frame mask.

    Returns:
        dict[str, Tensor]: 0-dim tensors; a side with no pixels is left out.
    """
    error = reconstruction_error_map(clean.float(), recon.float())
    inside = (mask > 0).to(error.dtype)
    stats = {}
    for key, weight in (('err_masked', inside), ('err_unmasked',
                                                 1.0 - inside)):
        total = weight.sum()
        if float(total) > 0:
            stats[key] = (error * weight).sum() / total
    return stats
