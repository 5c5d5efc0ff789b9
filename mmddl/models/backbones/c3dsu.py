"""C3DSU: the Conv3D Skip U-Net of DDL (docs/method.md, section 6)."""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule

from mmddl.registry import MODELS
from .unet_blocks import (TemporalSkipConv, UNetDecoder, UNetEncoder,
                          batch_to_windows, check_widths_and_kernels,
                          frames_to_batch)


def check_clip(x: torch.Tensor, in_channels: int, clip_len: int,
               depth: int, name: str) -> None:
    """Raise a ValueError when ``x`` is not an (N, C, T, H, W) clip the
    backbone can take."""
    if x.ndim != 5:
        raise ValueError(f'{name} takes (N, C, T, H, W) clips, got shape '
                         f'{tuple(x.shape)}')
    _, c, t, h, w = x.shape
    if c != in_channels or t != clip_len:
        raise ValueError(f'{name} was built for in_channels={in_channels}, '
                         f'clip_len={clip_len}; got C={c}, T={t}')
    if h % 2**depth or w % 2**depth:
        raise ValueError(f'{name} with {depth} levels needs H and W '
                         f'divisible by {2**depth}, got {h}x{w}')


@MODELS.register_module()
class C3DSU(BaseModule):
    """Conv3D Skip U-Net: a 2-D U-Net over each frame whose skips fuse time.

    The encoder (:class:`~.unet_blocks.UNetEncoder`) runs on each of the T
    frames separately. Every level's features, the deepest included, pass a
    Conv3d with kernel ``(T, k, k)`` and 'same' padding, of which only the
    centre time slice goes on to the decoder; the decoder reconstructs the
    centre frame.

    Paper and public code differ in the branches of a block: the paper has
    four 3x3 branches (the default), the authors' code three branches with
    kernels 3, 5, 7 (``branch_kernels=(3, 5, 7)``; 99.0 M parameters and
    386 GFLOP per frame at 256x256, T=3, widths 64-512, or 357 GFLOP with
    ``skip_conv_mode='centre'``).

    Streaming inference: :meth:`forward` is ``decode(window of
    encode_frames(frames))``. Because the encoder sees one frame at a time, a
    video can be scored by encoding each frame once with
    :meth:`encode_frames`, keeping the last T frames' features per level
    (a ring buffer), and calling :meth:`decode` on them stacked along
    dim 1, with the same result as :meth:`forward` on the window.

    Args:
        in_channels (int): Channels of a frame (and of the output).
            Defaults to 3.
        clip_len (int): T, odd. Defaults to 3.
        widths (Sequence[int]): Channels of the encoder levels, shallow to
            deep. Defaults to (64, 128, 256, 512).
        branch_kernels (Sequence[int]): Kernel of each parallel branch of a
            block. Defaults to (3, 3, 3, 3) (paper).
        skip_kernel (int): Spatial kernel of the skip Conv3d. Defaults to 3.
        skip_conv_mode (str): ``'centre'`` computes only the centre time
            slice of each skip Conv3d, ``'full'`` all T slices as the
            authors' code does; same weights, same output. Defaults to
            ``'centre'``.
        output_activation (str | None): ``'sigmoid'``, ``'tanh'``,
            ``'identity'`` or None. Defaults to ``'sigmoid'``.
        init_cfg (dict, optional): mmengine initialisation config.

    Examples:
        >>> import torch
        >>> net = C3DSU(widths=(8, 16, 32, 64))
        >>> net(torch.rand(2, 3, 3, 32, 32)).shape
        torch.Size([2, 3, 32, 32])
        >>> feats = net.encode_frames(torch.rand(3, 3, 32, 32))  # 3 frames
        >>> window = [f.unsqueeze(0) for f in feats]             # (1, T, ...)
        >>> net.decode(window).shape
        torch.Size([1, 3, 32, 32])
    """

    def __init__(self,
                 in_channels: int = 3,
                 clip_len: int = 3,
                 widths: Sequence[int] = (64, 128, 256, 512),
                 branch_kernels: Sequence[int] = (3, 3, 3, 3),
                 skip_kernel: int = 3,
                 skip_conv_mode: str = 'centre',
                 output_activation: Optional[str] = 'sigmoid',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if int(clip_len) < 1 or int(clip_len) % 2 == 0:
            raise ValueError(f'C3DSU: clip_len (T) must be a positive odd '
                             f'number, got {clip_len}')
        if int(skip_kernel) < 1 or int(skip_kernel) % 2 == 0:
            raise ValueError(
                f'C3DSU: skip_kernel must be odd, got {skip_kernel}')
        check_widths_and_kernels(widths, branch_kernels)
        self.in_channels = in_channels
        self.clip_len = int(clip_len)
        self.widths = tuple(int(w) for w in widths)
        self.encoder = UNetEncoder(in_channels, self.widths, branch_kernels)
        self.skips = torch.nn.ModuleList(
            TemporalSkipConv(w, self.clip_len, skip_kernel, skip_conv_mode)
            for w in self.widths)
        self.decoder = UNetDecoder(in_channels, self.widths, branch_kernels,
                                   output_activation)

    def encode_frames(self, frames: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Encode single frames.

        Args:
            frames (Tensor): (M, C, H, W) frames, from any clips.

        Returns:
            tuple[Tensor]: Per level, (M, C_l, H / 2^(l+1), W / 2^(l+1)).
        """
        return self.encoder(frames)

    def decode(self, window_feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """Reconstruct the centre frame from a window of frame features.

        Args:
            window_feats (Sequence[Tensor]): Per level, (N, T, C_l, H_l, W_l):
                the :meth:`encode_frames` output of the T frames of each
                window, in time order.

        Returns:
            Tensor: (N, C, H, W) reconstruction of the centre frame.
        """
        fused = [skip(f) for skip, f in zip(self.skips, window_feats)]
        return self.decoder(fused)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct the centre frame of (N, C, T, H, W) clips in [0, 1].
        """
        check_clip(x, self.in_channels, self.clip_len, len(self.widths),
                   'C3DSU')
        feats = self.encode_frames(frames_to_batch(x))
        return self.decode(batch_to_windows(feats, self.clip_len))
