"""DistinctionLoss: both reductions by hand, empty masks, no NaN."""
import math

import pytest
import torch

from mmddl.registry import MODELS

EPS = 1e-6


def tiny_batch():
    """Two samples, C=2, 1x3 pixels. Sample 0 has mask on pixels 0 and 1,
    sample 1 on pixel 2 only."""
    clean = torch.zeros(2, 2, 1, 3)
    corrupted = torch.ones(2, 2, 1, 3)
    recon = torch.zeros(2, 2, 1, 3)
    # sample 0: pixel 0 reconstructs (0.3, 0.4), pixel 1 (1, 1)
    recon[0, :, 0, 0] = torch.tensor([0.3, 0.4])
    recon[0, :, 0, 1] = torch.tensor([1.0, 1.0])
    # sample 1: pixel 2 reconstructs (0.6, 0.8)
    recon[1, :, 0, 2] = torch.tensor([0.6, 0.8])
    mask = torch.tensor([[[1, 1, 0]], [[0, 0, 1]]], dtype=torch.uint8)
    return recon, clean, corrupted, mask


def build(reduction):
    return MODELS.build(
        dict(type='DistinctionLoss', reduction=reduction, loss_weight=1.0))


def test_norm_ratio_by_hand():
    recon, clean, corrupted, mask = tiny_batch()
    # sample 0: P^2 = 0.25 + 2, N^2 = (0.49 + 0.36) + 0
    p0, n0 = math.sqrt(2.25), math.sqrt(0.85)
    # sample 1: P = 1, N^2 = 0.16 + 0.04
    p1, n1 = 1.0, math.sqrt(0.2)
    expected = ((p0 + EPS) / (n0 + EPS) + (p1 + EPS) / (n1 + EPS)) / 2
    value = build('norm_ratio')(recon, clean, corrupted, mask)
    assert float(value) == pytest.approx(expected, rel=1e-6)


def test_pixel_ratio_by_hand():
    recon, clean, corrupted, mask = tiny_batch()
    s = math.sqrt(2)
    ratios = [
        (0.5 / s + EPS) / (math.sqrt(0.85) / s + EPS),  # sample 0, pixel 0
        (math.sqrt(2) / s + EPS) / (0 + EPS),  # pixel 1: exact copy
        (1.0 / s + EPS) / (math.sqrt(0.2) / s + EPS),  # sample 1, pixel 2
    ]
    value = build('pixel_ratio')(recon, clean, corrupted, mask)
    assert float(value) == pytest.approx(sum(ratios) / 3, rel=1e-6)


def test_loss_weight_is_lambda_and_default_is_paper():
    loss = MODELS.build(dict(type='DistinctionLoss'))
    assert loss.reduction == 'norm_ratio' and loss.loss_weight == 0.01
    recon, clean, corrupted, mask = tiny_batch()
    torch.testing.assert_close(
        loss(recon, clean, corrupted, mask),
        0.01 * build('norm_ratio')(recon, clean, corrupted, mask))


@pytest.mark.parametrize('reduction', ['norm_ratio', 'pixel_ratio'])
def test_empty_mask_sample_is_left_out(reduction):
    recon, clean, corrupted, mask = tiny_batch()
    only_first = build(reduction)(recon[:1], clean[:1], corrupted[:1],
                                  mask[:1])
    mask[1] = 0  # sample 1 now has no object
    both = build(reduction)(recon, clean, corrupted, mask)
    torch.testing.assert_close(both, only_first)


@pytest.mark.parametrize('reduction', ['norm_ratio', 'pixel_ratio'])
def test_all_empty_masks_give_zero_connected_to_graph(reduction):
    recon, clean, corrupted, mask = tiny_batch()
    recon.requires_grad_(True)
    value = build(reduction)(recon, clean, corrupted, torch.zeros_like(mask))
    assert float(value.detach()) == 0.0 and value.requires_grad
    value.backward()
    assert torch.equal(recon.grad, torch.zeros_like(recon))


@pytest.mark.parametrize('reduction', ['norm_ratio', 'pixel_ratio'])
def test_exact_reconstructions_give_finite_gradients(reduction):
    recon, clean, corrupted, mask = tiny_batch()
    recon = clean.clone().requires_grad_(True)  # P = 0 everywhere
    build(reduction)(recon, clean, corrupted, mask).backward()
    assert torch.isfinite(recon.grad).all()


@pytest.mark.parametrize('kwargs, match', [
    (dict(reduction='mean'), 'reduction'),
    (dict(loss_weight=-0.1), 'lambda'),
    (dict(eps=0), 'eps'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='DistinctionLoss', **kwargs))
