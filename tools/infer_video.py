"""Score one video with a trained model: per-frame scores (CSV), a
score-curve PNG and a heat-map video.

Example:
    python tools/infer_video.py configs/ddl/c3dsu_ped2.py \
        work_dirs/c3dsu_ped2/epoch_10.pth my_video.avi --out-dir vis/
    # the config stored in a checkpoint written by tools/train.py:
    python tools/infer_video.py work_dirs/c3dsu_ped2/epoch_10.pth frames/
"""
import argparse
import sys

import torch
from mmengine.config import DictAction


def parse_args():
    parser = argparse.ArgumentParser(
        description='Score one video (file or frame folder) with a trained '
        'mmddl model',
        usage='%(prog)s [CONFIG] CKPT INPUT [options]')
    parser.add_argument(
        'config',
        nargs='?',
        help='the training config; left out, the config stored in CKPT '
        'is used')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        'input', help='a video file (.avi, .mp4, ...) or a folder of frames')
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
        help='new frames encoded per step (default: %(default)s)')
    parser.add_argument(
        '--smoothing-window',
        type=int,
        default=17,
        help='odd median-filter window in frames, 0 for none '
        '(default: %(default)s)')
    parser.add_argument(
        '--top', type=int, default=5, help='top frames to print')
    parser.add_argument(
        '--no-video',
        action='store_true',
        help='skip the heat-map video; the error maps and frames of all '
        'scored frames are then not held in memory')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='allow checkpoints that hold arbitrary pickled objects '
        '(only for files you trust; unpickling can run code)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config keys, e.g. model.test_cfg.patch_size=8')
    return parser.parse_args()


def main():
    args = parse_args()
    from mmddl.apis import init_model, save_video_outputs, score_video
    from mmddl.utils import trust_checkpoints
    if args.trust_checkpoint:
        trust_checkpoints()
    window = args.smoothing_window or None
    model = init_model(args.config, args.checkpoint, args.device,
                       args.cfg_options)
    print(f'scoring {args.input}')
    result = score_video(
        model,
        args.input,
        batch_size=args.batch_size,
        smoothing_window=window,
        keep_maps=not args.no_video,
        progress=True)
    if not args.no_video:
        print('writing the heat-map video')
    paths = save_video_outputs(
        result, args.out_dir, video=not args.no_video, progress=True)
    print(f'{result.num_frames} frames read, {len(result.frame_inds)} '
          f'scored (frames {result.frame_inds[0]}..'
          f'{result.frame_inds[-1]}, T={result.clip_len})')
    for kind, path in paths.items():
        print(f'{kind:>5}: {path}')
    print(f'top {args.top} frames (smoothed score):')
    for index, score in result.top_frames(args.top):
        print(f'  frame {index:6d}  {score:.6g}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
