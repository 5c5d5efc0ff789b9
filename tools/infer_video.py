"""Score a video or a live camera with a trained model: per-frame scores
(CSV), alerts (JSON lines), a score-curve PNG and a heat-map video.

Examples:
    python tools/infer_video.py configs/ddl/c3dsu_ped2.py \
        work_dirs/c3dsu_ped2/epoch_10.pth my_video.avi --out-dir vis/
    # the config stored in a checkpoint written by tools/train.py:
    python tools/infer_video.py work_dirs/c3dsu_ped2/epoch_10.pth frames/
    # live: a webcam, an RTSP camera, an HTTP MJPEG / HLS stream, until
    # Ctrl-C or --duration; the threshold of tools/calibrate_threshold.py
    python tools/infer_video.py CKPT rtsp://10.0.0.5/stream1 --duration 3600
    python tools/infer_video.py CKPT 0 --threshold 0.08 --smoothing trailing
"""
import argparse
import sys
import time

import torch

from mmddl.deploy.build import BACKENDS
from mmddl.utils.tool_args import (add_cfg_options_arg,
                                   add_trust_checkpoint_arg)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Score a video (file or frame folder) or a live source '
        '(webcam index, /dev/videoN, rtsp://, http(s)://) with a trained '
        'mmddl model',
        usage='%(prog)s [CONFIG] CKPT SOURCE [options]')
    parser.add_argument(
        'config',
        nargs='?',
        help='the training config; left out, the config stored in CKPT '
        'is used')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        'input', metavar='SOURCE',
        help='a video file (.avi, .mp4, ...), a folder of frames, a webcam '
        'index (0), /dev/videoN, or a stream URL (rtsp://, http(s)://)')
    parser.add_argument(
        '--out-dir',
        default='work_dirs/infer_video',
        help='where the files go (default: %(default)s)')
    parser.add_argument(
        '--device',
        default='cuda:0' if torch.cuda.is_available() else 'cpu',
        help='device (default: %(default)s)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=8,
        help='new frames encoded per step of a file or folder (live sources '
        'score each frame as it arrives) (default: %(default)s)')
    parser.add_argument(
        '--smoothing', choices=['centred', 'trailing', 'ema', 'none'],
        help='centred median (the paper\'s, (window-1)/2 frames of '
        'latency), trailing median or EMA (no latency), or none (default: '
        'the threshold file\'s, else centred)')
    parser.add_argument(
        '--smoothing-window',
        type=int,
        help='smoothing window in frames, 0 for none (default: the '
        'threshold file\'s, else 17)')
    alerts = parser.add_argument_group('alerts')
    alerts.add_argument(
        '--threshold', type=float,
        help='alert threshold on the smoothed score (default: the '
        'checkpoint\'s .threshold.json of tools/calibrate_threshold.py)')
    alerts.add_argument('--threshold-file',
                        help='a threshold file other than the default')
    alerts.add_argument(
        '--release', type=float,
        help='an alert ends below this (hysteresis; default: the threshold '
        'file\'s, else the threshold)')
    alerts.add_argument(
        '--min-duration', type=float,
        help='seconds an alert must last (default: the threshold file\'s, '
        'else one frame)')
    live = parser.add_argument_group('live sources')
    live.add_argument('--duration', type=float,
                      help='seconds to run (default: until Ctrl-C)')
    live.add_argument(
        '--queue-size', type=int, default=2,
        help='frames waiting for the model at most; older ones are dropped '
        'when scoring falls behind (default: %(default)s)')
    live.add_argument(
        '--max-gap', type=float,
        help='give up after this many seconds without a frame (default: '
        'keep reconnecting)')
    live.add_argument('--fps', type=float,
                      help='the source\'s frame rate when it reports none')
    parser.add_argument(
        '--backend', choices=BACKENDS, default='torch',
        help='what runs the network: torch, or ONNX Runtime / OpenVINO on '
        'the graphs of tools/deployment/export_onnx.py (--onnx-dir)')
    parser.add_argument('--onnx-dir',
                        help='folder of the ONNX export (--backend '
                        'onnxruntime or openvino)')
    parser.add_argument(
        '--top', type=int, default=5,
        help='without a threshold: the top separate peaks to print')
    parser.add_argument(
        '--no-video',
        action='store_true',
        help='skip the heat-map video of a file or folder; the error maps '
        'and frames are then not held in memory')
    add_trust_checkpoint_arg(parser)
    add_cfg_options_arg(parser)
    return parser.parse_args()


def alert_settings(args) -> dict:
    """Threshold, release, minimum duration and smoothing: the command
    line first, then the checkpoint's threshold file, then defaults."""
    from mmddl.apis.threshold_file import load_threshold
    stored = None
    if args.threshold is None:
        stored = load_threshold(args.checkpoint, args.threshold_file)
    stored = stored or {}
    smoothing = args.smoothing or stored.get('smoothing', 'centred')
    window = args.smoothing_window if args.smoothing_window is not None \
        else stored.get('smoothing_window', 17)
    if stored and (smoothing != stored.get('smoothing')
                   or (window or None) != stored.get('smoothing_window')):
        print(f'warning: the threshold was calibrated with '
              f'{stored.get("smoothing")} smoothing over '
              f'{stored.get("smoothing_window")} frames, not {smoothing} '
              f'over {window}; recalibrate for these settings')
    threshold = args.threshold if args.threshold is not None else \
        stored.get('threshold')
    release = args.release if args.release is not None else (
        stored.get('release') if args.threshold is None else None)
    return dict(
        threshold=threshold,
        release=release,
        min_duration=args.min_duration,
        min_frames=stored.get('min_frames', 1),
        smoothing=smoothing,
        window=window or None,
        source=('--threshold' if args.threshold is not None else
                (stored and 'threshold file') or None))


def make_tracker(settings: dict, fps):
    from mmddl.apis.alerts import AlertTracker
    if settings['threshold'] is None:
        return None
    min_frames = settings['min_frames']
    if settings['min_duration'] is not None:
        if not fps:
            print('the source gives no frame rate: --min-duration assumes '
                  '25 fps (give --fps)')
        min_frames = max(1, round(settings['min_duration'] * (fps or 25)))
    return AlertTracker(settings['threshold'], settings['release'],
                        min_frames, fps)


def score_file(args, model, settings) -> int:
    from mmddl.apis import save_video_outputs, score_video
    from mmddl.evaluation.functional.online_smoothing import smooth_online
    print(f'scoring {args.input}')
    centred = settings['smoothing'] == 'centred'
    result = score_video(
        model,
        args.input,
        batch_size=args.batch_size,
        smoothing_window=settings['window'] if centred else None,
        keep_maps=not args.no_video,
        progress=True,
        backbone=args.backbone)
    if not centred and settings['smoothing'] != 'none':
        result.scores_smoothed = smooth_online(
            result.scores_raw, settings['smoothing'], settings['window'])
        result.smoothing_window = settings['window']
        result.smoothing = dict(trailing='trailing median',
                                ema='EMA')[settings['smoothing']]
    fps = result.fps or args.fps
    tracker = make_tracker(settings, fps)
    events = None
    if tracker is not None:
        events = []
        for frame, score in zip(result.frame_inds, result.scores_smoothed):
            event = tracker.push(int(frame), float(score))
            if event is not None:
                events.append(event)
        last = tracker.close()
        if last is not None:
            events.append(last)
    if not args.no_video:
        print('writing the heat-map video')
    paths = save_video_outputs(
        result, args.out_dir, video=not args.no_video, progress=True,
        events=events, threshold=settings['threshold'])
    print(f'{result.num_frames} frames read, {len(result.frame_inds)} '
          f'scored (frames {result.frame_inds[0]}..'
          f'{result.frame_inds[-1]}, T={result.clip_len})')
    for kind, path in paths.items():
        print(f'{kind:>6}: {path}')
    if events is not None:
        print(f'{len(events)} alerts at threshold {settings["threshold"]:.6g}'
              f' ({settings["source"]}):')
        for event in events:
            print('  ' + event.summary())
    else:
        gap = settings['window'] or 1
        print(f'no threshold (calibrate one with tools/calibrate_threshold.'
              f'py, or --threshold); the top {args.top} peaks at least '
              f'{gap} frames apart (smoothed score):')
        for index, score in result.top_frames(args.top, min_gap=gap):
            print(f'  frame {index:6d}  {score:.6g}')
    return 0


def live_name(target) -> str:
    if isinstance(target, int):
        return f'camera{target}'
    return str(target).split('://', 1)[-1].strip('/') or 'stream'


def score_stream(args, model, settings, target) -> int:
    from mmddl.apis import frame_format_from_config
    from mmddl.apis.live_outputs import LiveOutputs
    from mmddl.apis.live_scoring import latency_frames, score_live
    from mmddl.apis.live_source import LiveCapture
    from mmddl.evaluation.functional.online_smoothing import OnlineSmoother

    def log(message):
        print(time.strftime('%H:%M:%S ') + message, flush=True)

    capture = LiveCapture(target, frame_format_from_config(model.cfg),
                          queue_size=args.queue_size, max_gap=args.max_gap,
                          log=log).start()
    outputs = LiveOutputs(args.out_dir, live_name(target))
    smoother = OnlineSmoother(settings['smoothing'], settings['window'])
    tracker = make_tracker(settings, args.fps)
    latency = latency_frames(model.clip_len, smoother)
    log(f'scoring {target} live ({settings["smoothing"]} smoothing over '
        f'{settings["window"]} frames: scores {latency} frames after their '
        'frame arrives); Ctrl-C to stop')
    if tracker is None:
        log('no threshold: scores only, no alerts (tools/calibrate_'
            'threshold.py, or --threshold)')
    else:
        log(f'alert threshold {tracker.threshold:.6g}, release '
            f'{tracker.release:.6g}, at least {tracker.min_frames} frames '
            f'({settings["source"]})')

    def on_event(event):
        outputs.event(event)
        log(event.summary())

    summary = score_live(model, capture, settings['smoothing'],
                         settings['window'], tracker, args.duration,
                         on_row=outputs.row, on_event=on_event,
                         stop=capture.stop, backbone=args.backbone)
    capture.stop()
    paths = outputs.close(tracker.threshold if tracker else None,
                          title=f'{live_name(target)}  live')
    fps = capture.fps or args.fps
    seconds = f'{latency / fps:.2f} s' if fps else 'unknown fps'
    log(f'ended by {summary.ended_by}: {capture.read} frames read, '
        f'{summary.scored} scored at {summary.scored_fps:.1f} frames/s, '
        f'{capture.dropped} dropped while scoring fell behind, '
        f'{capture.reconnects} reconnection attempts, {len(capture.gaps)} '
        f'gaps, {len(summary.events)} alerts; latency {latency} frames '
        f'({seconds})')
    if fps and summary.scored_fps and summary.scored_fps < 0.95 * fps:
        log(f'scoring ({summary.scored_fps:.1f} frames/s) is slower than the '
            f'source ({fps:g} frames/s): frames were skipped; a smaller '
            'model or --device cuda keeps up')
    for kind, path in paths.items():
        print(f'{kind:>6}: {path}')
    if capture.error:
        log(capture.error)
    return 1 if capture.error and not summary.scored else 0


def main():
    args = parse_args()
    from mmddl.apis import init_model
    from mmddl.apis.live_source import parse_live_source
    from mmddl.utils import trust_checkpoints
    if args.trust_checkpoint:
        trust_checkpoints()
    settings = alert_settings(args)
    if args.backend != 'torch' and not args.onnx_dir:
        sys.exit(f'error: --backend {args.backend} needs --onnx-dir (export '
                 'with tools/deployment/export_onnx.py)')
    from mmddl.deploy.build import build_backbone
    args.backbone = build_backbone(args.backend, args.onnx_dir)
    model = init_model(args.config, args.checkpoint, args.device,
                       args.cfg_options)
    target = parse_live_source(args.input)
    if target is None:
        return score_file(args, model, settings)
    return score_stream(args, model, settings, target)


if __name__ == '__main__':
    sys.exit(main())
