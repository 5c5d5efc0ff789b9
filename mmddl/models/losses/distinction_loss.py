"""DDL's distinction loss (docs/method.md, section 5; paper Eqs. 5-7)."""
import math

import torch
import torch.nn as nn

from mmddl.registry import MODELS


@MODELS.register_module()
class DistinctionLoss(nn.Module):
    """``(P + eps) / (N + eps)`` over the masked region of the centre frame.

    ``P`` measures how far the reconstruction of the corrupted clip,
    ``f(X_A)``, is from the clean centre frame ``X^t``; ``N`` how far it is
    from the corrupted centre frame ``X_A^t``. Minimising the ratio pulls
    ``f(X_A)`` towards normality.

    Two reductions, because paper and public code differ:

    - ``'norm_ratio'`` (paper Eq. 7, default): per sample, ``P`` and ``N``
      are the L2 norms of ``M^t (X^t - f(X_A))`` and ``M^t (X_A^t -
      f(X_A))`` over channels and pixels; the loss is the mean of
      ``(P + eps) / (N + eps)`` over the samples whose mask is not empty.
    - ``'pixel_ratio'`` (the authors' code): per masked pixel, ``p`` and
      ``n`` are the channel L2 norms divided by sqrt(C); the loss is the mean
      of ``(p + eps) / (n + eps)`` over all masked pixels of the batch
      (samples weigh by their mask area).

    Samples with an empty mask take no part; when no sample has a mask the
    loss is ``0 * recon.sum()``: zero, connected to the graph, never NaN.

    Args:
        reduction (str): ``'norm_ratio'`` or ``'pixel_ratio'``.
            Defaults to ``'norm_ratio'``.
        eps (float): The epsilon of Eq. 7. Defaults to 1e-6.
        loss_weight (float): lambda, the factor on the loss in
            ``L = L_recon + lambda * L_dist``. Defaults to 0.01.

    Examples:
        >>> import torch
        >>> loss = DistinctionLoss(loss_weight=1.0)
        >>> clean, corrupted = torch.zeros(1, 1, 2, 2), torch.ones(1, 1, 2, 2)
        >>> recon = torch.full((1, 1, 2, 2), 0.25)
        >>> mask = torch.ones(1, 2, 2)
        >>> round(float(loss(recon, clean, corrupted, mask)), 4)  # .5 / 1.5
        0.3333
    """

    REDUCTIONS = ('norm_ratio', 'pixel_ratio')

    def __init__(self,
                 reduction: str = 'norm_ratio',
                 eps: float = 1e-6,
                 loss_weight: float = 0.01):
        super().__init__()
        if reduction not in self.REDUCTIONS:
            raise ValueError(f'DistinctionLoss: reduction must be one of '
                             f'{self.REDUCTIONS}, got {reduction!r}')
        if eps <= 0:
            raise ValueError(f'DistinctionLoss: eps must be > 0, got {eps}')
        if loss_weight < 0:
            raise ValueError('DistinctionLoss: loss_weight (lambda) must be '
                             f'>= 0, got {loss_weight}')
        self.reduction = reduction
        self.eps = float(eps)
        self.loss_weight = float(loss_weight)

    def forward(self, recon: torch.Tensor, clean: torch.Tensor,
                corrupted: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Args:
            recon (Tensor): (N, C, H, W) ``f(X_A)``.
            clean (Tensor): (N, C, H, W) ``X^t``.
            corrupted (Tensor): (N, C, H, W) ``X_A^t``.
            mask (Tensor): (N, H, W) or (N, 1, H, W) centre-frame mask.

        Returns:
            Tensor: ``loss_weight * L_dist``, a 0-dim tensor.
        """
        if mask.ndim == 4:
            mask = mask[:, 0]
        if not (recon.shape == clean.shape == corrupted.shape) or (
                mask.shape != recon.shape[:1] + recon.shape[2:]):
            raise ValueError(
                'DistinctionLoss: shapes do not fit: recon '
                f'{tuple(recon.shape)}, clean {tuple(clean.shape)}, '
                f'corrupted {tuple(corrupted.shape)}, mask '
                f'{tuple(mask.shape)}')
        mask = (mask > 0).to(recon.dtype)
        has_mask = mask.flatten(1).amax(dim=1) > 0
        if not bool(has_mask.any()):
            return recon.sum() * 0.0
        # Squared channel norms per pixel, restricted to the mask.
        pos_sq = (clean - recon).pow(2).sum(dim=1) * mask
        neg_sq = (corrupted - recon).pow(2).sum(dim=1) * mask
        if self.reduction == 'norm_ratio':
            pos = _safe_sqrt(pos_sq[has_mask].flatten(1).sum(dim=1))
            neg = _safe_sqrt(neg_sq[has_mask].flatten(1).sum(dim=1))
            ratio = (pos + self.eps) / (neg + self.eps)
        else:
            scale = math.sqrt(recon.shape[1])
            inside = mask > 0
            pos = _safe_sqrt(pos_sq[inside]) / scale
            neg = _safe_sqrt(neg_sq[inside]) / scale
            ratio = (pos + self.eps) / (neg + self.eps)
        return self.loss_weight * ratio.mean()


def _safe_sqrt(x: torch.Tensor) -> torch.Tensor:
    """sqrt whose gradient at 0 is 0 rather than inf (a pixel reconstructed
    exactly would otherwise turn the step into NaN)."""
    positive = x > 0
    return torch.where(positive, x.clamp_min(1e-30).sqrt(),
                       torch.zeros_like(x))
