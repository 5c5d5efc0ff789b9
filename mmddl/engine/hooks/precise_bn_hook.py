"""Recompute BatchNorm's running statistics over clean training windows."""

import torch
from torch.utils.data import DataLoader
from mmengine.dist import all_reduce, get_world_size, is_main_process
from mmengine.hooks import Hook
from mmengine.utils import ProgressBar

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.models.utils import tracking_bn_layers
from mmddl.registry import HOOKS
from mmddl.utils.rng_state import preserved_rng


def recompute_bn_stats(model: torch.nn.Module, data_loader,
                       num_batches: int, progress: bool = False) -> int:
    """Set every BatchNorm's running mean and variance to their average over
    ``num_batches`` batches of ``data_loader``, run as clean inputs
    (``mode='tensor'``: no pseudo anomaly) with the weights fixed.

    Returns:
        int: the number of batches used (fewer if the loader is shorter).

    Example:
        >>> # recompute_bn_stats(model, runner.train_dataloader, 50)
    """
    layers = tracking_bn_layers(model)
    if not layers:
        return 0
    momenta = [layer.momentum for layer in layers]
    for layer in layers:
        layer.reset_running_stats()
        layer.momentum = None  # a cumulative average over the batches
    was_training = model.training
    model.train()
    used = 0
    bar = ProgressBar(num_batches) if progress else None
    try:
        with torch.no_grad():
            for batch in data_loader:
                if used >= num_batches:
                    break
                data = model.data_preprocessor(batch, True)
                model(data['inputs'], mode='tensor')
                used += 1
                if bar is not None:
                    bar.update()
    finally:
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
        model.train(was_training)
    if get_world_size() > 1:
        for layer in layers:
            all_reduce(layer.running_mean, op='mean')
            all_reduce(layer.running_var, op='mean')
    return used


@HOOKS.register_module()
class PreciseBNHook(Hook):
    """After training epochs, recompute BatchNorm's running statistics over
    ``num_batches`` clean training batches with the final weights.

    During training the running statistics are an exponential average
    (momentum 0.1) over the last few dozen batches, taken while the weights
    still move; the test-time normalisation then depends on which batches
    came last. A short schedule (the synthetic demo: 472 iterations) makes
    this a large, random effect on the AUC; averaging over many batches
    with the final weights removes it. The weights are not changed.

    It runs after the epoch's last optimiser step, before that iteration's
    checkpoint (``checkpoint.by_epoch=False``), the epoch's checkpoint and
    validation, so every checkpoint written after it holds the recomputed
    statistics. It reads the batches through a loader of its own over the
    training set and sampler (the epoch's own iterator is still open), and
    leaves the random generators as it found them, so a resumed run
    continues with the randomness of an uninterrupted one.

    Args:
        num_batches (int): batches to average over. Defaults to 100.
        interval (int): every ``interval`` epochs, and always after the
            last. Defaults to 1.

    Examples:
        >>> custom_hooks = [dict(type='PreciseBNHook', num_batches=100)]
    """
    priority = 'ABOVE_NORMAL'

    def __init__(self, num_batches: int = 100, interval: int = 1):
        if int(num_batches) < 1:
            raise ValueError('PreciseBNHook: num_batches must be at least '
                             f'1, got {num_batches}')
        if int(interval) < 1:
            raise ValueError('PreciseBNHook: interval must be at least 1, '
                             f'got {interval}')
        self.num_batches = int(num_batches)
        self.interval = int(interval)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if not self.end_of_epoch(runner.train_dataloader, batch_idx):
            return
        if not (self.every_n_epochs(runner, self.interval)
                or self.is_last_train_epoch(runner)):
            return
        model = unwrap_model(runner.model)
        with preserved_rng():
            used = recompute_bn_stats(model,
                                      own_loader(runner.train_dataloader),
                                      self.num_batches,
                                      progress=is_main_process())
        runner.logger.info(f'PreciseBNHook: BatchNorm statistics '
                           f'recomputed over {used} clean batches')


def own_loader(loader: DataLoader) -> DataLoader:
    """A loader of ``loader``'s dataset, sampler and batching that does not
    touch ``loader``'s (possibly persistent, still running) iterator.
    Anything else iterable (a list of batches) is used as it is."""
    if not isinstance(loader, DataLoader):
        return loader
    return DataLoader(
        loader.dataset,
        batch_size=loader.batch_size,
        sampler=loader.sampler,
        collate_fn=loader.collate_fn,
        num_workers=loader.num_workers,
        worker_init_fn=loader.worker_init_fn,
        drop_last=loader.drop_last)


__all__ = ['PreciseBNHook', 'recompute_bn_stats']
