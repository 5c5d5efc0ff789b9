"""Calibrate the alert threshold of a trained model on normal footage.

Scores normal videos (by default the config's training videos, which are
normal by construction), smooths them as live scoring will, and writes the
threshold beside the checkpoint (``epoch_8.pth`` ->
``epoch_8.threshold.json``), where tools/infer_video.py finds it.

Example:
    python tools/calibrate_threshold.py configs/ddl/c3dsu_custom.py \
        work_dirs/c3dsu_custom/epoch_8.pth --fps 25
    # a held-out normal clip, at most 1 false alarm per hour on it:
    python tools/calibrate_threshold.py CONFIG CKPT --videos normal.mp4 \
        --false-alarms-per-hour 1
"""
import argparse
import os.path as osp
import sys

from mmddl.utils.tool_args import add_cfg_options_arg, add_trust_checkpoint_arg


def parse_args():
    parser = argparse.ArgumentParser(
        description='Calibrate the alert threshold on normal footage')
    parser.add_argument('config', help='the training config')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--videos', nargs='+',
        help='normal videos (files or frame folders); default: the '
        "config's training videos")
    parser.add_argument(
        '--fps', type=float,
        help='frame rate of the normal footage (default: the video file\'s, '
        'else 25)')
    rule = parser.add_mutually_exclusive_group()
    rule.add_argument('--quantile', type=float,
                      help='threshold at this quantile of normal scores')
    rule.add_argument(
        '--false-alarms-per-hour', type=float,
        help='lowest threshold with at most this many events per hour of '
        'the normal footage (default rule, 1 per hour)')
    parser.add_argument(
        '--smoothing', default='centred',
        choices=['centred', 'trailing', 'ema', 'none'],
        help='as live scoring will smooth (default: %(default)s)')
    parser.add_argument('--smoothing-window', type=int, default=17,
                        help='frames (default: %(default)s)')
    parser.add_argument(
        '--min-duration', type=float, default=0.0,
        help='seconds an event must last to count (default: %(default)s)')
    parser.add_argument('--out', help='threshold file (default: beside the '
                        'checkpoint)')
    parser.add_argument('--device', default='cpu')
    add_trust_checkpoint_arg(parser)
    add_cfg_options_arg(parser)
    return parser.parse_args()


def training_videos(cfg) -> list:
    """Frame folders of the config's training videos."""
    from mmddl.registry import DATASETS
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    dataset.full_init()
    folders = []
    for video in dataset.videos:
        folder = osp.dirname(video['frame_paths'][0])
        if any(osp.dirname(p) != folder for p in video['frame_paths']):
            raise ValueError(f'the frames of training video '
                             f'{video["video_id"]} are not in one folder; '
                             'pass --videos')
        folders.append(folder)
    return folders


def main():
    args = parse_args()
    from mmddl.apis import init_model, score_video
    from mmddl.apis.calibration import calibrate_threshold
    from mmddl.apis.threshold_file import save_threshold
    from mmddl.evaluation.functional.online_smoothing import smooth_online
    from mmddl.setup_env import load_config
    from mmddl.utils import trust_checkpoints
    if args.trust_checkpoint:
        trust_checkpoints()
    cfg = load_config(args.config, args.cfg_options)
    model = init_model(cfg, args.checkpoint, args.device)
    videos = args.videos or training_videos(cfg)
    window = args.smoothing_window or None
    smoothed, rates = [], []
    for i, video in enumerate(videos):
        print(f'[{i + 1}/{len(videos)}] scoring {video}')
        result = score_video(model, video, smoothing_window=None,
                             progress=True)
        smoothed.append(
            smooth_online(result.scores_raw, args.smoothing, window))
        if result.fps:
            rates.append(result.fps)
    fps = args.fps or (rates[0] if rates else 25.0)
    if args.fps is None and not rates:
        print('frame folders have no frame rate: assuming 25 fps (--fps)')
    rule = dict(quantile=args.quantile) if args.quantile is not None else \
        dict(false_alarms_per_hour=args.false_alarms_per_hour
             if args.false_alarms_per_hour is not None else 1.0)
    min_frames = max(1, round(args.min_duration * fps))
    result = calibrate_threshold(smoothed, fps, min_frames=min_frames,
                                 **rule)
    result.update(smoothing=args.smoothing, smoothing_window=window,
                  clip_len=model.clip_len, videos=list(map(str, videos)))
    path = save_threshold(result, args.checkpoint, args.out)
    minutes = result['normal_seconds'] / 60
    print(f'threshold {result["threshold"]:.6g} (release '
          f'{result["release"]:.6g}, {args.smoothing} smoothing over '
          f'{window} frames) from {result["normal_frames"]} normal frames '
          f'({minutes:.1f} min at {fps:g} fps); on them it raises '
          f'{result["normal_events_per_hour"]:.2f} events per hour')
    if 'false_alarms_per_hour' in rule and \
            result['normal_seconds'] * rule['false_alarms_per_hour'] < 3600:
        print('note: less than one allowed false alarm\'s worth of footage; '
              'the threshold sits just above the highest normal score. '
              'More normal footage gives a lower, better-founded threshold.')
    print(f'written: {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
