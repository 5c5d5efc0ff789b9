"""Peak memory of a block of code, on CUDA or on the CPU.

CUDA: the caching allocator's peak (``torch.cuda.max_memory_allocated``)
minus what was allocated at the start of the block.

CPU: the peak resident set size (RSS) of the process during the block
minus the RSS at its start, so a block that allocates and frees 256 MiB
reads about 256 MiB however large the process was before. Methods, best
first (``PeakMemory(method=None)`` takes the first that works here):

- ``'kernel_hwm'``: reset the kernel's RSS high-water mark by writing ``5``
  to ``/proc/self/clear_refs`` (Linux >= 4.0) and read ``VmHWM`` from
  ``/proc/self/status`` at the end. Nothing is missed: the kernel updates
  the mark before it unmaps pages; page granularity, within the kernel's
  per-CPU counter slack (tens of KiB on the test machine).

Every CPU method first returns the memory the C allocator freed but kept
(:func:`release_free_heap`, glibc's ``malloc_trim``): otherwise a block
that repeats earlier work reuses those pages and reads about 0.
- ``'rss_sampling'``: a background thread reads ``/proc/self/statm`` every
  ``interval`` seconds (1 ms by default). A peak shorter than that (or
  than a Python thread switch, 5 ms, while the GIL is held) can be missed.
- ``'maxrss_growth'`` (no ``/proc``, e.g. macOS): the growth of
  ``ru_maxrss``; it reads 0 unless the block exceeds the process's
  earlier peak.

``kernel_hwm`` resets the process's high-water mark, which
``getrusage().ru_maxrss`` also reports: read that before, not after, a
measurement. Nested blocks are handled (the outer block keeps the peak it
had seen before an inner one resets the mark). Memory of other processes
(dataloader workers) is not counted.

Example:
    >>> import torch
    >>> with PeakMemory('cpu') as peak:
    ...     x = torch.ones(64 * 2**20 // 4)  # 64 MiB, touched
    ...     del x
    >>> peak.method in CPU_METHODS
    True
    >>> 40 < peak.mib < 100  # doctest: +SKIP
    True
"""
import ctypes
import ctypes.util
import gc
import os
import resource
import sys
import threading
from functools import lru_cache
from typing import List, Optional

import torch

CPU_METHODS = ('kernel_hwm', 'rss_sampling', 'maxrss_growth')
RESOLUTIONS = dict(
    cuda_allocator='exact (CUDA caching allocator peak)',
    kernel_hwm='exact (kernel RSS high-water mark, page granularity)',
    rss_sampling='RSS sampled every {interval_ms:g} ms; shorter peaks '
    'can be missed',
    maxrss_growth='growth of ru_maxrss; 0 unless the block exceeds the '
    "process's earlier peak")

_PAGE_SIZE = os.sysconf('SC_PAGE_SIZE') if hasattr(os, 'sysconf') else 4096
# kernel_hwm meters in progress, outermost first (see reset_kernel_hwm)
_ACTIVE: List['PeakMemory'] = []


def resident_bytes() -> int:
    """The process's resident set size now, from ``/proc/self/statm``."""
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * _PAGE_SIZE


def status_bytes(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` (``VmHWM``, ``VmRSS``)."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) * 1024
    raise KeyError(f'/proc/self/status has no {field}')


def reset_kernel_hwm() -> None:
    """Set ``VmHWM`` to the current RSS; meters in progress keep the peak
    they had seen so far."""
    if _ACTIVE:
        hwm = status_bytes('VmHWM')
        for meter in _ACTIVE:
            meter.peak_bytes = max(meter.peak_bytes, hwm)
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


@lru_cache(maxsize=None)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none."""
    name = ctypes.util.find_library('c')
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_free_heap() -> bool:
    """Hand the memory the C allocator has freed but kept back to the OS.

    glibc keeps freed chunks resident for reuse, so a block that repeats
    work done before it (a benchmark after its warm-up) reuses them and its
    RSS does not grow: it would read near 0 MiB whatever its working
    memory. Trimming first makes the block's peak its own working memory.

    Returns:
        bool: whether a trim was available (glibc) and ran.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@lru_cache(maxsize=None)
def kernel_hwm_works() -> bool:
    """Whether ``/proc/self/clear_refs`` resets ``VmHWM`` here (Linux >= 4.0
    and a /proc that allows it)."""
    try:
        reset_kernel_hwm()
        # right after a reset the mark equals the RSS (a few pages of
        # slack for the reads themselves)
        return status_bytes('VmHWM') <= status_bytes('VmRSS') + 2**20
    except (OSError, KeyError, ValueError):
        return False


@lru_cache(maxsize=None)
def rss_sampling_works() -> bool:
    try:
        return resident_bytes() > 0
    except (OSError, ValueError, IndexError):
        return False


def cpu_memory_method() -> str:
    """The CPU method :class:`PeakMemory` picks on this machine."""
    if kernel_hwm_works():
        return 'kernel_hwm'
    if rss_sampling_works():
        return 'rss_sampling'
    return 'maxrss_growth'


def _maxrss_bytes() -> int:
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    scale = 1 if sys.platform == 'darwin' else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


class _RSSSampler(threading.Thread):
    """Reads the RSS every ``interval`` seconds until stopped."""

    def __init__(self, interval: float):
        super().__init__(daemon=True, name='PeakMemory-rss-sampler')
        self.interval = interval
        self.peak = resident_bytes()
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.wait(self.interval):
            self.peak = max(self.peak, resident_bytes())

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        self.peak = max(self.peak, resident_bytes())
        return self.peak


class PeakMemory:
    """Peak memory of a block above its start, in MiB (see the module doc).

    Args:
        device (str | torch.device): 'cpu' or a CUDA device.
        method (str, optional): on a CPU, one of :data:`CPU_METHODS`;
            None picks the best that works here. Ignored on CUDA.
        interval (float): seconds between samples of ``'rss_sampling'``.
            Defaults to 1e-3.

    Attributes:
        mib (float): the peak minus the start, after the block.
        method (str): the method used (``'cuda_allocator'`` on CUDA).
        resolution (str): what the figure can and cannot see.

    Examples:
        >>> with PeakMemory('cpu') as peak:
        ...     x = torch.ones(1024, 1024)
        >>> peak.mib >= 0
        True
    """

    def __init__(self,
                 device='cpu',
                 method: Optional[str] = None,
                 interval: float = 1e-3):
        self.device = torch.device(device)
        if self.device.type == 'cuda':
            method = 'cuda_allocator'
        elif method is None:
            method = cpu_memory_method()
        elif method not in CPU_METHODS:
            raise ValueError(f'PeakMemory method must be one of '
                             f'{CPU_METHODS}, got {method!r}')
        self.method = method
        self.interval = interval
        self.resolution = RESOLUTIONS[method].format(
            interval_ms=interval * 1e3)
        self.mib = 0.0
        self.start_bytes = 0
        self.peak_bytes = 0
        self._sampler = None

    def __enter__(self):
        gc.collect()
        if self.method != 'cuda_allocator':
            release_free_heap()
        if self.method == 'cuda_allocator':
            torch.cuda.reset_peak_memory_stats(self.device)
            self.start_bytes = torch.cuda.memory_allocated(self.device)
        elif self.method == 'kernel_hwm':
            reset_kernel_hwm()
            self.start_bytes = status_bytes('VmRSS')
            self.peak_bytes = self.start_bytes
            _ACTIVE.append(self)
        elif self.method == 'rss_sampling':
            self._sampler = _RSSSampler(self.interval)
            self.start_bytes = self._sampler.peak
            self._sampler.start()
        else:
            self.start_bytes = _maxrss_bytes()
        return self

    def __exit__(self, *exc):
        if self.method == 'cuda_allocator':
            self.peak_bytes = torch.cuda.max_memory_allocated(self.device)
        elif self.method == 'kernel_hwm':
            self.peak_bytes = max(self.peak_bytes, status_bytes('VmHWM'))
            _ACTIVE.remove(self)
        elif self.method == 'rss_sampling':
            self.peak_bytes = self._sampler.stop()
            self._sampler = None
        else:
            self.peak_bytes = _maxrss_bytes()
        self.mib = max(self.peak_bytes - self.start_bytes, 0) / 2**20
        return False
