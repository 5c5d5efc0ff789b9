"""Run a forward without updating BatchNorm's running statistics."""
import contextlib
from typing import Iterator, List

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm


def tracking_bn_layers(module: nn.Module) -> List[_BatchNorm]:
    """The BatchNorm layers of ``module`` that keep running statistics."""
    return [m for m in module.modules()
            if isinstance(m, _BatchNorm) and m.track_running_stats]


@contextlib.contextmanager
def frozen_bn_stats(module: nn.Module) -> Iterator[None]:
    """Inside the block, BatchNorm layers in training mode still normalise
    with the batch's statistics (and pass gradients through them) but leave
    ``running_mean``, ``running_var`` and ``num_batches_tracked`` alone.

    DDL runs its corrupted batch through the backbone in a second forward;
    if that forward updated the running statistics, the statistics used at
    test time would mix those of noisy inputs into those of normal frames.

    Example:
        >>> import torch
        >>> bn = nn.BatchNorm2d(3).train()
        >>> with frozen_bn_stats(bn):
        ...     _ = bn(torch.rand(2, 3, 4, 4) * 9)
        >>> bn.running_var.tolist(), int(bn.num_batches_tracked)
        ([1.0, 1.0, 1.0], 0)
    """
    layers = tracking_bn_layers(module)
    # With track_running_stats off, a training-mode BatchNorm normalises
    # with batch statistics and passes no running buffers to the kernel.
    for layer in layers:
        layer.track_running_stats = False
    try:
        yield
    finally:
        for layer in layers:
            layer.track_running_stats = True
