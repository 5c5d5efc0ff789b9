"""When DDLReconstructor builds and drops its deployed model
(``switch_to_deploy``): built by eval(), dropped by train(), built again by
load_state_dict, to() and deep copies in eval mode; never watching tensors,
never changing the trained backbone."""
import copy
import itertools
import pickle

import pytest
import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmengine.runner.checkpoint import load_state_dict as mmengine_load

from mmddl.models.reconstructors import DeployedReconstructor
from mmddl.registry import MODELS
from mmddl.setup_env import register_all_modules
from mmddl.structures import VADDataSample
from mmddl.testing.reconstructors import (build_tiny_reconstructor,
                                          randomise_bn_stats)

RTOL = 1e-5


def build_training(**test_cfg):
    """A tiny model as the runner builds it: in training mode."""
    register_all_modules()
    return MODELS.build(
        dict(type='DDLReconstructor',
             backbone=dict(type='C3DSU', widths=(8, 16)),
             test_cfg=dict(patch_size=8, **test_cfg)))


def held(model):
    """The deployed model held now, without building one."""
    return model.__dict__['_deployed']


def scores(model, clips):
    return torch.tensor([s.pred_score for s in model.predict(clips)])


def unfused_scores(model, clips):
    """The scores of the plain eval-mode backbone with model's weights."""
    plain = build_tiny_reconstructor((8, 16), fuse_blocks=False)
    plain.load_state_dict(model.state_dict())
    return scores(plain, clips)


def storages(module):
    return {
        t.untyped_storage().data_ptr()
        for t in itertools.chain(module.parameters(), module.buffers())
    }


@pytest.fixture
def clips():
    torch.manual_seed(0)
    return torch.rand(3, 3, 3, 32, 32)


def test_built_at_eval_and_dropped_at_train(clips):
    model = build_training()
    assert held(model) is None and model.deployed is None
    model.eval()
    deployed = held(model)
    assert isinstance(deployed, DeployedReconstructor)
    assert model.deployed is deployed  # kept while in eval mode
    scores(model, clips)
    assert held(model) is deployed  # predict builds nothing
    model.eval()  # every eval() builds from the current weights
    assert held(model) is not deployed
    model.train()
    assert held(model) is None and model.deployed is None
    assert model.inference_backbone() is model.backbone
    with pytest.raises(RuntimeError, match='eval mode'):
        model.switch_to_deploy()


def test_the_deployed_copy_shares_no_memory_with_the_trained_model():
    model = randomise_bn_stats(build_tiny_reconstructor(
        (8, 16), channels_last=True), affine=True)
    trained = {name: t.clone() for name, t in model.state_dict().items()}
    layout = {name: t.stride() for name, t in model.state_dict().items()}
    module = model.deployed.backbone.module
    assert not storages(module) & storages(model)
    assert not any(p.requires_grad for p in module.parameters())
    assert all(p.requires_grad for p in model.backbone.parameters())
    # the trained weights: same values, same layout
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(tensor, trained[name], rtol=0, atol=0)
        assert tensor.stride() == layout[name] and tensor.is_contiguous()


def test_load_state_dict_in_eval_mode_builds_it_again(clips):
    model = build_tiny_reconstructor((8, 16))
    other = randomise_bn_stats(build_tiny_reconstructor((8, 16)))
    before = held(model)
    model.load_state_dict(other.state_dict())
    assert held(model) is not before
    torch.testing.assert_close(
        scores(model, clips), unfused_scores(other, clips), rtol=RTOL, atol=0)
    # mmengine's loader, through a wrapper, runs the post-hook too
    wrapper = nn.ModuleDict(dict(net=model))
    again = held(model)
    mmengine_load(wrapper, {f'net.{k}': v
                            for k, v in other.state_dict().items()},
                  strict=True)
    assert held(model) is not again
    # in training mode nothing is built
    model.train()
    model.load_state_dict(other.state_dict())
    assert held(model) is None


def test_an_optimiser_step_between_two_evals_is_seen(clips):
    model = build_training()
    first = scores(model.eval(), clips)
    model.train()
    inputs = (torch.rand(2, 3, 3, 32, 32) * 255).to(torch.uint8)
    samples = [
        VADDataSample().set_pseudo_mask(
            torch.ones(3, 32, 32, dtype=torch.uint8)) for _ in range(2)
    ]
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5))
    model.train_step(dict(inputs=list(inputs), data_samples=samples), optim)
    second = scores(model.eval(), clips)
    assert not torch.allclose(first, second)
    torch.testing.assert_close(
        second, unfused_scores(model, clips), rtol=RTOL, atol=0)


def test_in_place_writes_in_eval_mode_wait_for_switch_to_deploy(clips):
    model = build_tiny_reconstructor((8, 16))
    before = scores(model, clips)
    with torch.no_grad():
        for param in model.backbone.parameters():
            param.mul_(1.5)
    # not watched: the deployed model is the snapshot it was built from
    torch.testing.assert_close(scores(model, clips), before, rtol=0, atol=0)
    model.switch_to_deploy()
    after = scores(model, clips)
    assert not torch.allclose(after, before)
    torch.testing.assert_close(
        after, unfused_scores(model, clips), rtol=RTOL, atol=0)


def test_to_a_dtype_in_eval_mode_builds_it_again(clips):
    model = build_tiny_reconstructor((8, 16))
    want = unfused_scores(model, clips)
    before = held(model)
    model.double()
    assert held(model) is not before
    weight = next(model.deployed.backbone.module.parameters())
    assert weight.dtype == torch.float64
    torch.testing.assert_close(
        scores(model, clips.double()).float(), want, rtol=RTOL, atol=0)


def test_copies_and_pickles_build_their_own(clips):
    model = randomise_bn_stats(build_tiny_reconstructor((8, 16)))
    want = scores(model, clips)
    clone = copy.deepcopy(model)
    assert held(clone) is not None and held(clone) is not held(model)
    assert not storages(clone.deployed.backbone.module) & storages(
        model.deployed.backbone.module)
    torch.testing.assert_close(scores(clone, clips), want, rtol=0, atol=0)
    restored = pickle.loads(pickle.dumps(model))
    torch.testing.assert_close(scores(restored, clips), want, rtol=0, atol=0)
    # a training-mode copy has none
    assert held(copy.deepcopy(model.train())) is None


def test_deployed_predict_and_training_predict():
    model = build_tiny_reconstructor((8, 16), with_pred_frame=True)
    clips = torch.rand(2, 3, 3, 32, 32)
    samples = model.deployed.predict(clips)
    assert samples[0].pred_frame.shape == (3, 32, 32)
    torch.testing.assert_close(
        torch.tensor([s.pred_score for s in samples]),
        scores(model, clips), rtol=0, atol=0)
    # training mode: the trained backbone, batch statistics, no copy
    model.train()
    with torch.no_grad():
        recon = model(clips, mode='tensor')
    got = model.predict(clips)
    torch.testing.assert_close(got[0].pred_frame, recon[0])
    assert held(model) is None
