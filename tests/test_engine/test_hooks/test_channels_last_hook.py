"""ChannelsLastHook: the 4-D weights go channels-last before training, and
a training step computes what it computes with contiguous weights."""
import copy
from types import SimpleNamespace

import torch

from mmddl.engine.hooks import ChannelsLastHook
from mmddl.structures import VADDataSample
from mmddl.testing.reconstructors import build_tiny_reconstructor


def batch(seed=0):
    gen = torch.Generator().manual_seed(seed)
    inputs = torch.randint(0, 256, (2, 3, 3, 32, 32), generator=gen,
                           dtype=torch.uint8)
    samples = []
    for _ in range(2):
        mask = torch.zeros(3, 32, 32, dtype=torch.uint8)
        mask[:, 8:20, 8:16] = 1
        samples.append(VADDataSample().set_pseudo_mask(mask))
    return dict(inputs=list(inputs), data_samples=samples)


def step(model, seed):
    """The losses and the gradients of one training step."""
    torch.manual_seed(seed)  # the same pseudo-anomaly noise
    data = model.data_preprocessor(batch(), True)
    losses = model(**data, mode='loss')
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    return ({k: float(v) for k, v in losses.items()},
            [p.grad.clone() for p in model.parameters()])


def test_weights_go_channels_last_and_the_step_is_the_same():
    plain = build_tiny_reconstructor().train()
    converted = copy.deepcopy(plain)
    ChannelsLastHook().before_train(SimpleNamespace(model=converted))
    convs = [p for p in converted.parameters() if p.ndim == 4]
    assert convs and all(
        p.is_contiguous(memory_format=torch.channels_last) for p in convs)
    assert not all(
        p.is_contiguous(memory_format=torch.channels_last)
        for p in plain.parameters() if p.ndim == 4 and p.shape[-1] > 1)
    (want, want_grads), (got, got_grads) = step(plain, 0), step(converted, 0)
    assert want.keys() == got.keys()
    for key in want:
        assert abs(want[key] - got[key]) <= 1e-5 * max(1, abs(want[key]))
    for g, h in zip(want_grads, got_grads):
        # float rounding differs with the layout: equal to 1e-5 of the scale
        assert (g - h).abs().max() <= 1e-5 * max(1.0, float(g.abs().max()))


def test_train_tool_adds_it():
    from mmddl.testing.tools import run_tool
    result = run_tool(['tools/train.py', '--help'])
    assert '--channels-last' in result.stdout
