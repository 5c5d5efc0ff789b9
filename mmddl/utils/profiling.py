"""Measurements for ``tools/benchmark.py``: FLOPs, time, memory, peak.

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
import gc
import resource
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


class PeakMemory:
    """Peak memory of a block: CUDA's allocator peak, or on CPU the growth
    of the process's maximum resident set size (Linux ``ru_maxrss``).

    The CPU figure only rises when the block exceeds the process's earlier
    peak, so measure the largest workload first or in a fresh process.

    Example:
        >>> with PeakMemory('cpu') as peak:
        ...     x = torch.ones(1024, 1024)
        >>> peak.mib >= 0
        True
    """

    def __init__(self, device='cpu'):
        self.device = torch.device(device)
        self.mib = 0.0

    def __enter__(self):
        gc.collect()
        if self.device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(self.device)
            self.start = torch.cuda.memory_allocated(self.device)
        else:
            self.start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return self

    def __exit__(self, *exc):
        if self.device.type == 'cuda':
            peak = torch.cuda.max_memory_allocated(self.device)
            self.mib = (peak - self.start) / 2**20
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.mib = (peak - self.start) / 1024  # ru_maxrss is in KiB
        return False
