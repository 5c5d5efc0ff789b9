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

The FLOPs of every convolution are unchanged. The fused block owns the
folded weights; the trained block and its state dict are never touched.

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

from .unet_blocks import ConvBlock


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
            F.relu(F.conv2d(x, weight, bias, padding=kernel // 2),
                   inplace=True)
            for (kernel, _), weight, bias in zip(self.runs, self.weights,
                                                  self.biases)
        ]
        if not self.up:
            x = outs[0] if len(outs) == 1 else torch.cat(outs, dim=1)
            x = F.conv2d(x, self.project_weight, self.project_bias, stride=2)
            return F.relu(x, inplace=True) if self.final_act else x
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


def fuse_conv_blocks(module: nn.Module) -> nn.Module:
    """An inference copy of ``module`` with every :class:`ConvBlock`
    replaced by a :class:`FusedConvBlock`.

    The copy shares every other parameter and buffer with ``module`` (no
    second copy of, e.g., the skip Conv3d weights); only the folded block
    weights are new. ``module`` is unchanged. Rebuild the copy after the
    weights of ``module`` change.

    Example:
        >>> from mmddl.models.backbones import C3DSU
        >>> net = C3DSU(widths=(8, 16)).eval()
        >>> fused = fuse_conv_blocks(net)
        >>> type(fused.encoder.blocks[0]).__name__
        'FusedConvBlock'
    """
    if isinstance(module, ConvBlock):
        return FusedConvBlock(module)
    shared = {
        id(t): t
        for t in itertools.chain(module.parameters(), module.buffers())
    }
    blocks = {
        name: block
        for name, block in module.named_modules()
        if isinstance(block, ConvBlock)
    }
    fused = copy.deepcopy(module, memo=shared)
    for name, block in blocks.items():
        parent, _, attr = name.rpartition('.')
        owner = fused.get_submodule(parent) if parent else fused
        setattr(owner, attr, FusedConvBlock(block))
    return fused.eval()
