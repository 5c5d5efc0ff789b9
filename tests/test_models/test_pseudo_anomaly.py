"""AdaptivePseudoAnomaly: Eqs. 1-2, the learnable logit, the SDL variant."""
import torch

from mmddl.models import AdaptivePseudoAnomaly
from mmddl.registry import MODELS


def clip_and_mask():
    x = torch.rand(2, 3, 3, 6, 6)
    mask = torch.zeros(2, 3, 6, 6, dtype=torch.uint8)
    mask[0, :, 1:4, 2:5] = 1  # sample 1: empty mask
    return x, mask


def test_blend_matches_equations():
    creator = MODELS.build(dict(type='AdaptivePseudoAnomaly', init_logit=1.))
    x, mask = clip_and_mask()
    torch.manual_seed(3)
    x_a = creator(x, mask)
    torch.manual_seed(3)
    noise = torch.rand_like(x)  # the same draw
    sigma = 1 / (1 + torch.exp(torch.tensor(-1.)))
    m = mask.unsqueeze(1).float()
    expected = (1 - m) * x + m * ((1 - sigma) * x + sigma * noise)
    torch.testing.assert_close(x_a, expected)
    # outside the mask and in the empty-mask sample nothing changes
    assert torch.equal(x_a[1], x[1])
    assert torch.equal(x_a[0][m[0].expand(3, -1, -1, -1) == 0],
                       x[0][m[0].expand(3, -1, -1, -1) == 0])
    assert not torch.equal(x_a[0], x[0])


def test_noise_is_fresh_each_call():
    creator = AdaptivePseudoAnomaly()
    x, mask = clip_and_mask()
    assert not torch.equal(creator(x, mask), creator(x, mask))


def test_mask_with_channel_dim_and_bad_mask():
    creator = AdaptivePseudoAnomaly()
    x, mask = clip_and_mask()
    torch.manual_seed(0)
    a = creator(x, mask)
    torch.manual_seed(0)
    b = creator(x, mask.unsqueeze(1).expand(-1, 3, -1, -1, -1))
    torch.testing.assert_close(a, b)
    try:
        creator(x, mask[:, :2])
    except ValueError as err:
        assert 'does not fit' in str(err)
    else:
        raise AssertionError('a mask of the wrong shape was accepted')


def test_logit_is_a_trained_parameter():
    creator = AdaptivePseudoAnomaly()
    assert [n for n, _ in creator.named_parameters()] == ['logit']
    assert creator.sigma.item() == 0.5
    x, mask = clip_and_mask()
    creator(x, mask).sum().backward()
    assert creator.logit.grad is not None and creator.logit.grad != 0
    optim = torch.optim.SGD(creator.parameters(), lr=0.1)
    optim.step()
    assert creator.sigma.item() != 0.5


def test_static_variant_is_a_buffer_in_the_state_dict():
    creator = AdaptivePseudoAnomaly(learnable=False)
    assert list(creator.parameters()) == []
    assert list(creator.state_dict()) == ['logit']
    assert float(creator.sigma) == 0.5
    x, mask = clip_and_mask()
    assert not creator(x, mask).requires_grad
