"""Generate the small synthetic VAD dataset (frames layout + labels).

Normal pedestrians on sidewalks in training; in test, segments with an
object much faster than normal, of an unseen shape and colour, or walking
where nobody walks. Deterministic by seed. See mmddl/data_generation/synthetic_scenes.py.

Example:
    python tools/make_synthetic_dataset.py data/synthetic --seed 0
"""
import argparse
import sys


def parse_args():
    parser = argparse.ArgumentParser(
        description='Generate the synthetic VAD dataset in the frames '
        'layout, with frame labels and object boxes.')
    parser.add_argument('out_dir', help='dataset root to create')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--train-videos', type=int, default=8)
    parser.add_argument('--test-videos', type=int, default=6)
    parser.add_argument(
        '--frames', type=int, default=120, help='frames per video')
    parser.add_argument(
        '--size', type=int, nargs='+', default=[64],
        help='frame size: SIZE (square) or WIDTH HEIGHT (default 64)')
    parser.add_argument(
        '--anomalies-per-video', type=int, default=2,
        help='anomalous events per test video')
    parser.add_argument('--ext', default='.jpg', choices=['.jpg', '.png'])
    parser.add_argument(
        '--overwrite', action='store_true',
        help='replace OUT_DIR if it exists')
    args = parser.parse_args()
    if len(args.size) not in (1, 2):
        parser.error('--size takes SIZE or WIDTH HEIGHT')
    return args


def main():
    args = parse_args()
    from mmddl.data_generation import make_synthetic_dataset
    size = tuple(args.size) * (2 if len(args.size) == 1 else 1)
    stats = make_synthetic_dataset(
        args.out_dir, seed=args.seed, train_videos=args.train_videos,
        test_videos=args.test_videos, frames=args.frames, size=size,
        anomalies_per_video=args.anomalies_per_video, ext=args.ext,
        overwrite=args.overwrite)
    print(f'{args.out_dir}: ' + ', '.join(f'{k} {v}'
                                          for k, v in stats.items()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
