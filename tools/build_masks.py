"""Detect and track objects over every training frame -> a box cache.

The mask config inherits a dataset config (its ``train_dataloader.dataset``
says which videos, its ``box_cache`` where the cache goes) and adds
``detector``, ``tracker`` and ``batch_size``. Videos already done are skipped
on a rerun; files are written atomically.

Example:
    python tools/build_masks.py configs/masks/motion_ocsort_synthetic.py
    bash tools/dist_build_masks.sh configs/masks/motion_ocsort_synthetic.py 4
    python tools/build_masks.py configs/masks/faster-rcnn_ocsort_ped2.py \\
        --device cuda --cfg-options detector.checkpoint=checkpoints/frcnn.pth
"""
import argparse
import json
import os
import os.path as osp
import shutil

from mmddl.utils.tool_args import add_cfg_options_arg, add_launcher_args


def parse_args():
    parser = argparse.ArgumentParser(
        description='Build the box cache that training masks come from')
    parser.add_argument('config', help='mask config (configs/masks/...)')
    parser.add_argument(
        '--device', help='device of an mmdet detector, e.g. cuda or cpu')
    parser.add_argument('--batch-size', type=int, help='frames per batch')
    parser.add_argument('--out', help='cache file (default: box_cache)')
    parser.add_argument(
        '--authors-json',
        help="also write the authors' tracked_bounding_boxes.json here")
    parser.add_argument(
        '--force', action='store_true', help='rebuild an existing cache')
    add_cfg_options_arg(parser, 'detector.score_thr=0.6')
    add_launcher_args(
        parser, ('none', 'pytorch'),
        'pytorch: one shard of the videos per torchrun process '
        '(tools/dist_build_masks.sh)')
    return parser.parse_args()


def init_shards(launcher: str):
    """(rank, world size, barrier) of this process."""
    if launcher == 'none':
        return 0, 1, None
    import torch.distributed as dist
    if 'RANK' not in os.environ:
        raise SystemExit('--launcher pytorch expects torchrun; start with '
                         'bash tools/dist_build_masks.sh CONFIG NPROC')
    if not dist.is_initialized():
        # gloo: the processes only meet; detection runs where --device says
        dist.init_process_group(backend='gloo')
    return dist.get_rank(), dist.get_world_size(), dist.barrier


def main():
    args = parse_args()
    from mmddl.datasets.data_root import resolve_under_root
    from mmddl.datasets.mask_coverage import box_cache_owner
    from mmddl.registry import DATASETS, TASK_UTILS
    from mmddl.setup_env import load_config
    from mmddl.tracking import BoxCache, VideoFrames, build_box_cache

    rank, world_size, barrier = init_shards(args.launcher)
    cfg = load_config(args.config, args.cfg_options)
    for key in ('detector', 'box_cache'):
        if key not in cfg:
            raise KeyError(f'{args.config} has no `{key}`')
    if args.device is not None and cfg.detector.type.endswith(
            'MMDetDetector'):
        cfg.detector.device = args.device
    batch_size = args.batch_size or cfg.get('batch_size', 8)

    dataset_cfg = dict(cfg.train_dataloader.dataset)
    dataset_cfg['pipeline'] = []
    dataset = DATASETS.build(dataset_cfg)
    # under the dataset's own root: another data_root gets its own cache
    out_file = args.out or resolve_under_root(cfg.box_cache,
                                              dataset.data_root)
    settings = dict(
        detector=cfg.detector.to_dict(), tracker=dict(cfg.get('tracker', {})),
        **box_cache_owner(dataset))
    if args.force and rank == 0:
        # a forced build starts over: no part of an earlier build is kept
        shutil.rmtree(out_file + '.parts', ignore_errors=True)
    if barrier is not None:
        barrier()
    rebuild = args.force or not osp.isfile(out_file)
    if not rebuild:
        built_with = {k: BoxCache.load(out_file).meta.get(k)
                      for k in settings}
        # JSON round trip: tuples in the config come back as lists
        if json.loads(json.dumps(settings)) != built_with:
            print(f'{out_file} was built with other detector/tracker '
                  'settings or videos; rebuilding it')
            rebuild = True
    if not rebuild:
        if rank != 0:
            return
        print(f'{out_file} exists (same settings); pass --force to rebuild')
        cache = BoxCache.load(out_file)
    else:
        videos = {
            v['video_id']: VideoFrames(v['frame_paths'])
            for v in dataset.videos
        }
        detector = TASK_UTILS.build(cfg.detector)
        meta = dict(config=osp.basename(args.config), **settings)
        stats = build_box_cache(videos, detector, cfg.get('tracker'),
                                out_file, batch_size, meta=meta, rank=rank,
                                world_size=world_size, barrier=barrier)
        if rank != 0:
            return
        shard = f' by process 0 of {world_size}' if world_size > 1 else ''
        print(f'\n{out_file}: {len(videos)} videos '
              f'({stats["videos_skipped"]} done before); '
              f'{stats["frames"]} frames{shard} in {stats["seconds"]:.1f} s '
              f'= {stats["fps"]:.1f} frames/s')
        cache = BoxCache.load(out_file)
        if args.authors_json:
            cache.save_authors_json(
                args.authors_json,
                {v['video_id']: v['frame_paths'] for v in dataset.videos})
            print(f"authors' format written to {args.authors_json}")
    tracks = sum(
        len({t for boxes in frames.values() for t in boxes})
        for frames in cache.videos.values())
    print(f'{len(cache)} videos, {tracks} tracks in {out_file}')
    report_mask_share(dataset, cache, out_file)


def report_mask_share(dataset, cache, out_file) -> None:
    """Print the share of training windows with a usable track; exit
    with an error when there is none."""
    from mmddl.datasets.mask_coverage import TUNING_HINT, window_mask_share
    share = window_mask_share(dataset, cache)
    if share.usable == 0:
        raise SystemExit(f'error: {share.describe()} in {out_file}: DDL '
                         f'would have nothing to corrupt. {TUNING_HINT}')
    level = 'warning: ' if share.fraction < 0.1 else ''
    print(f'{level}{share.describe()}')


if __name__ == '__main__':
    main()
