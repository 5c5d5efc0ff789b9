"""PeakMemory on the CPU: the peak of the block itself above its start,
not the growth of the process's lifetime peak (which read 0 here)."""
import time

import pytest
import torch

from mmddl.benchmarking.peak_memory import (CPU_METHODS, PeakMemory,
                                            cpu_memory_method,
                                            kernel_hwm_works,
                                            release_free_heap,
                                            rss_sampling_works)

MIB = 2**20
TOLERANCE_MIB = 24


def touch(mib: int, hold: float = 0.02) -> None:
    """Allocate ``mib`` MiB, write every page, hold it briefly, free it."""
    block = torch.ones(mib * MIB // 4)  # float32: every page written
    time.sleep(hold)  # longer than the sampler's 1 ms interval
    del block


def cpu_methods():
    works = dict(kernel_hwm=kernel_hwm_works(),
                 rss_sampling=rss_sampling_works())
    return [
        pytest.param(
            m, marks=pytest.mark.skipif(
                not works[m], reason=f'{m} does not work here'))
        for m in works
    ]


@pytest.mark.parametrize('method', cpu_methods())
def test_block_after_a_larger_one_reads_its_own_peak(method):
    touch(384)  # an earlier, larger peak of the process
    with PeakMemory('cpu', method=method) as peak:
        touch(256)
    assert peak.method == method
    assert abs(peak.mib - 256) < TOLERANCE_MIB, peak.mib


@pytest.mark.parametrize('method', cpu_methods())
def test_memory_held_before_the_block_is_not_counted(method):
    held = torch.ones(128 * MIB // 4)
    with PeakMemory('cpu', method=method) as peak:
        touch(64)
    del held
    assert abs(peak.mib - 64) < TOLERANCE_MIB, peak.mib


@pytest.mark.skipif(not kernel_hwm_works(), reason='no clear_refs here')
def test_nested_blocks_keep_the_outer_peak():
    with PeakMemory('cpu', method='kernel_hwm') as outer:
        touch(192)
        # the inner block resets the kernel's mark; the outer keeps 192
        with PeakMemory('cpu', method='kernel_hwm') as inner:
            touch(64)
    assert abs(inner.mib - 64) < TOLERANCE_MIB, inner.mib
    assert abs(outer.mib - 192) < TOLERANCE_MIB, outer.mib


def test_method_and_resolution_are_stated():
    peak = PeakMemory('cpu', method='rss_sampling', interval=2e-3)
    assert peak.resolution.startswith('RSS sampled every 2 ms')
    assert cpu_memory_method() in CPU_METHODS
    assert PeakMemory('cpu').method == cpu_memory_method()
    with pytest.raises(ValueError, match='rss_sampling'):
        PeakMemory('cpu', method='guess')


@pytest.mark.skipif(not release_free_heap(),
                    reason='no glibc malloc_trim here')
def test_work_repeated_after_its_warm_up_reads_its_working_memory():
    # The benchmark's situation: the warm-up call freed its activations,
    # glibc kept them, and the measured calls reuse them. Without handing
    # them back first, both paths read 0 MiB here.
    from mmddl.benchmarking.model_speed import benchmark_inference
    from mmddl.testing.reconstructors import build_tiny_reconstructor
    model = build_tiny_reconstructor(widths=(8, 16, 32, 64))
    report = benchmark_inference(model, (3, 64, 64), frames=4, repeats=1)
    assert report['plain_peak_mib'] > 1, report['plain_peak_mib']
    assert report['streaming_peak_mib'] > 1, report['streaming_peak_mib']
