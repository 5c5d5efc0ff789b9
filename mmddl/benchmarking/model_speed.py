"""Measure a reconstructor: size, FLOPs, inference and training speed.

Used by ``tools/benchmark.py``. Every figure is measured in this process,
side by side, so ratios between them hold on a shared, noisy machine.

Example:
    >>> # model = MODELS.build(cfg.model).eval()
    >>> # report = benchmark_inference(model, (3, 256, 256), frames=8)
"""
import contextlib
from typing import Optional

import torch

from mmddl.engine.streaming import stream_video
from mmddl.models.utils import to_channels_last
from .peak_memory import PeakMemory
from .profiling import (count_flops, matmul_peak_gflops, median_time,
                        synchronize)


def autocast_context(device, dtype: Optional[str]):
    """``torch.autocast`` for ``dtype`` ('bfloat16'/'float16') or nothing."""
    if not dtype:
        return contextlib.nullcontext()
    return torch.autocast(
        device_type=torch.device(device).type, dtype=getattr(torch, dtype))


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())


def scored_frame_flops(model, frame_shape, device='cpu') -> dict:
    """FLOPs per scored frame: plain sliding window and streaming.

    Plain: one forward over a T-frame window. Streaming: one frame through
    the encoder plus one window through the skips and decoder.
    """
    backbone = model.backbone
    channels, height, width = frame_shape
    clip_len = model.clip_len
    window = torch.rand(1, channels, clip_len, height, width, device=device)
    plain = count_flops(backbone, window)
    frame = torch.rand(1, channels, height, width, device=device)
    feats = backbone.encode_frames(frame)
    encode = count_flops(backbone.encode_frames, frame)
    windows = [f.unsqueeze(1).expand(-1, clip_len, *f.shape[1:]).contiguous()
               for f in feats]
    decode = count_flops(backbone.decode, windows)
    return dict(plain=plain, streaming=encode + decode, encoder=encode,
                decoder_and_skips=decode)


def benchmark_inference(model,
                        frame_shape,
                        frames: int = 8,
                        batch_size: int = 1,
                        repeats: int = 3,
                        device='cpu',
                        autocast: Optional[str] = None,
                        channels_last: bool = False) -> dict:
    """Frames per second of (a) the plain sliding window and (b) streaming.

    Both paths include the error map and the patch score and run as the
    model's ``test_cfg`` says (fused blocks, ``torch.compile``). ``frames``
    scored frames per measurement; the video has ``frames + T - 1`` frames.
    The first call of each path is the warm-up: it compiles (with
    ``test_cfg.compile``), is left out of the frames per second and
    reported as ``*_first_call_s``; ``eval()`` builds the deployed model
    (fused blocks) before either. ``channels_last`` sets
    ``test_cfg.channels_last``, which the deployed copy applies.

    Streaming encodes the first T - 1 frames of a video before it scores
    any, a cost paid once per video. ``streaming_fps`` includes it (for a
    video of ``frames + T - 1`` frames); with ``batch_size=1``,
    ``streaming_steady_fps`` leaves it out, as a long video does: the time
    of a T-frame video (one scored frame) is subtracted from the full one's,
    leaving ``frames - 1`` frames of one encode and one decode each.
    """
    if channels_last:
        model.test_cfg = model._check_test_cfg(
            dict(model.test_cfg, channels_last=True))
    model = model.to(device).eval()  # builds the deployed model
    clip_len = model.clip_len
    channels, height, width = frame_shape
    video = torch.randint(
        0, 256, (frames + clip_len - 1, channels, height, width),
        dtype=torch.uint8)
    windows = video.unfold(0, clip_len, 1).permute(0, 1, 4, 2, 3)

    def plain():
        with torch.no_grad(), autocast_context(device, autocast):
            for start in range(0, frames, batch_size):
                clip = windows[start:start + batch_size].to(device)
                model.predict(clip.float().div_(255.0))

    def streaming(frames_in=video):
        with autocast_context(device, autocast):
            for _ in stream_video(model, frames_in,
                                  batch_size=max(batch_size, 1)):
                pass

    # The warm-up calls build the fused copy (and compile); they stay out
    # of both memory blocks, so each peak is that path's own working memory
    # and the first path is not charged for what the second reuses.
    plain_first = median_time(plain, repeats=1, warmup=0, device=device)
    with PeakMemory(device) as plain_memory:
        plain_seconds = median_time(
            plain, repeats=repeats, warmup=0, device=device)
    streaming_first = median_time(
        streaming, repeats=1, warmup=0, device=device)
    with PeakMemory(device) as streaming_memory:
        streaming_seconds = median_time(
            streaming, repeats=repeats, warmup=0, device=device)
    steady = {}
    if batch_size == 1 and frames > 1:
        start_seconds = median_time(
            lambda: streaming(video[:clip_len]), repeats=repeats, warmup=0,
            device=device)
        steady_fps = (frames - 1) / max(streaming_seconds - start_seconds,
                                        1e-9)
        steady = dict(streaming_steady_fps=steady_fps,
                      speedup_steady=steady_fps * plain_seconds / frames)
    return dict(
        **steady,
        plain_first_call_s=plain_first,
        streaming_first_call_s=streaming_first,
        plain_fps=frames / plain_seconds,
        streaming_fps=frames / streaming_seconds,
        speedup=plain_seconds / streaming_seconds,
        plain_peak_mib=plain_memory.mib,
        streaming_peak_mib=streaming_memory.mib,
        memory_method=plain_memory.method,
        memory_resolution=plain_memory.resolution)


def make_training_batch(model, frame_shape, batch_size, device='cpu'):
    """A random batch with one box mask per clip, as the pipeline gives."""
    from mmddl.structures import VADDataSample
    channels, height, width = frame_shape
    clip_len = model.clip_len
    inputs = torch.randint(
        0, 256, (batch_size, channels, clip_len, height, width),
        dtype=torch.uint8)
    samples = []
    for _ in range(batch_size):
        mask = torch.zeros(clip_len, height, width, dtype=torch.uint8)
        mask[:, height // 4:height // 2, width // 4:width // 2] = 1
        samples.append(VADDataSample().set_pseudo_mask(mask))
    return dict(inputs=list(inputs), data_samples=samples)


def benchmark_training(model,
                       frame_shape,
                       batch_size: int,
                       iterations: int = 3,
                       device='cpu',
                       autocast: Optional[str] = None,
                       channels_last: bool = False,
                       lr: float = 1e-2) -> dict:
    """Training iterations per second with Adam, as ``tools/train.py`` runs.
    """
    from mmengine.optim import OptimWrapper

    from mmddl.engine.optim_wrappers import AutocastOptimWrapper
    model = model.to(device).train()
    if channels_last:
        to_channels_last(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    wrapper = (AutocastOptimWrapper(optimizer=optimizer, dtype=autocast)
               if autocast else OptimWrapper(optimizer=optimizer))
    batch = make_training_batch(model, frame_shape, batch_size)

    def step():
        model.train_step(batch, wrapper)

    with PeakMemory(device) as memory:
        seconds = median_time(step, repeats=iterations, device=device)
    return dict(train_iters_per_s=1.0 / seconds,
                train_seconds_per_iter=seconds,
                train_peak_mib=memory.mib, train_batch_size=batch_size)


#: ``--train-modes`` of ``tools/benchmark.py``: (autocast dtype,
#: channels-last, compiled backbone) of each.
TRAIN_MODES = {
    'fp32': (None, False, False),
    'fp32-channels-last': (None, True, False),
    'bf16': ('bfloat16', False, False),
    'bf16-channels-last': ('bfloat16', True, False),
    'fp32-compile': (None, False, True),
    'bf16-compile': ('bfloat16', False, True),
}


def benchmark_training_modes(model,
                             frame_shape,
                             batch_size: int,
                             modes=('fp32', 'bf16'),
                             iterations: int = 3,
                             device='cpu',
                             lr: float = 1e-2) -> dict:
    """Training iterations/s of each mode of :data:`TRAIN_MODES`, side by
    side: every mode trains its own copy of ``model`` (the same starting
    weights) on the same batch, and the timed steps take turns mode by
    mode, so that a shared machine's load falls on all of them alike.

    Compilation (``*-compile``: the backbone's forward through
    ``torch.compile``, backward by AOTAutograd) happens in an untimed first
    step and is reported as ``train_<mode>_first_step_s``.

    Example:
        >>> # r = benchmark_training_modes(model, (3, 128, 128), 10,
        >>> #                              ('fp32', 'bf16'))
        >>> # r['train_bf16_speedup']  # bf16 it/s over fp32 it/s
    """
    import copy
    import statistics
    import time

    from mmengine.optim import OptimWrapper

    from mmddl.engine.optim_wrappers import AutocastOptimWrapper
    unknown = sorted(set(modes) - set(TRAIN_MODES))
    if unknown:
        raise ValueError(f'unknown training modes {unknown}; known: '
                         f'{sorted(TRAIN_MODES)}')
    batch = make_training_batch(model, frame_shape, batch_size)
    runs, report = {}, dict(train_batch_size=batch_size)
    for mode in modes:
        dtype, channels_last, compiled = TRAIN_MODES[mode]
        copy_ = copy.deepcopy(model).to(device).train()
        if channels_last:
            to_channels_last(copy_)
        if compiled:
            copy_.backbone.forward = torch.compile(copy_.backbone.forward)
        optimizer = torch.optim.Adam(copy_.parameters(), lr=lr)
        wrapper = (AutocastOptimWrapper(optimizer=optimizer, dtype=dtype)
                   if dtype else OptimWrapper(optimizer=optimizer))
        runs[mode] = (copy_, wrapper)
        start = time.perf_counter()
        copy_.train_step(batch, wrapper)  # warm-up / compilation
        synchronize(device)
        report[f'train_{mode}_first_step_s'] = time.perf_counter() - start
    times = {mode: [] for mode in modes}
    for _ in range(iterations):
        for mode in modes:
            copy_, wrapper = runs[mode]
            start = time.perf_counter()
            copy_.train_step(batch, wrapper)
            synchronize(device)
            times[mode].append(time.perf_counter() - start)
    for mode in modes:
        seconds = statistics.median(times[mode])
        report[f'train_{mode}_iters_per_s'] = 1.0 / seconds
    base = report.get('train_fp32_iters_per_s')
    if base:
        for mode in modes:
            if mode != 'fp32':
                report[f'train_{mode}_speedup'] = (
                    report[f'train_{mode}_iters_per_s'] / base)
    return report


def benchmark_model(model,
                    frame_shape,
                    device='cpu',
                    frames: int = 8,
                    batch_size: int = 1,
                    repeats: int = 3,
                    autocast: Optional[str] = None,
                    channels_last: bool = False,
                    train_batch_size: Optional[int] = None,
                    train_iterations: int = 3,
                    compile=None) -> dict:
    """All figures of ``tools/benchmark.py`` in one dict.

    ``compile`` (True or ``torch.compile`` arguments) replaces the model's
    ``test_cfg.compile`` for the inference figures; None keeps it. Training
    is always measured eagerly, as it runs.
    """
    if compile is not None:
        model.test_cfg = model._check_test_cfg(
            dict(model.test_cfg, compile=compile))
    report = dict(
        device=str(device),
        frame_shape=list(frame_shape),
        clip_len=model.clip_len,
        autocast=autocast,
        channels_last=channels_last,
        fuse_blocks=model.test_cfg.get('fuse_blocks', False),
        compile=model.test_cfg.get('compile', False),
        parameters=count_parameters(model))
    model = model.to(device).eval()
    flops = scored_frame_flops(model, frame_shape, device)
    report.update({f'gflop_{k}': v / 1e9 for k, v in flops.items()})
    report.update(
        benchmark_inference(model, frame_shape, frames, batch_size, repeats,
                            device, autocast, channels_last))
    report['plain_gflops_per_s'] = report['gflop_plain'] * report['plain_fps']
    report['streaming_gflops_per_s'] = (
        report['gflop_streaming'] * report['streaming_fps'])
    dtype = getattr(torch, autocast) if autocast else torch.float32
    report['matmul_peak_gflops_per_s'] = matmul_peak_gflops(
        device, dtype=dtype)
    report['streaming_share_of_peak'] = (
        report['streaming_gflops_per_s'] / report['matmul_peak_gflops_per_s'])
    report['plain_share_of_peak'] = (
        report['plain_gflops_per_s'] / report['matmul_peak_gflops_per_s'])
    if train_batch_size:
        report.update(
            benchmark_training(model, frame_shape, train_batch_size,
                               train_iterations, device, autocast,
                               channels_last))
    return report


def benchmark_backends(model,
                       frame_shape,
                       backbones: dict,
                       frames: int = 64,
                       batch_size: int = 1,
                       repeats: int = 3) -> dict:
    """Streaming frames/s of each backbone (``{'torch': None, 'onnxruntime':
    OnnxBackbone(...)}``; None is the model's own), measured side by side:
    the repeats alternate between backends, so a noisy machine slows all
    of them alike. The first run of each is a warm-up, left out.

    Returns:
        dict: ``streaming_fps_<name>`` per backend, and
        ``<name>_vs_torch`` ratios when 'torch' is among them.
    """
    model = model.eval()
    clip_len = model.clip_len
    channels, height, width = frame_shape
    video = torch.randint(0, 256,
                          (frames + clip_len - 1, channels, height, width),
                          dtype=torch.uint8)

    def run(backbone):
        for _ in stream_video(model, video, batch_size=batch_size,
                              backbone=backbone):
            pass

    times = {name: [] for name in backbones}
    for name, backbone in backbones.items():  # warm-up
        run(backbone)
    for _ in range(repeats):
        for name, backbone in backbones.items():
            times[name].append(
                median_time(lambda: run(backbone), repeats=1, warmup=0))
    report = {
        f'streaming_fps_{name}': frames / sorted(t)[len(t) // 2]
        for name, t in times.items()
    }
    if 'torch' in backbones:
        for name in backbones:
            if name != 'torch':
                report[f'{name}_vs_torch'] = (
                    report[f'streaming_fps_{name}'] /
                    report['streaming_fps_torch'])
    return report
