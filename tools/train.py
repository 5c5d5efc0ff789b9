"""Train a model from a config.

Example:
    python tools/train.py configs/ddl/c3dsu_ped2.py
    python tools/train.py configs/ddl/c3dsu_ped2.py --resume          # latest
    python tools/train.py CONFIG --resume work_dirs/x/epoch_3.pth
    bash tools/dist_train.sh configs/ddl/c3dsu_ped2.py 8
"""
import argparse
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmddl.datasets.frame_decoding import pin_interpolation
from mmddl.engine.hook_args import check_hook_args
from mmddl.setup_env import register_all_modules
from mmddl.utils import (destroy_distributed, fill_dataset_defaults,
                         prepare_cpu_distributed, trust_checkpoints)
from mmddl.utils.latest_checkpoint import find_resumable_checkpoint
from mmddl.utils.tool_args import (add_cfg_options_arg, add_launcher_args,
                                   add_trust_checkpoint_arg, add_work_dir_arg,
                                   export_local_rank, resolve_work_dir)


def parse_args():
    parser = argparse.ArgumentParser(description='Train an mmddl model')
    parser.add_argument('config', help='train config file path')
    add_work_dir_arg(parser, 'where logs and checkpoints go')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; with no path, from the latest '
        'checkpoint in the work dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: fp16 AMP on CUDA, bf16 autocast on CPU')
    parser.add_argument(
        '--channels-last',
        action='store_true',
        help='train with the 2-D weights channels-last (faster on CPUs; '
        'with --amp too: docs/speed.md)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate during training')
    parser.add_argument('--seed', type=int, help='random seed')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic cuDNN/torch algorithms')
    add_trust_checkpoint_arg(parser)
    add_cfg_options_arg(
        parser, 'model.loss_dist.loss_weight=0.1 (lambda) '
        'train_dataloader.batch_size=4')
    add_launcher_args(parser)
    args = parser.parse_args()
    export_local_rank(args)
    return args


def merge_args(cfg, args):
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    resolve_work_dir(cfg, args.work_dir, args.config)

    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    if args.amp:
        if torch.cuda.is_available():
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        else:
            # mmengine's AmpOptimWrapper refuses CPUs; bf16 autocast needs
            # no loss scaling.
            cfg.optim_wrapper.type = 'AutocastOptimWrapper'
            cfg.optim_wrapper.dtype = 'bfloat16'

    if args.channels_last:
        cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
            dict(type='ChannelsLastHook')
        ]

    if args.resume == 'auto':
        cfg.resume = True
        # last_checkpoint may be empty after a kill; None: start afresh
        cfg.load_from = find_resumable_checkpoint(cfg.work_dir)
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(
                f'--resume {args.resume}: no such checkpoint')
        cfg.resume = True
        cfg.load_from = args.resume

    randomness = cfg.get('randomness', dict())
    if args.seed is not None:
        randomness['seed'] = args.seed
    if args.deterministic:
        randomness['deterministic'] = True
    cfg.randomness = randomness

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def skip_validation_without_test_split(cfg) -> None:
    """Train without validation when the data has no test split: DDL
    learns from normal footage alone, so labels are optional."""
    if cfg.get('val_dataloader') is None:
        return
    from mmengine.logging import print_log
    from mmengine.registry import DefaultScope

    from mmddl.datasets import NoTestSplitError
    from mmddl.registry import DATASETS
    dataset_cfg = dict(cfg.val_dataloader.dataset, pipeline=[])
    try:
        with DefaultScope.overwrite_default_scope('mmddl'):
            DATASETS.build(dataset_cfg)
    except NoTestSplitError as err:
        print_log(f'No test split, so no validation: {err}',
                  logger='current')
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    if args.trust_checkpoint:
        trust_checkpoints()
    cfg = Config.fromfile(args.config)
    cfg = merge_args(cfg, args)
    # datasets without their own data_root take the config's, after
    # --cfg-options, so that data_root=X re-points frames and caches
    fill_dataset_defaults(cfg)
    skip_validation_without_test_split(cfg)
    # a typo in a hook that forwards **kwargs would fail only at its use
    check_hook_args(cfg)
    # the stored config names the resize the model is trained with
    pin_interpolation(cfg._cfg_dict)
    prepare_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()
    destroy_distributed()


if __name__ == '__main__':
    main()
