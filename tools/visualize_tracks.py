"""Draw the tracked boxes and ids of a box cache on the training frames.

Check the masks before training: per video, a PNG contact sheet of every
``--interval``-th frame, or with ``--video`` an .avi of all frames.

Example:
    python tools/visualize_tracks.py configs/masks/motion_ocsort_synthetic.py \\
        --out-dir vis/tracks --videos 01 02 --interval 10
"""
import argparse
import os
import os.path as osp

from mmddl.utils.tool_args import add_cfg_options_arg


def parse_args():
    parser = argparse.ArgumentParser(
        description='Draw tracked boxes and ids on training frames')
    parser.add_argument('config', help='mask config (configs/masks/...)')
    parser.add_argument('--cache', help='box cache (default: box_cache)')
    parser.add_argument('--out-dir', default='vis_tracks')
    parser.add_argument('--videos', nargs='+', help='video ids (default all)')
    parser.add_argument(
        '--interval', type=int, default=10,
        help='every n-th frame on the contact sheet')
    parser.add_argument(
        '--columns', type=int, default=6, help='frames per sheet row')
    parser.add_argument('--scale', type=int, default=0,
                        help='upscale factor (default: to about 256 px)')
    parser.add_argument(
        '--video', action='store_true', help='write an .avi of all frames')
    add_cfg_options_arg(parser, 'data_root=data/mine')
    return parser.parse_args()


def contact_sheet(images, columns):
    import numpy as np
    rows = [images[i:i + columns] for i in range(0, len(images), columns)]
    blank = np.zeros_like(images[0])
    rows[-1] = rows[-1] + [blank] * (columns - len(rows[-1]))
    return np.concatenate([np.concatenate(r, axis=1) for r in rows], axis=0)


def main():
    args = parse_args()
    import cv2
    from mmengine.utils import ProgressBar

    from mmddl.datasets.data_root import resolve_under_root
    from mmddl.registry import DATASETS
    from mmddl.setup_env import load_config
    from mmddl.tracking import BoxCache, VideoFrames
    from mmddl.tracking.draw_tracks import draw_tracks
    from mmddl.utils import atomic_output, atomic_write_bytes

    cfg = load_config(args.config, args.cfg_options)
    dataset_cfg = dict(cfg.train_dataloader.dataset, pipeline=[])
    dataset = DATASETS.build(dataset_cfg)
    frame_paths = {v['video_id']: v['frame_paths'] for v in dataset.videos}
    cache = BoxCache.load(
        args.cache or resolve_under_root(cfg.box_cache, dataset.data_root),
        frame_paths)
    wanted = args.videos or sorted(frame_paths)
    unknown = [v for v in wanted if v not in frame_paths]
    if unknown:
        raise KeyError(f'videos {unknown} are not in the training set '
                       f'({len(frame_paths)} videos)')
    os.makedirs(args.out_dir, exist_ok=True)
    bar = ProgressBar(len(wanted))
    for video_id in wanted:
        frames = VideoFrames(frame_paths[video_id])
        scale = args.scale or max(1, 256 // max(frames[0].shape[:2]))
        picks = (range(len(frames)) if args.video else range(
            0, len(frames), args.interval))
        drawn = [
            draw_tracks(frames[i], cache.frame_boxes(video_id, i), scale)
            for i in picks
        ]
        if args.video:
            path = osp.join(args.out_dir, f'{video_id}.avi')
            height, width = drawn[0].shape[:2]
            with atomic_output(path, suffix='.avi') as tmp:
                writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'MJPG'),
                                         10, (width, height))
                for image in drawn:
                    writer.write(cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
                writer.release()
        else:
            sheet = contact_sheet(drawn, args.columns)
            ok, png = cv2.imencode('.png',
                                   cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
            atomic_write_bytes(png.tobytes(),
                               osp.join(args.out_dir, f'{video_id}.png'))
        bar.update()
    print(f'\nwrote {len(wanted)} {"videos" if args.video else "sheets"} '
          f'to {args.out_dir}')


if __name__ == '__main__':
    main()
