"""DDL's reconstruction loss (docs/method.md, section 5)."""
import math

import torch
import torch.nn as nn

from mmddl.registry import MODELS


@MODELS.register_module()
class ReconstructionLoss(nn.Module):
    """Mean over pixels and batch of the per-pixel L2 norm over channels of
    ``target - recon``, divided by sqrt(C) (paper Eq. 4, public code).

    Args:
        loss_weight (float): Factor on the loss. Defaults to 1.0.

    Examples:
        >>> import torch
        >>> loss = ReconstructionLoss()
        >>> target = torch.zeros(1, 4, 2, 2)
        >>> float(loss(target + 0.5, target))   # sqrt(4 * 0.25) / sqrt(4)
        0.5
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        if loss_weight < 0:
            raise ValueError(
                f'ReconstructionLoss: loss_weight must be >= 0, got '
                f'{loss_weight}')
        self.loss_weight = float(loss_weight)

    def forward(self, recon: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        """Args:
            recon (Tensor): (N, C, H, W) reconstruction.
            target (Tensor): (N, C, H, W) target frame.
        """
        if recon.shape != target.shape:
            raise ValueError(f'recon {tuple(recon.shape)} and target '
                             f'{tuple(target.shape)} differ in shape')
        per_pixel = torch.linalg.vector_norm(recon - target, dim=1)
        return self.loss_weight * per_pixel.mean() / math.sqrt(
            target.shape[1])
