"""UNet2D: the single-frame baseline."""
import pytest
import torch

from mmddl.models.backbones import UNet2D
from mmddl.registry import MODELS

SMALL = (8, 16, 32, 64)


@pytest.mark.parametrize('clip_len', [1, 3, 5])
def test_shapes(clip_len):
    net = MODELS.build(dict(type='UNet2D', clip_len=clip_len, widths=SMALL))
    assert net(torch.rand(2, 3, clip_len, 32, 32)).shape == (2, 3, 32, 32)


def test_uses_only_the_centre_frame_and_has_no_temporal_skips():
    torch.manual_seed(0)
    net = UNet2D(clip_len=3, widths=SMALL).eval()
    assert not any('skips' in k for k in net.state_dict())
    x = torch.rand(1, 3, 3, 32, 32)
    y = x.clone()
    y[:, :, [0, 2]] = torch.rand(1, 3, 2, 32, 32)
    torch.testing.assert_close(net(x), net(y))
    feats = [f.unsqueeze(0) for f in net.encode_frames(x[0].transpose(0, 1))]
    torch.testing.assert_close(net.decode(feats), net(x))


def test_fewer_parameters_than_c3dsu_by_the_skips():
    from mmddl.models.backbones import C3DSU
    unet, c3dsu = UNet2D(widths=SMALL), C3DSU(widths=SMALL)
    skips = sum(p.numel() for p in c3dsu.skips.parameters())
    assert sum(p.numel() for p in unet.parameters()) + skips == sum(
        p.numel() for p in c3dsu.parameters())


def test_even_clip_len_raises():
    with pytest.raises(ValueError, match='clip_len'):
        UNet2D(clip_len=2)
