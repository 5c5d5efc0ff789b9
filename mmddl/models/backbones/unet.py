"""UNet2D: DDL's single-frame U-Net baseline (docs/method.md, section 6)."""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule

from mmddl.registry import MODELS
from .c3dsu import check_clip
from .unet_blocks import UNetDecoder, UNetEncoder, check_widths_and_kernels


@MODELS.register_module()
class UNet2D(BaseModule):
    """The C3DSU U-Net on one frame, with plain skips (no Conv3d).

    The paper's baseline takes single frames (``clip_len=1``). With an odd
    ``clip_len`` > 1 it takes T-frame clips and reconstructs the centre
    frame from that frame alone, so that it can be scored on exactly the
    frames a C3DSU with the same T scores.

    It has :meth:`encode_frames` and :meth:`decode` like :class:`C3DSU`, so
    streaming inference treats both alike.

    Args:
        in_channels (int): Channels of a frame. Defaults to 3.
        clip_len (int): T, odd. Defaults to 1.
        widths (Sequence[int]): Encoder widths, shallow to deep.
            Defaults to (64, 128, 256, 512).
        branch_kernels (Sequence[int]): Kernels of the parallel branches.
            Defaults to (3, 3, 3, 3) (paper); the authors' code uses
            (3, 5, 7).
        output_activation (str | None): ``'sigmoid'``, ``'tanh'``,
            ``'identity'`` or None. Defaults to ``'sigmoid'``.
        init_cfg (dict, optional): mmengine initialisation config.

    Examples:
        >>> import torch
        >>> net = UNet2D(widths=(8, 16, 32, 64))
        >>> net(torch.rand(2, 3, 1, 32, 32)).shape
        torch.Size([2, 3, 32, 32])
    """

    def __init__(self,
                 in_channels: int = 3,
                 clip_len: int = 1,
                 widths: Sequence[int] = (64, 128, 256, 512),
                 branch_kernels: Sequence[int] = (3, 3, 3, 3),
                 output_activation: Optional[str] = 'sigmoid',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if int(clip_len) < 1 or int(clip_len) % 2 == 0:
            raise ValueError(f'UNet2D: clip_len (T) must be a positive odd '
                             f'number, got {clip_len}')
        check_widths_and_kernels(widths, branch_kernels)
        self.in_channels = in_channels
        self.clip_len = int(clip_len)
        self.widths = tuple(int(w) for w in widths)
        self.encoder = UNetEncoder(in_channels, self.widths, branch_kernels)
        self.decoder = UNetDecoder(in_channels, self.widths, branch_kernels,
                                   output_activation)

    def encode_frames(self, frames: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Encode (M, C, H, W) frames; see :meth:`C3DSU.encode_frames`."""
        return self.encoder(frames)

    def decode(self, window_feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """Reconstruct the centre frame from per-level (N, T, C_l, H_l, W_l)
        features; only the centre frame's features are used."""
        centre = (self.clip_len - 1) // 2
        return self.decoder([f[:, centre] for f in window_feats])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct the centre frame of (N, C, T, H, W) clips."""
        check_clip(x, self.in_channels, self.clip_len, len(self.widths),
                   'UNet2D')
        # The other frames would be encoded for nothing.
        centre = x[:, :, (self.clip_len - 1) // 2]
        return self.decoder(self.encode_frames(centre))
