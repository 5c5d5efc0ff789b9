"""ReconstructionLoss against hand-computed values."""
import math

import pytest
import torch

from mmddl.registry import MODELS


def test_hand_computed_value():
    loss = MODELS.build(dict(type='ReconstructionLoss'))
    target = torch.zeros(1, 2, 1, 2)
    recon = torch.tensor([[[[3., 0.]], [[4., 0.]]]])  # pixel norms 5 and 0
    # mean(5, 0) / sqrt(2)
    assert float(loss(recon, target)) == pytest.approx(2.5 / math.sqrt(2))


def test_exact_reconstruction_has_finite_gradient():
    loss = MODELS.build(dict(type='ReconstructionLoss'))
    recon = torch.zeros(1, 3, 2, 2, requires_grad=True)
    loss(recon, torch.zeros(1, 3, 2, 2)).backward()
    assert torch.isfinite(recon.grad).all()


def test_bad_weight_and_shapes():
    with pytest.raises(ValueError, match='loss_weight'):
        MODELS.build(dict(type='ReconstructionLoss', loss_weight=-1))
    loss = MODELS.build(dict(type='ReconstructionLoss'))
    with pytest.raises(ValueError, match='shape'):
        loss(torch.zeros(1, 3, 2, 2), torch.zeros(1, 3, 2, 3))
