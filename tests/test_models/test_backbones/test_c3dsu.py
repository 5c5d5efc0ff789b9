"""C3DSU: shapes, arguments, encode/decode split, centre-slice skips, size."""
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from mmddl.models.backbones import C3DSU, TemporalSkipConv
from mmddl.registry import MODELS

SMALL = (8, 16, 32, 64)


@pytest.mark.parametrize('clip_len', [1, 3, 5])
def test_reconstructs_centre_frame_shape(clip_len):
    net = C3DSU(clip_len=clip_len, widths=SMALL)
    with torch.no_grad():
        out = net(torch.rand(2, 3, clip_len, 32, 32))
    assert out.shape == (2, 3, 32, 32)
    assert 0 <= float(out.min()) and float(out.max()) <= 1  # sigmoid


def test_registered_and_arguments():
    net = MODELS.build(
        dict(
            type='C3DSU',
            in_channels=1,
            widths=[4, 8],
            branch_kernels=[3, 5, 7],
            output_activation=None))
    assert [len(b.branches) for b in net.encoder.blocks] == [3, 3]
    assert [b.branches[2].kernel_size for b in net.encoder.blocks] == [
        (7, 7), (7, 7)
    ]
    assert [s.weight.shape for s in net.skips] == [(4, 4, 3, 3, 3),
                                                    (8, 8, 3, 3, 3)]
    out = net(torch.rand(1, 1, 3, 8, 8))
    assert out.shape == (1, 1, 8, 8)
    # identity output: a deep net's raw output leaves [0, 1] somewhere
    assert not isinstance(net.decoder.activation, torch.nn.Sigmoid)


def test_block_structure_follows_method():
    net = C3DSU(widths=SMALL)
    first = net.encoder.blocks[0]
    # four 3x3 branches of 8 channels -> BN(32) -> s2d (128) -> 1x1 -> 8
    assert len(first.branches) == 4
    assert first.norm1.num_features == 32
    assert first.project.weight.shape == (8, 128, 1, 1)
    last = net.decoder.blocks[-1]
    # decoder in: 2 * 8 (output + skip); branches to 4 * 3 each
    assert last.branches[0].weight.shape == (12, 16, 3, 3)
    assert last.project.weight.shape == (3, 12, 1, 1)
    assert last.norm2 is None  # no BN/ReLU in the last block
    assert net.decoder.blocks[0].branches[0].in_channels == 64


@pytest.mark.parametrize('kwargs, match', [
    (dict(clip_len=4), 'clip_len'),
    (dict(clip_len=0), 'clip_len'),
    (dict(branch_kernels=[3, 4]), 'branch_kernels'),
    (dict(widths=[]), 'widths'),
    (dict(skip_conv_mode='half'), 'skip_conv_mode'),
    (dict(output_activation='relu6'), 'output_activation'),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        C3DSU(**{'widths': SMALL, **kwargs})


def test_bad_inputs_raise():
    net = C3DSU(widths=SMALL)
    with pytest.raises(ValueError, match='clip_len=3'):
        net(torch.rand(1, 3, 5, 32, 32))
    with pytest.raises(ValueError, match='divisible by 16'):
        net(torch.rand(1, 3, 3, 24, 32))
    with pytest.raises(ValueError, match=r'\(N, C, T, H, W\)'):
        net(torch.rand(1, 3, 32, 32))


def test_encode_frames_and_decode_equal_forward():
    torch.manual_seed(0)
    net = C3DSU(clip_len=3, widths=SMALL).eval()
    video = torch.rand(5, 3, 32, 32)  # 5 frames of one video
    feats = net.encode_frames(video)  # each frame encoded once
    windows = [
        torch.stack([f[i:i + 3] for i in range(3)]) for f in feats
    ]  # (3 windows, T, C, H, W)
    clips = torch.stack([video[i:i + 3] for i in range(3)]).transpose(1, 2)
    torch.testing.assert_close(
        net.decode(windows), net(clips), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('hw', [(9, 7), (2, 2)])  # both reorder paths
@pytest.mark.parametrize('clip_len', [1, 3, 5])
def test_centre_slice_equals_full_conv3d(clip_len, hw):
    torch.manual_seed(0)
    full = TemporalSkipConv(6, clip_len, mode='full')
    centre = TemporalSkipConv(6, clip_len, mode='centre')
    centre.load_state_dict(full.state_dict(), strict=True)
    feats = torch.randn(2, clip_len, 6, *hw)
    reference = torch.nn.functional.conv3d(
        feats.transpose(1, 2), full.weight, full.bias,
        padding=(clip_len // 2, 1, 1))[:, :, clip_len // 2]
    torch.testing.assert_close(full(feats), reference)
    torch.testing.assert_close(centre(feats), reference, rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize('hw', [(9, 7), (2, 2)])
def test_centre_slice_trains_like_full_conv3d(hw):
    """Same gradients for the weights and the features: the centre mode
    can be used in training too."""
    torch.manual_seed(0)
    full = TemporalSkipConv(6, 3, mode='full')
    centre = TemporalSkipConv(6, 3, mode='centre')
    centre.load_state_dict(full.state_dict())
    feats = torch.randn(2, 3, 6, *hw)
    grads = []
    for conv in (full, centre):
        x = feats.clone().requires_grad_(True)
        (conv(x)**2).sum().backward()
        grads.append((conv.weight.grad, conv.bias.grad, x.grad))
    for g_full, g_centre in zip(*grads):
        torch.testing.assert_close(g_centre, g_full, rtol=1e-5, atol=1e-5)


def test_centre_and_full_backbones_agree_with_same_state_dict():
    torch.manual_seed(0)
    full = C3DSU(widths=SMALL, skip_conv_mode='full').eval()
    centre = C3DSU(widths=SMALL, skip_conv_mode='centre').eval()
    assert list(full.state_dict()) == list(centre.state_dict())
    centre.load_state_dict(full.state_dict(), strict=True)
    x = torch.rand(2, 3, 3, 32, 32)
    torch.testing.assert_close(centre(x), full(x), rtol=1e-5, atol=1e-5)


def count(net, clip_len=3, size=256):
    """Parameters, FLOPs (2 x MAC) and GFLOP per part of one forward, on the
    meta device (no memory, no arithmetic)."""
    with torch.device('meta'):
        x = torch.empty(1, 3, clip_len, size, size)
        with FlopCounterMode(display=False) as counter:
            net.eval()(x)
    per_module = {
        name: sum(ops.values()) / 1e9
        for name, ops in counter.get_flop_counts().items()
    }
    parts = dict(
        encoder=per_module['C3DSU.encoder'],
        skips=sum(per_module[f'C3DSU.skips.{i}'] for i in range(4)),
        decoder=per_module['C3DSU.decoder'])
    params = sum(p.numel() for p in net.parameters())
    return params, counter.get_total_flops(), parts


def test_public_variant_size_matches_authors_code():
    """The authors' C3DSU (kernels 3, 5, 7; 256x256; T=3; widths 64-512):
    99.0 M parameters; 386 GFLOP per output frame with the full Conv3d
    skips, 357 GFLOP with only their centre slices (docs/method.md, 6)."""
    with torch.device('meta'):
        full = C3DSU(branch_kernels=(3, 5, 7), skip_conv_mode='full')
        centre = C3DSU(branch_kernels=(3, 5, 7), skip_conv_mode='centre')
    params, full_flops, parts = count(full)
    assert round(params / 1e6, 1) == 99.0
    assert round(full_flops / 1e9) == 386
    # encoder 226 (75 per frame), Conv3d skips 43.5, decoder 117
    assert parts == pytest.approx(
        dict(encoder=226.1, skips=43.5, decoder=116.8), abs=0.1)
    params_c, centre_flops, _ = count(centre)
    assert params_c == params
    assert round(centre_flops / 1e9) == 357
    # only the skips changed: their 43.5 GFLOP became a third
    assert (full_flops - centre_flops) / 1e9 == pytest.approx(
        43.5 * 2 / 3, abs=0.1)
