import pytest
import torch

from mmddl.registry import OPTIM_WRAPPERS
from mmddl.setup_env import register_all_modules


def build(**kwargs):
    register_all_modules()
    model = torch.nn.Linear(8, 8)
    wrapper = OPTIM_WRAPPERS.build(
        dict(
            type='AutocastOptimWrapper',
            optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            device_type='cpu',
            **kwargs))
    return model, wrapper


def test_forward_runs_in_bfloat16_and_steps():
    model, wrapper = build()
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(4, 8))
    assert out.dtype == torch.bfloat16
    wrapper.update_params(out.float().pow(2).mean())
    assert model.weight.dtype == torch.float32
    assert not torch.equal(before, model.weight)


def test_rejects_unknown_dtype():
    with pytest.raises(ValueError, match='dtype'):
        build(dtype='int8')
