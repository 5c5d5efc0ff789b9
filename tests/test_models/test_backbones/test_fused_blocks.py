"""FusedConvBlock / fuse_conv_blocks compute what the eval-mode blocks
compute (1e-5 relative), with the same FLOPs, leaving the model alone."""
import pytest
import torch

from mmddl.benchmarking.profiling import count_flops
from mmddl.models.backbones import C3DSU, ConvBlock, UNet2D
from mmddl.models.backbones.fused_blocks import (FusedConvBlock,
                                                 FusedTemporalSkipConv,
                                                 fuse_conv_blocks, kernel_runs)
from mmddl.testing.reconstructors import randomise_bn_stats


def randomise_norms(module):
    """BatchNorm statistics and affine parameters far from the identity, so
    that a wrong fold cannot pass."""
    return randomise_bn_stats(module, mean_range=0.5, var_range=(0.2, 2.0),
                              affine=True).eval()


def assert_close_rel(got, want, rtol=1e-5):
    scale = want.abs().max().item()
    assert (got - want).abs().max().item() <= rtol * scale


def test_kernel_runs_keep_order():
    assert kernel_runs([3, 3, 3, 3]) == [(3, 4)]
    assert kernel_runs([3, 5, 7]) == [(3, 1), (5, 1), (7, 1)]
    assert kernel_runs([3, 3, 5, 3]) == [(3, 2), (5, 1), (3, 1)]


@pytest.mark.parametrize('kernels', [(3, 3, 3, 3), (3, 5, 7), (3, 3, 5)])
@pytest.mark.parametrize('up,final', [(False, True), (True, True),
                                      (True, False)])
def test_fused_block_equals_block(kernels, up, final):
    torch.manual_seed(0)
    block = randomise_norms(ConvBlock(6, 5, kernels, up=up,
                                      final_norm_act=final))
    x = torch.randn(2, 6, 8, 8)
    with torch.no_grad():
        want = block(x)
        got = FusedConvBlock(block)(x)
    assert got.shape == want.shape
    assert_close_rel(got, want)


def test_fused_block_merges_same_kernel_branches():
    block = ConvBlock(4, 8, (3, 3, 3, 3))
    fused = FusedConvBlock(block)
    assert len(fused.weights) == 1
    assert tuple(fused.weights[0].shape) == (32, 4, 3, 3)
    # pixel_unshuffle + 1x1 is one 2x2 stride-2 conv
    assert tuple(fused.project_weight.shape) == (8, 32, 2, 2)


@pytest.mark.parametrize('net', [
    C3DSU(widths=(8, 16, 32), output_activation=None),
    C3DSU(widths=(8, 16), branch_kernels=(3, 5, 7), output_activation=None),
    UNet2D(clip_len=3, widths=(8, 16), output_activation=None),
])
def test_fused_backbone_equals_backbone(net):
    torch.manual_seed(1)
    net = randomise_norms(net)
    clips = torch.rand(2, 3, net.clip_len, 32, 32)
    fused = fuse_conv_blocks(net)
    with torch.no_grad():
        assert_close_rel(fused(clips), net(clips))
        frames = torch.rand(3, 3, 32, 32)
        for got, want in zip(fused.encode_frames(frames),
                             net.encode_frames(frames)):
            assert_close_rel(got, want)


def test_fusing_leaves_the_model_alone_and_shares_the_rest():
    net = randomise_norms(C3DSU(widths=(8, 16), skip_conv_mode='full'))
    before = {k: v.clone() for k, v in net.state_dict().items()}
    fused = fuse_conv_blocks(net)
    after = net.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert all(v.is_contiguous() for v in after.values())
    assert isinstance(net.encoder.blocks[0], ConvBlock)
    # a 'full' skip Conv3d has nothing to precompute: shared, not copied
    assert fused.skips[0].weight is net.skips[0].weight
    # the new weights are channels-last
    assert fused.encoder.blocks[0].project_weight.is_contiguous(
        memory_format=torch.channels_last)


def test_centre_skip_conv_weight_is_reordered_once():
    net = randomise_norms(C3DSU(widths=(8, 16)))
    fused = fuse_conv_blocks(net)
    assert isinstance(fused.skips[1], FusedTemporalSkipConv)
    feats = torch.randn(2, 3, 16, 8, 8)
    with torch.no_grad():
        assert_close_rel(fused.skips[1](feats), net.skips[1](feats))


def test_fused_flops_equal_counted_flops():
    """The benchmark's GFLOP/s uses the counted FLOPs of the plain model;
    the fused one must do exactly the same convolutions' work."""
    net = C3DSU(widths=(8, 16)).eval()
    clips = torch.rand(1, 3, 3, 32, 32)
    assert count_flops(fuse_conv_blocks(net), clips) == count_flops(
        net, clips)
