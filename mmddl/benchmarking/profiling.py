"""Measurements for ``tools/benchmark.py``: FLOPs, time, matmul peak
(memory: :mod:`mmddl.benchmarking.peak_memory`).

FLOPs are counted by torch's ``FlopCounterMode`` (2 per multiply-add, as in
docs/method.md), not estimated. Times are medians over repeats after warm-up,
because these machines are shared and noisy; compare ratios taken in one run.

Example:
    >>> import torch
    >>> net = torch.nn.Linear(64, 64)
    >>> count_flops(net, torch.rand(8, 64))
    65536
    >>> seconds = median_time(lambda: net(torch.rand(8, 64)), repeats=3)
"""
import statistics
import time
from typing import Callable

import torch
from torch.utils.flop_counter import FlopCounterMode


def count_flops(fn: Callable, *args, **kwargs) -> int:
    """FLOPs (2 x multiply-adds) of one call ``fn(*args, **kwargs)``."""
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn(*args, **kwargs)
    return int(counter.get_total_flops())


def synchronize(device) -> None:
    if torch.device(device).type == 'cuda':
        torch.cuda.synchronize()


def median_time(fn: Callable,
                repeats: int = 5,
                warmup: int = 1,
                device='cpu') -> float:
    """Median wall time in seconds of ``fn()`` over ``repeats`` calls."""
    for _ in range(warmup):
        fn()
    synchronize(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def matmul_peak_gflops(device='cpu',
                       dtype=torch.float32,
                       size: int = 2048,
                       repeats: int = 5) -> float:
    """The machine's measured matmul throughput (GFLOP/s) for ``dtype``.

    A square matmul is about the best case for the BLAS library; it is the
    yardstick the model's achieved GFLOP/s is held against.
    """
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    seconds = median_time(lambda: a @ b, repeats=repeats, warmup=2,
                          device=device)
    return 2 * size**3 / seconds / 1e9
