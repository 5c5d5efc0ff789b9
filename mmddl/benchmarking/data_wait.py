"""How long a real training step waits for its data.

Used by ``tools/benchmark.py --data-iterations N``. The config's own
training dataloader (dataset, pipeline, ``num_workers``,
``persistent_workers``) feeds ``model.train_step`` with the config's
optimiser wrapper, as mmengine's training loop does; each iteration's time
blocked in ``next(iterator)`` and its total (data + step) are measured.

Example:
    >>> # cfg = load_config('configs/ddl/c3dsu_synthetic.py')
    >>> # model = MODELS.build(cfg.model)
    >>> # report = benchmark_data_wait(model, cfg, iterations=20)
    >>> # report['data_wait_share']  # share of step time spent waiting
"""
import copy
import itertools
import time
from typing import Iterable, Optional

from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner

from mmddl.datasets.frame_cache import FrameCache
from mmddl.registry import DATASETS
from .profiling import synchronize


class MissingTrainingData(FileNotFoundError):
    """The config's training data (frames or box cache) is not there; the
    message says what is missing and the command that makes it."""


def one_line(message: str, data_root: Optional[str] = None) -> str:
    """``message`` on one line, the ``<root>`` of layout hints filled in."""
    if data_root:
        message = message.replace('<root>', str(data_root))
    return ' '.join(message.split())


def build_train_dataloader(cfg, seed: Optional[int] = None):
    """The config's ``train_dataloader``, built as mmengine's Runner does.

    Raises:
        MissingTrainingData: the frames or the box cache are missing. The
            pipeline (and so the box cache) is built before the videos are
            listed, so on failure the dataset alone is tried too, to name
            both missing pieces at once.
    """
    loader_cfg = cfg.train_dataloader
    try:
        return Runner.build_dataloader(copy.deepcopy(loader_cfg), seed=seed)
    except FileNotFoundError as err:
        dataset_cfg = loader_cfg.get('dataset', {})
        data_root = dataset_cfg.get('data_root')
        reasons = []
        if 'pipeline' in dataset_cfg:
            try:
                DATASETS.build(dict(copy.deepcopy(dataset_cfg), pipeline=[]))
            except FileNotFoundError as listing_err:
                reasons.append(one_line(str(listing_err), data_root))
        reasons.append(one_line(str(err), data_root))
        raise MissingTrainingData('; '.join(reasons)) from err


def fill_frame_caches(dataset, indices: Iterable[int]) -> float:
    """Build now the frame caches of the videos of windows ``indices``.

    In training the first epoch fills the cache; the benchmark measures the
    steady state after it, without decoding every video of a large set.
    Only datasets whose own pipeline has a cached loading transform (such
    as ``LoadFrameWindow(cache_dir=...)``) are filled; for others (dataset
    wrappers) a cold cache counts as data wait.

    Returns:
        float: seconds spent (about 0 when the videos were cached).
    """
    start = time.perf_counter()
    transforms = getattr(getattr(dataset, 'pipeline', None), 'transforms', [])
    caches = [t.cache for t in transforms
              if isinstance(getattr(t, 'cache', None), FrameCache)]
    if caches and hasattr(dataset, 'get_data_info'):
        videos = {}
        for index in indices:
            paths = dataset.get_data_info(index)['frame_paths']
            videos[(paths[0], len(paths))] = paths
        for cache in caches:
            for paths in videos.values():
                cache.video(paths)
    return time.perf_counter() - start


def measure_data_wait(model,
                      dataloader,
                      optim_wrapper,
                      iterations: int,
                      warmup: int = 3,
                      device='cpu') -> dict:
    """Run ``warmup + iterations`` training steps; time the data waits.

    An exhausted dataloader starts its next epoch (the wait for the new
    iterator, and for new workers without ``persistent_workers``, counts
    as data wait, as in training).

    Returns:
        dict: ``data_iterations`` (measured, after the warm-up),
        ``data_wait_share`` (sum of waits / sum of iteration times),
        ``data_wait_s_per_iter``, ``data_step_s_per_iter`` (whole
        iteration) and ``train_iters_per_s_real_data``.
    """
    if iterations < 1:
        raise ValueError(f'iterations must be >= 1, got {iterations}')
    model.train()
    epoch = 0
    iterator = iter(dataloader)
    waits, totals = [], []
    for _ in range(warmup + iterations):
        start = time.perf_counter()
        try:
            batch = next(iterator)
        except StopIteration:
            epoch += 1
            if hasattr(dataloader.sampler, 'set_epoch'):
                dataloader.sampler.set_epoch(epoch)
            iterator = iter(dataloader)
            batch = next(iterator)
        fetched = time.perf_counter()
        model.train_step(batch, optim_wrapper)
        synchronize(device)
        waits.append(fetched - start)
        totals.append(time.perf_counter() - start)
    del iterator
    waits, totals = waits[warmup:], totals[warmup:]
    return dict(
        data_iterations=iterations,
        data_warmup_iterations=warmup,
        data_wait_share=sum(waits) / sum(totals),
        data_wait_s_per_iter=sum(waits) / iterations,
        data_step_s_per_iter=sum(totals) / iterations,
        train_iters_per_s_real_data=iterations / sum(totals))


def benchmark_data_wait(model,
                        cfg,
                        iterations: int = 20,
                        warmup: int = 3,
                        device='cpu',
                        autocast: Optional[str] = None) -> dict:
    """The data-wait share of ``cfg``'s training on its real data.

    Args:
        model: the built model (moved to ``device`` here).
        cfg (Config): with ``train_dataloader`` and ``optim_wrapper``.
        iterations (int): measured iterations. Defaults to 20.
        warmup (int): iterations run first and not counted (worker start,
            first allocations). Defaults to 3.
        device (str): Defaults to 'cpu'.
        autocast (str, optional): 'bfloat16'/'float16': train through
            ``AutocastOptimWrapper`` with this dtype, as ``tools/train.py
            --amp`` does on a CPU.

    Returns:
        dict: the figures of :func:`measure_data_wait` plus
        ``data_batch_size``, ``data_num_workers`` and
        ``frame_cache_fill_s``.

    Raises:
        MissingTrainingData: see :func:`build_train_dataloader`.
    """
    seed = cfg.get('randomness', {}).get('seed')
    dataloader = build_train_dataloader(cfg, seed=seed)
    # the sampler gives the same order again for its epoch 0
    windows = itertools.islice(
        iter(dataloader.sampler),
        (warmup + iterations) * (dataloader.batch_size or 1))
    fill_seconds = fill_frame_caches(dataloader.dataset, windows)
    model = model.to(device)
    wrapper_cfg = copy.deepcopy(cfg.optim_wrapper)
    if autocast:
        wrapper_cfg.update(type='AutocastOptimWrapper', dtype=autocast)
    optim_wrapper = build_optim_wrapper(model, wrapper_cfg)
    report = measure_data_wait(model, dataloader, optim_wrapper, iterations,
                               warmup, device)
    report.update(
        data_batch_size=dataloader.batch_size,
        data_num_workers=dataloader.num_workers,
        frame_cache_fill_s=fill_seconds)
    return report
