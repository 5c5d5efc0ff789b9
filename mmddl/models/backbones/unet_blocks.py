"""Building blocks shared by :class:`C3DSU` and :class:`UNet2D`.

The blocks follow docs/method.md, section 6 (and the paper's supplementary
Fig. 6): a block runs parallel same-padded ``Conv2d`` branches, concatenates
them, applies BN and ReLU, changes the resolution by a factor 2 with
space-to-depth (encoder) or depth-to-space (decoder), mixes channels with a
1x1 ``Conv2d`` and ends with BN and ReLU (left out in the network's last
block). Space-to-depth and depth-to-space are ``pixel_unshuffle`` and
``pixel_shuffle``, whose channel order ``(c, dy, dx)`` is the one of the
authors' ``einops`` rearrangements.

Example:
    >>> import torch
    >>> encoder = UNetEncoder(3, widths=(8, 16), branch_kernels=(3, 3))
    >>> feats = encoder(torch.rand(2, 3, 32, 32))
    >>> [tuple(f.shape) for f in feats]
    [(2, 8, 16, 16), (2, 16, 8, 8)]
"""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

OUTPUT_ACTIVATIONS = {
    'sigmoid': nn.Sigmoid,
    'tanh': nn.Tanh,
    'identity': nn.Identity,
}


def build_output_activation(name) -> nn.Module:
    """The module for ``output_activation`` (``'sigmoid'``, ``'tanh'``,
    ``'identity'`` or None, which means identity)."""
    key = 'identity' if name is None else str(name).lower()
    if key not in OUTPUT_ACTIVATIONS:
        raise ValueError(f'output_activation must be one of '
                         f'{sorted(OUTPUT_ACTIVATIONS)} or None, got {name!r}')
    return OUTPUT_ACTIVATIONS[key]()


def check_widths_and_kernels(widths: Sequence[int],
                             branch_kernels: Sequence[int]) -> None:
    """Raise a ValueError naming the argument when widths or kernels are
    unusable."""
    if len(widths) < 1 or any(int(w) < 1 for w in widths):
        raise ValueError(
            f'widths must be a non-empty list of positive ints, got {widths}')
    if len(branch_kernels) < 1 or any(
            int(k) < 1 or int(k) % 2 == 0 for k in branch_kernels):
        raise ValueError('branch_kernels must be a non-empty list of odd '
                         f'positive ints, got {branch_kernels}')


class ConvBlock(nn.Module):
    """Multi-branch conv block that halves or doubles the resolution.

    Encoder (``up=False``): each branch maps ``in_channels`` to
    ``out_channels``; after concatenation, BN and ReLU, space-to-depth turns
    ``(B * out, 2h, 2w)`` into ``(4 * B * out, h, w)`` and the 1x1 conv maps
    it to ``out_channels``. Decoder (``up=True``): each branch maps to
    ``4 * out_channels`` so that depth-to-space gives ``(B * out, 2h, 2w)``
    before the 1x1 conv. ``B`` is the number of branches.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        branch_kernels (Sequence[int]): Kernel size of each parallel branch.
        up (bool): Depth-to-space (decoder) instead of space-to-depth.
            Defaults to False.
        final_norm_act (bool): Apply BN and ReLU after the 1x1 conv; the
            network's last block has none. Defaults to True.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 branch_kernels: Sequence[int],
                 up: bool = False,
                 final_norm_act: bool = True):
        super().__init__()
        branch_out = 4 * out_channels if up else out_channels
        self.branches = nn.ModuleList(
            nn.Conv2d(in_channels, branch_out, int(k), padding=int(k) // 2)
            for k in branch_kernels)
        concat = branch_out * len(branch_kernels)
        self.norm1 = nn.BatchNorm2d(concat)
        self.up = up
        mixed = concat // 4 if up else concat * 4
        self.project = nn.Conv2d(mixed, out_channels, 1)
        self.norm2 = nn.BatchNorm2d(out_channels) if final_norm_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.cat([branch(x) for branch in self.branches], dim=1)
        x = F.relu(self.norm1(x), inplace=True)
        x = F.pixel_shuffle(x, 2) if self.up else F.pixel_unshuffle(x, 2)
        x = self.project(x)
        if self.norm2 is not None:
            x = F.relu(self.norm2(x), inplace=True)
        return x


class UNetEncoder(nn.Module):
    """A stack of down-sampling :class:`ConvBlock` s; returns every level.

    Args:
        in_channels (int): Channels of a frame.
        widths (Sequence[int]): Output channels of each level, shallow to
            deep; level ``i`` has stride ``2 ** (i + 1)``.
        branch_kernels (Sequence[int]): Kernels of the parallel branches.
    """

    def __init__(self, in_channels: int, widths: Sequence[int],
                 branch_kernels: Sequence[int]):
        super().__init__()
        chans = [in_channels, *widths]
        self.blocks = nn.ModuleList(
            ConvBlock(chans[i], chans[i + 1], branch_kernels)
            for i in range(len(widths)))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        feats = []
        for block in self.blocks:
            x = block(x)
            feats.append(x)
        return tuple(feats)


class UNetDecoder(nn.Module):
    """Up-sampling :class:`ConvBlock` s that take the skip of each level.

    The deepest feature enters the first block; every later block takes the
    previous output concatenated with the skip of the same resolution. The
    last block maps to ``out_channels`` with no BN/ReLU after its 1x1 conv;
    ``output_activation`` follows.

    Args:
        out_channels (int): Channels of the reconstruction.
        widths (Sequence[int]): The encoder's widths, shallow to deep.
        branch_kernels (Sequence[int]): Kernels of the parallel branches.
        output_activation (str | None): See
            :func:`build_output_activation`. Defaults to ``'sigmoid'``.
    """

    def __init__(self,
                 out_channels: int,
                 widths: Sequence[int],
                 branch_kernels: Sequence[int],
                 output_activation='sigmoid'):
        super().__init__()
        depth = len(widths)
        blocks = []
        for j in range(depth):
            level = depth - 1 - j  # the level whose features enter block j
            in_ch = widths[level] * (1 if j == 0 else 2)
            last = level == 0
            out_ch = out_channels if last else widths[level - 1]
            blocks.append(
                ConvBlock(
                    in_ch,
                    out_ch,
                    branch_kernels,
                    up=True,
                    final_norm_act=not last))
        self.blocks = nn.ModuleList(blocks)
        self.activation = build_output_activation(output_activation)

    def forward(self, skips: Sequence[torch.Tensor]) -> torch.Tensor:
        """Decode from per-level features ``skips`` (shallow to deep)."""
        x = self.blocks[0](skips[-1])
        for block, skip in zip(self.blocks[1:], reversed(skips[:-1])):
            x = block(torch.cat([x, skip], dim=1))
        return self.activation(x)


class TemporalSkipConv(nn.Conv3d):
    """The Conv3d on a skip level, of which only the centre time slice is
    used.

    Its weights are those of ``nn.Conv3d(c, c, (T, k, k), padding='same')``
    and its state-dict keys are ``weight`` and ``bias`` whatever the mode.

    - ``mode='full'`` (the authors' code): the 'same'-padded Conv3d over all
      T slices, then the centre slice is taken.
    - ``mode='centre'``: with 'same' padding the centre output slice sees
      exactly the T input frames and none of the temporal padding, so it is
      one valid temporal convolution. It is computed as a ``Conv2d`` over
      the T frames stacked along channels, 1/T of the work, same output.

    Args:
        channels (int): Channels in and out.
        clip_len (int): T, odd.
        kernel_size (int): Spatial kernel, odd. Defaults to 3.
        mode (str): ``'centre'`` or ``'full'``. Defaults to ``'centre'``.

    Example:
        >>> import torch
        >>> conv = TemporalSkipConv(4, clip_len=3)
        >>> conv(torch.rand(2, 3, 4, 8, 8)).shape   # (N, T, C, H, W)
        torch.Size([2, 4, 8, 8])
    """

    MODES = ('centre', 'full')

    def __init__(self,
                 channels: int,
                 clip_len: int,
                 kernel_size: int = 3,
                 mode: str = 'centre'):
        if mode not in self.MODES:
            raise ValueError(
                f'skip_conv_mode must be one of {self.MODES}, got {mode!r}')
        super().__init__(
            channels,
            channels, (clip_len, kernel_size, kernel_size),
            padding='same')
        self.clip_len = clip_len
        self.mode = mode

    def frames_first_weight(self) -> torch.Tensor:
        """The centre slice's Conv2d weight for input channels stacked in
        (T, C) order: (Cout, T * Cin, k, k)."""
        return self.weight.transpose(1, 2).reshape(
            self.out_channels, -1, *self.kernel_size[1:])

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Fuse ``feats`` (N, T, C, H, W) into the centre slice (N, C, H, W).
        """
        n, t, c, h, w = feats.shape
        if t != self.clip_len:
            raise ValueError(f'expected {self.clip_len} frames of features, '
                             f'got {t}')
        if self.mode == 'full':
            out = super().forward(feats.transpose(1, 2))
            return out[:, :, (t - 1) // 2]
        # The Conv2d needs the weight's (Cin, T) order to match the input's
        # stacked channels. Reorder whichever of the two is smaller: the
        # weight at deep levels (few pixels, many channels), the features
        # at shallow ones.
        k = self.kernel_size[1:]
        if self.weight.numel() <= feats.numel():
            weight = self.frames_first_weight()
            stacked = feats.reshape(n, t * c, h, w)
        else:
            weight = self.weight.reshape(self.out_channels, c * t, *k)
            stacked = feats.transpose(1, 2).reshape(n, c * t, h, w)
        return F.conv2d(stacked, weight, self.bias, padding=k[-1] // 2)


def frames_to_batch(x: torch.Tensor) -> torch.Tensor:
    """(N, C, T, H, W) clips -> (N * T, C, H, W) frames, frame-minor."""
    n, c, t, h, w = x.shape
    return x.transpose(1, 2).reshape(n * t, c, h, w)


def batch_to_windows(feats: Sequence[torch.Tensor],
                     clip_len: int) -> List[torch.Tensor]:
    """Per-level (N * T, C, H, W) frame features -> (N, T, C, H, W)."""
    return [f.reshape(-1, clip_len, *f.shape[1:]) for f in feats]
