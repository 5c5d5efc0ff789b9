"""Benchmark a config's model: size, GFLOP per scored frame (counted),
frames/s of the plain sliding window and of streaming, training iterations
per second, peak memory, and achieved GFLOP/s beside the measured matmul
peak. All in one process, so the ratios hold on a noisy machine.

With the config's training data present, it also runs ``--data-iterations``
real training iterations from the config's dataloader and reports the
share of each iteration spent waiting for data (``data_wait_share``).

Example:
    python tools/benchmark.py configs/ddl/c3dsu_ped2.py
    python tools/benchmark.py configs/ddl/c3dsu_ped2.py --channels-last \\
        --autocast bfloat16 --json
    python tools/benchmark.py CONFIG --cfg-options \\
        model.backbone.branch_kernels="[3,5,7]"
    python tools/benchmark.py configs/ddl/c3dsu_synthetic.py \\
        --data-iterations 40
    python tools/benchmark.py CONFIG --compile   # torch.compile, inductor
"""
import argparse
import json
import sys

from mmddl.utils.tool_args import add_cfg_options_arg


def parse_args():
    from mmddl.benchmarking.model_speed import TRAIN_MODES
    from mmddl.deploy.build import BACKENDS
    from mmddl.models.reconstructors.inference_backbone import COMPILE_MODES
    parser = argparse.ArgumentParser(
        description='Measure speed and memory of a config\'s model')
    parser.add_argument('config')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--frames', type=int, default=6, help='scored frames per timing')
    parser.add_argument(
        '--batch-size', type=int, default=1,
        help='windows per forward (plain) / new frames per step (streaming)')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument(
        '--autocast', choices=['bfloat16', 'float16'],
        help='run under torch.autocast with this dtype')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument(
        '--compile', nargs='?', const='inductor', metavar='BACKEND',
        help='run inference through torch.compile (model.test_cfg.compile) '
        'with this backend (default inductor); the compile time is left '
        'out of frames/s and printed as the first call')
    parser.add_argument(
        '--compile-mode',
        choices=[mode for mode in COMPILE_MODES if mode],
        help='torch.compile mode (with --compile)')
    parser.add_argument(
        '--train-batch-size', type=int,
        help='training batch (default: the config\'s); 0 skips training')
    parser.add_argument('--train-iterations', type=int, default=3)
    parser.add_argument(
        '--data-iterations', type=int, default=20,
        help='training iterations on the config\'s real data, to measure '
        'the share of step time spent waiting for data (after '
        '--data-warmup more); 0 skips')
    parser.add_argument(
        '--data-warmup', type=int, default=3,
        help='uncounted iterations before --data-iterations')
    parser.add_argument(
        '--size', type=int, nargs=2, metavar=('W', 'H'),
        help='frame size (default: the config\'s img_scale)')
    parser.add_argument(
        '--backends', nargs='+', choices=BACKENDS,
        help='only compare streaming frames/s of these backends side by '
        'side (onnxruntime, openvino: the model exported to ONNX in a '
        'temporary folder first)')
    parser.add_argument(
        '--threads', type=int,
        help='intra-op threads of torch and of the --backends runtimes '
        '(default: each its own, all cores); 1 gives fair figures on a '
        'machine that something else keeps busy')
    parser.add_argument(
        '--train-modes', nargs='+', choices=list(TRAIN_MODES),
        metavar='MODE',
        help='only compare training iterations/s of these modes side by '
        f'side ({", ".join(TRAIN_MODES)}); --train-batch-size and '
        '--train-iterations apply')
    parser.add_argument('--json', action='store_true',
                        help='print one JSON object only')
    add_cfg_options_arg(parser, 'model.backbone.widths=[16,32,64,128]')
    return parser.parse_args()


def frame_shape_of(cfg, size=None):
    width, height = size or cfg.get('img_scale', (256, 256))
    channels = cfg.model.backbone.get('in_channels', 3)
    return channels, height, width


def print_report(report):
    rows = [
        ('device', report['device']),
        ('frame (C, H, W), T',
         f"{tuple(report['frame_shape'])}, {report['clip_len']}"),
        ('autocast / channels_last',
         f"{report['autocast']} / {report['channels_last']}"),
        ('fuse_blocks / compile',
         f"{report['fuse_blocks']} / {report['compile']}"),
        ('parameters', f"{report['parameters'] / 1e6:.2f} M"),
        ('GFLOP per scored frame, plain',
         f"{report['gflop_plain']:.2f}"),
        ('GFLOP per scored frame, streaming',
         f"{report['gflop_streaming']:.2f} (encoder "
         f"{report['gflop_encoder']:.2f} + skips/decoder "
         f"{report['gflop_decoder_and_skips']:.2f})"),
        ('frames/s, plain sliding window', f"{report['plain_fps']:.3f}"),
        ('frames/s, streaming', f"{report['streaming_fps']:.3f}"),
        ('streaming / plain', f"{report['speedup']:.2f}x"),
    ]
    if 'streaming_steady_fps' in report:
        rows += [
            ('frames/s, streaming, steady (no video start)',
             f"{report['streaming_steady_fps']:.3f} "
             f"({report['speedup_steady']:.2f}x plain)"),
        ]
    rows += [
        ('first call s (warm-up, compile), plain / streaming',
         f"{report['plain_first_call_s']:.1f} / "
         f"{report['streaming_first_call_s']:.1f}"),
        ('achieved GFLOP/s, plain / streaming',
         f"{report['plain_gflops_per_s']:.1f} / "
         f"{report['streaming_gflops_per_s']:.1f}"),
        ('measured matmul peak GFLOP/s',
         f"{report['matmul_peak_gflops_per_s']:.1f}"),
        ('share of peak, plain / streaming',
         f"{100 * report['plain_share_of_peak']:.0f} % / "
         f"{100 * report['streaming_share_of_peak']:.0f} %"),
        ('peak memory MiB, plain / streaming',
         f"{report['plain_peak_mib']:.0f} / "
         f"{report['streaming_peak_mib']:.0f} (above the start of each; "
         f"{report['memory_method']}: {report['memory_resolution']})"),
    ]
    if 'train_iters_per_s' in report:
        rows += [
            (f"training it/s (batch {report['train_batch_size']})",
             f"{report['train_iters_per_s']:.3f} "
             f"({report['train_seconds_per_iter']:.2f} s/iter)"),
            ('training peak memory MiB', f"{report['train_peak_mib']:.0f}"),
        ]
    if 'data_wait_share' in report:
        rows += [
            (f"training it/s, real data (batch {report['data_batch_size']}"
             f", {report['data_num_workers']} workers)",
             f"{report['train_iters_per_s_real_data']:.3f} "
             f"({report['data_step_s_per_iter']:.2f} s/iter)"),
            ('share of the step waiting for data',
             f"{100 * report['data_wait_share']:.1f} % "
             f"({1e3 * report['data_wait_s_per_iter']:.1f} ms/iter over "
             f"{report['data_iterations']} iterations)"),
        ]
    elif 'data_wait_skipped' in report:
        rows.append(('share of the step waiting for data',
                     'skipped (no training data, see above)'))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f'{name:<{width}}  {value}')


def data_wait_report(model, cfg, args) -> dict:
    """The data-wait figures, or why they were skipped (one line on
    stderr, so ``--json`` output stays one object)."""
    from mmddl.benchmarking.data_wait import (MissingTrainingData,
                                              benchmark_data_wait)
    try:
        return benchmark_data_wait(
            model, cfg, args.data_iterations, args.data_warmup,
            device=args.device, autocast=args.autocast)
    except MissingTrainingData as err:
        print(f'data-wait figure skipped: {err}', file=sys.stderr)
        return dict(data_wait_skipped=str(err))


def compile_option(args):
    """``model.test_cfg.compile`` from ``--compile`` / ``--compile-mode``,
    or None to keep the config's."""
    if args.compile is None:
        if args.compile_mode:
            raise SystemExit('--compile-mode needs --compile')
        return None
    option = dict(backend=args.compile)
    if args.compile_mode:
        option['mode'] = args.compile_mode
    return option


def backends_report(model, frame_shape, args) -> dict:
    """Streaming frames/s of torch, ONNX Runtime and OpenVINO, side by
    side (one export serves both runtimes)."""
    import tempfile

    from mmddl.benchmarking.model_speed import benchmark_backends
    from mmddl.deploy import build_backbone, export_onnx
    with tempfile.TemporaryDirectory() as folder:
        if set(args.backends) - {'torch'}:
            model.eval()
            export_onnx(model, folder,
                        frame_size=(frame_shape[2], frame_shape[1]),
                        check=False)
        backbones = {name: build_backbone(name, folder, args.threads)
                     for name in args.backends}
        return benchmark_backends(model, frame_shape, backbones,
                                  frames=args.frames,
                                  batch_size=args.batch_size,
                                  repeats=args.repeats)


def train_modes_report(model, cfg, args) -> dict:
    from mmddl.benchmarking.model_speed import benchmark_training_modes
    batch = args.train_batch_size or cfg.get('train_dataloader',
                                             {}).get('batch_size', 1)
    return benchmark_training_modes(
        model, frame_shape_of(cfg, args.size), batch, args.train_modes,
        iterations=args.train_iterations, device=args.device)


def main():
    args = parse_args()
    from mmddl.benchmarking.model_speed import benchmark_model
    from mmddl.registry import MODELS
    from mmddl.setup_env import load_config

    cfg = load_config(args.config, args.cfg_options)
    if args.threads:
        import torch
        torch.set_num_threads(args.threads)
    model = MODELS.build(cfg.model)
    if args.backends or args.train_modes:
        if args.backends:
            report = backends_report(model, frame_shape_of(cfg, args.size),
                                     args)
        else:
            report = train_modes_report(model, cfg, args)
        report['config'] = args.config
        report['threads'] = args.threads or 'default'
        print(json.dumps(report) if args.json else '\n'.join(
            f'{k:<40} {v:.3f}' if isinstance(v, float) else f'{k:<40} {v}'
            for k, v in report.items()))
        return
    train_batch = args.train_batch_size
    if train_batch is None:
        train_batch = cfg.get('train_dataloader', {}).get('batch_size', 0)
    report = benchmark_model(
        model,
        frame_shape_of(cfg, args.size),
        device=args.device,
        frames=args.frames,
        batch_size=args.batch_size,
        repeats=args.repeats,
        autocast=args.autocast,
        channels_last=args.channels_last,
        train_batch_size=train_batch,
        train_iterations=args.train_iterations,
        compile=compile_option(args))
    if args.data_iterations > 0:
        report.update(data_wait_report(model, cfg, args))
    report['config'] = args.config
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)


if __name__ == '__main__':
    main()
