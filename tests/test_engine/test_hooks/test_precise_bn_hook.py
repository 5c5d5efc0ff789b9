from types import SimpleNamespace

import pytest
import torch
from torch import nn

from mmddl.engine.hooks import PreciseBNHook, recompute_bn_stats


class ToyModel(nn.Module):
    """A data preprocessor and a 'tensor' mode, as DDLReconstructor has."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(2)
        self.data_preprocessor = lambda batch, training: dict(
            inputs=batch['inputs'])

    def forward(self, inputs, mode='tensor'):
        assert mode == 'tensor'
        return self.bn(inputs)


def batches(n=5):
    gen = torch.Generator().manual_seed(0)
    return [dict(inputs=torch.randn(4, 2, 3, 3, generator=gen) * (i + 1) + i)
            for i in range(n)]


def test_statistics_are_the_average_over_the_batches():
    model = ToyModel().eval()
    model.bn.running_mean.fill_(7.0)
    weight = model.bn.weight.detach().clone()
    data = batches(5)
    assert recompute_bn_stats(model, data, num_batches=3) == 3
    used = torch.stack([b['inputs'] for b in data[:3]])
    # mean of the per-batch means and of the per-batch unbiased variances
    means = used.mean((1, 3, 4))
    variances = used.transpose(1, 2).reshape(3, 2, -1).var(-1)
    torch.testing.assert_close(model.bn.running_mean, means.mean(0))
    torch.testing.assert_close(model.bn.running_var, variances.mean(0))
    # weights untouched, momentum and mode restored
    assert torch.equal(model.bn.weight, weight)
    assert model.bn.momentum == 0.1 and not model.training
    # a loader shorter than asked is used whole
    assert recompute_bn_stats(model, data[:2], num_batches=10) == 2


def test_hook_runs_at_its_interval_and_after_the_last_epoch():
    model = ToyModel()
    logs = []
    runner = SimpleNamespace(
        model=model, train_dataloader=batches(4), epoch=0, max_epochs=5,
        logger=SimpleNamespace(info=logs.append))
    hook = PreciseBNHook(num_batches=2, interval=2)
    runs = []
    for epoch in range(5):
        runner.epoch = epoch
        before = model.bn.running_mean.clone()
        model.bn.running_mean.fill_(123.0)
        # only at the epoch's last batch, before its iteration checkpoint
        hook.after_train_iter(runner, batch_idx=2)
        assert torch.all(model.bn.running_mean == 123.0)
        hook.after_train_iter(runner, batch_idx=3)
        runs.append(not torch.all(model.bn.running_mean == 123.0).item())
        model.bn.running_mean.copy_(before)
    # after epochs 2 and 4 (interval) and 5 (the last)
    assert runs == [False, True, False, True, True]
    assert logs and 'over 2 clean batches' in logs[-1]


@pytest.mark.parametrize('kwargs', [dict(num_batches=0), dict(interval=0)])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='PreciseBNHook'):
        PreciseBNHook(**kwargs)


def test_the_epoch_iterator_in_progress_is_left_alone_and_rng_too():
    # persistent workers: a second iter() on the training loader would
    # reset the epoch's own iterator, which is still open at the last batch
    from torch.utils.data import DataLoader
    data = [b['inputs'][0] for b in batches(6)]
    loader = DataLoader(data, batch_size=2, num_workers=1,
                        persistent_workers=True,
                        collate_fn=lambda xs: dict(inputs=torch.stack(xs)))
    runner = SimpleNamespace(model=ToyModel(), train_dataloader=loader,
                             epoch=0, max_epochs=1,
                             logger=SimpleNamespace(info=lambda m: None))
    # fewer batches than the loader has: a reset iterator would go on
    hook = PreciseBNHook(num_batches=1)
    seen = 0
    state = torch.get_rng_state()
    for idx, _ in enumerate(loader):
        seen += 1
        if idx == len(loader) - 1:
            state = torch.get_rng_state()
            hook.after_train_iter(runner, batch_idx=idx)
            assert torch.equal(torch.get_rng_state(), state)
    assert seen == len(loader) == 3
