"""Inference-only fused copies of :class:`~.unet_blocks.ConvBlock`.

In eval mode a :class:`ConvBlock` is a chain of linear maps with a ReLU in
between, so most of its memory traffic can be folded away without changing
what it computes (only the order of floating-point sums):

- parallel branches with the same kernel read the same input, so they are
  one ``Conv2d`` with their output channels stacked (no ``torch.cat``);
- eval-mode BatchNorm is a per-channel affine map, folded into the conv
  before it (``norm1`` into the branches, ``norm2`` into the 1x1 conv);
- encoder: ``pixel_unshuffle`` followed by the 1x1 conv is one 2x2 conv
  with stride 2 whose weight is the 1x1 weight reshaped (no unshuffled
  copy);
- decoder: the branch outputs are ordered by sub-pixel position first, so
  the tensor before ``pixel_shuffle`` is, as a view, a batch of 4 sub-pixel
  images; the 1x1 conv runs on that batch and only its (B times smaller)
  output is interleaved into the doubled resolution.

The skip Conv3d in ``'centre'`` mode keeps its weight reordered for the
stacked frames once (:class:`FusedTemporalSkipConv`) instead of at every
call, and the new 4-D weights are stored channels-last, where oneDNN's
convolutions (the 2x2 stride-2 ones most) run faster; the decoder's 1x1
conv on a channels-last tensor is then one matrix product on a view.

The FLOPs of every convolution are unchanged. The fused modules own the
folded weights; the trained blocks and their state dict are never touched.

Example:
    >>> import torch
    >>> block = ConvBlock(8, 16, (3, 3, 3, 3)).eval()
    >>> fused = FusedConvBlock(block)
    >>> x = torch.rand(2, 8, 16, 16)
    >>> torch.allclose(fused(x), block(x), atol=1e-5)
    True
"""
import copy
import itertools
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .unet_blocks import ConvBlock, TemporalSkipConv


def bn_scale_shift(norm: nn.BatchNorm2d) -> Tuple[torch.Tensor, torch.Tensor]:
    """Per-channel ``(scale, shift)`` with ``norm(x) == x * scale + shift``
    in eval mode."""
    scale = torch.rsqrt(norm.running_var + norm.eps)
    if norm.weight is not None:
        scale = scale * norm.weight
    shift = -norm.running_mean * scale
    if norm.bias is not None:
        shift = shift + norm.bias
    return scale, shift


def fold_norm(conv_weight: torch.Tensor, conv_bias: torch.Tensor,
              norm: nn.BatchNorm2d) -> Tuple[torch.Tensor, torch.Tensor]:
    """Weight and bias of ``norm(conv(x))`` as one conv (eval mode)."""
    scale, shift = bn_scale_shift(norm)
    weight = conv_weight * scale.reshape(-1, *([1] * (conv_weight.ndim - 1)))
    return weight, conv_bias * scale + shift


def kernel_runs(kernels: List[int]) -> List[Tuple[int, int]]:
    """``(kernel, count)`` of each run of equal consecutive kernels;
    ``[3, 3, 5, 3]`` -> ``[(3, 2), (5, 1), (3, 1)]``. Branches of one run
    become one conv; keeping the order keeps the concatenation's channel
    order."""
    return [(k, len(list(group))) for k, group in itertools.groupby(kernels)]


class FusedConvBlock(nn.Module):
    """The eval-mode function of a :class:`ConvBlock` with fewer passes over
    memory (see the module docstring). For inference only: it holds no
    running statistics and cannot be trained.

    Args:
        block (ConvBlock): The trained block; read, never changed. Its
            BatchNorms are used with their running statistics whatever its
            mode.
    """

    def __init__(self, block: ConvBlock):
        super().__init__()
        self.up = block.up
        self.final_act = block.norm2 is not None
        kernels = [branch.kernel_size[0] for branch in block.branches]
        self.runs = kernel_runs(kernels)
        branch_out = block.branches[0].out_channels
        weights, biases = [], []
        with torch.no_grad():
            scale, shift = bn_scale_shift(block.norm1)
            start = 0
            for kernel, count in self.runs:
                run = block.branches[start:start + count]
                channels = slice(start * branch_out,
                                 (start + count) * branch_out)
                weight = torch.cat([b.weight for b in run])
                bias = torch.cat([b.bias for b in run])
                weight = weight * scale[channels].reshape(-1, 1, 1, 1)
                bias = bias * scale[channels] + shift[channels]
                if self.up:
                    # Channel c * 4 + s of the run (s = dy * 2 + dx, the
                    # order of pixel_shuffle) moves to s * C + c.
                    order = torch.arange(len(bias), device=bias.device)
                    order = order.reshape(-1, 4).t().reshape(-1)
                    weight, bias = weight[order], bias[order]
                weights.append(weight.contiguous())
                biases.append(bias.contiguous())
                start += count
            project_w = block.project.weight
            project_b = block.project.bias
            if block.norm2 is not None:
                project_w, project_b = fold_norm(project_w, project_b,
                                                 block.norm2)
            if not self.up:
                # A 1x1 conv over pixel_unshuffle's channels
                # c * 4 + dy * 2 + dx is a 2x2 stride-2 conv with
                # weight[o, c, dy, dx].
                project_w = project_w.reshape(project_w.shape[0], -1, 2, 2)
        self.weights = nn.ParameterList(
            nn.Parameter(w, requires_grad=False) for w in weights)
        self.biases = nn.ParameterList(
            nn.Parameter(b, requires_grad=False) for b in biases)
        self.project_weight = nn.Parameter(
            project_w.contiguous(), requires_grad=False)
        self.project_bias = nn.Parameter(
            project_b.contiguous(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        outs = [
            F.relu(F.conv2d(x, weight, bias, padding=run[0] // 2),
                   inplace=True)
            for run, weight, bias in zip(self.runs, self.weights,
                                         self.biases)
        ]
        if not self.up:
            x = outs[0] if len(outs) == 1 else torch.cat(outs, dim=1)
            x = F.conv2d(x, self.project_weight, self.project_bias, stride=2)
            return F.relu(x, inplace=True) if self.final_act else x
        if len(outs) == 1 and outs[0].is_contiguous(
                memory_format=torch.channels_last):
            return self._project_up_channels_last(outs[0])
        # Each run is (N, 4, C_run, h, w) by sub-pixel position: as a view,
        # a batch of 4N images for the 1x1 conv.
        outs = [o.reshape(n, 4, -1, h, w) for o in outs]
        x = outs[0] if len(outs) == 1 else torch.cat(outs, dim=2)
        x = F.conv2d(x.reshape(n * 4, -1, h, w), self.project_weight,
                     self.project_bias)
        if self.final_act:
            x = F.relu(x, inplace=True)
        out = x.shape[1]
        # (n, dy, dx, o, h, w) -> (n, o, h, dy, w, dx): pixel_shuffle's
        # placement, done on the projected (B times smaller) tensor.
        x = x.reshape(n, 2, 2, out, h, w).permute(0, 3, 4, 1, 5, 2)
        return x.reshape(n, out, 2 * h, 2 * w)

    def _project_up_channels_last(self, x: torch.Tensor) -> torch.Tensor:
        """The decoder's 1x1 conv and pixel shuffle on an (N, 4C, h, w)
        channels-last tensor: its memory is (N, h, w, 4, C), i.e. rows of C
        channels, so the 1x1 conv is one matrix product on a view."""
        n, channels, h, w = x.shape
        rows = x.permute(0, 2, 3, 1).reshape(n * h * w * 4, channels // 4)
        weight = self.project_weight.reshape(self.project_weight.shape[0],
                                             -1)
        y = torch.addmm(self.project_bias, rows, weight.t())
        if self.final_act:
            y = F.relu(y, inplace=True)
        out = y.shape[1]
        # (n, h, w, dy, dx, o) -> (n, h, dy, w, dx, o): channels-last
        # (n, o, 2h, 2w)
        y = y.reshape(n, h, w, 2, 2, out).permute(0, 1, 3, 2, 4, 5)
        return y.reshape(n, 2 * h, 2 * w, out).permute(0, 3, 1, 2)


class FusedTemporalSkipConv(nn.Module):
    """A ``'centre'`` :class:`TemporalSkipConv` with its Conv2d weight
    reordered once, to the (T, C) order of the stacked input channels,
    instead of at every call.

    Args:
        skip (TemporalSkipConv): The trained skip conv; read, never changed.
    """

    def __init__(self, skip: TemporalSkipConv):
        super().__init__()
        self.clip_len = skip.clip_len
        self.padding = skip.kernel_size[-1] // 2
        with torch.no_grad():
            weight = skip.frames_first_weight()
        self.weight = nn.Parameter(weight.contiguous(), requires_grad=False)
        self.bias = nn.Parameter(skip.bias.detach().clone(),
                                 requires_grad=False)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """(N, T, C, H, W) -> the centre slice (N, C, H, W)."""
        n, t, c, h, w = feats.shape
        if t != self.clip_len:
            raise ValueError(f'expected {self.clip_len} frames of features, '
                             f'got {t}')
        return F.conv2d(feats.reshape(n, t * c, h, w), self.weight,
                        self.bias, padding=self.padding)


def fused_copy_of(module: nn.Module) -> nn.Module:
    """The fused inference module for one block, or None to share it."""
    if isinstance(module, ConvBlock):
        return FusedConvBlock(module)
    if isinstance(module, TemporalSkipConv) and module.mode == 'centre':
        return FusedTemporalSkipConv(module)
    return None


def fuse_conv_blocks(module: nn.Module,
                     channels_last: bool = True) -> nn.Module:
    """An inference copy of ``module`` with every :class:`ConvBlock`
    replaced by a :class:`FusedConvBlock` and every ``'centre'``
    :class:`TemporalSkipConv` by a :class:`FusedTemporalSkipConv`.

    The copy shares every other parameter and buffer with ``module``; only
    the folded weights are new. ``module`` is unchanged. Rebuild the copy
    after the weights of ``module`` change.

    Args:
        module (nn.Module): A backbone (or a block) in eval mode.
        channels_last (bool): Store the new 4-D weights channels-last, so
            that the convolutions run, and return, channels-last: on the
            2-core CPU this was measured on, the whole C3DSU at 256x256
            runs about 1.3x faster so, the 2x2 stride-2 convs up to 3x.
            Defaults to True.

    Example:
        >>> from mmddl.models.backbones import C3DSU
        >>> net = C3DSU(widths=(8, 16)).eval()
        >>> fused = fuse_conv_blocks(net)
        >>> type(fused.encoder.blocks[0]).__name__
        'FusedConvBlock'
    """
    fused = fused_copy_of(module)
    if fused is not None:
        return _to_channels_last(fused, channels_last).eval()
    shared = {
        id(t): t
        for t in itertools.chain(module.parameters(), module.buffers())
    }
    replaced = {}
    for name, block in module.named_modules():
        new = fused_copy_of(block)
        if new is not None:
            replaced[name] = _to_channels_last(new, channels_last)
    fused = copy.deepcopy(module, memo=shared)
    for name, new in replaced.items():
        parent, _, attr = name.rpartition('.')
        owner = fused.get_submodule(parent) if parent else fused
        setattr(owner, attr, new)
    return fused.eval()


def _to_channels_last(module: nn.Module, channels_last: bool) -> nn.Module:
    # Only the new module's own tensors: the shared ones belong to the
    # trained model.
    if channels_last:
        for param in module.parameters():
            if param.ndim == 4:
                param.data = param.data.contiguous(
                    memory_format=torch.channels_last)
    return module
