"""Decode the videos of CUHK Avenue or ShanghaiTech into frame folders.

Resumable: videos already decoded are skipped. Atomic: each video is decoded
into a temporary folder and renamed when complete, so an interrupted run
leaves no half-written video (the next run cleans up and continues).

Example:
    python tools/prepare_dataset.py avenue data/avenue
    python tools/prepare_dataset.py shanghaitech data/shanghaitech
"""
import argparse
import sys


def parse_args():
    parser = argparse.ArgumentParser(
        description='Decode Avenue / ShanghaiTech videos to frames '
        '(resumable, atomic per video).')
    parser.add_argument('dataset', choices=['avenue', 'shanghaitech'])
    parser.add_argument('data_root', help='the dataset root folder')
    parser.add_argument(
        '--ext', default='.jpg', choices=['.jpg', '.png'],
        help='frame file type (default .jpg)')
    parser.add_argument(
        '--jpeg-quality', type=int, default=95, help='JPEG quality (95)')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bar')
    return parser.parse_args()


def main():
    args = parse_args()
    from mmddl.datasets.video_decoding import prepare_dataset
    stats = prepare_dataset(args.dataset, args.data_root, args.ext,
                            args.jpeg_quality, not args.no_progress)
    print(f'\n{args.dataset}: decoded {stats["decoded"]} videos '
          f'({stats["frames"]} frames), skipped {stats["skipped"]} already '
          'complete')
    return 0


if __name__ == '__main__':
    sys.exit(main())
