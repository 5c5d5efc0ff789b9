"""The adaptive pseudo anomaly of DDL (docs/method.md, section 4)."""
import torch
import torch.nn as nn

from mmddl.registry import MODELS

__all__ = ['AdaptivePseudoAnomaly']


@MODELS.register_module()
class AdaptivePseudoAnomaly(nn.Module):
    """Blends uniform noise into the masked object with a learned weight.

    ``X_A = (1 - M) X + M ((1 - sigma) X + sigma A)`` (paper Eqs. 1-2) with
    ``sigma = sigmoid(l)`` and fresh noise ``A ~ U[0, 1)`` drawn on ``x``'s
    device at every call. ``l`` (``logit``) is a parameter of the model, so
    the model's optimiser trains it and checkpoints save it (the authors'
    code trains it but does not save it).

    With ``learnable=False`` (the SDL ablation) ``l`` is a buffer: it is
    still in the state dict under the same key, but it gets no gradient and
    sigma stays at ``sigmoid(init_logit)`` (0.5 by default).

    Args:
        learnable (bool): Train ``l``. Defaults to True.
        init_logit (float): Initial ``l``. Defaults to 0 (sigma = 0.5).

    Examples:
        >>> import torch
        >>> creator = AdaptivePseudoAnomaly()
        >>> x = torch.rand(2, 3, 3, 8, 8)           # (N, C, T, H, W)
        >>> mask = torch.zeros(2, 3, 8, 8)          # (N, T, H, W)
        >>> mask[:, :, 2:5, 2:5] = 1
        >>> x_a = creator(x, mask)
        >>> bool((x_a - x)[mask.unsqueeze(1).expand_as(x) == 0].eq(0).all())
        True
        >>> float(creator.sigma)
        0.5
    """

    def __init__(self, learnable: bool = True, init_logit: float = 0.0):
        super().__init__()
        self.learnable = bool(learnable)
        logit = torch.tensor(float(init_logit))
        if self.learnable:
            self.logit = nn.Parameter(logit)
        else:
            self.register_buffer('logit', logit)

    @property
    def sigma(self) -> torch.Tensor:
        """sigma(l), a 0-dim tensor (connected to ``l`` when learnable)."""
        return torch.sigmoid(self.logit)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Corrupt the masked region of ``x``.

        Args:
            x (Tensor): (N, C, T, H, W) clips in [0, 1].
            mask (Tensor): (N, T, H, W) or (N, C or 1, T, H, W) binary mask
                of the object to corrupt.

        Returns:
            Tensor: ``X_A``, shaped like ``x``.
        """
        if mask.ndim == x.ndim - 1:
            mask = mask.unsqueeze(1)
        if mask.ndim != x.ndim or mask.shape[2:] != x.shape[2:]:
            raise ValueError(f'mask of shape {tuple(mask.shape)} does not fit '
                             f'clips of shape {tuple(x.shape)}')
        mask = mask.to(x.dtype)
        sigma = self.sigma.to(x.dtype)
        noise = torch.rand_like(x)
        blended = (1 - sigma) * x + sigma * noise
        return (1 - mask) * x + mask * blended

    def extra_repr(self) -> str:
        return f'learnable={self.learnable}'
