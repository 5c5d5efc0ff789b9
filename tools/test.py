"""Test a checkpoint on a config's test set.

Example:
    python tools/test.py configs/ddl/c3dsu_ped2.py \\
        work_dirs/c3dsu_ped2/epoch_10.pth
    python tools/test.py CONFIG CKPT --out scores.pkl --show-dir vis/
    python tools/test.py CONFIG CKPT --backend openvino --onnx-dir DIR
    bash tools/dist_test.sh CONFIG CKPT 8
"""
import argparse
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

from mmddl.deploy.build import BACKENDS
from mmddl.setup_env import register_all_modules
from mmddl.utils import (destroy_distributed, fill_dataset_defaults,
                         prepare_cpu_distributed, trust_checkpoints)
from mmddl.utils.tool_args import (add_cfg_options_arg, add_launcher_args,
                                   add_trust_checkpoint_arg, add_work_dir_arg,
                                   export_local_rank, resolve_work_dir)


def parse_args():
    parser = argparse.ArgumentParser(description='Test an mmddl model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    add_work_dir_arg(parser)
    parser.add_argument(
        '--out',
        help='write the per-frame scores to this file (.pkl, .json or .npz)')
    parser.add_argument(
        '--show-dir',
        help='write score plots and error heat maps to this folder')
    add_trust_checkpoint_arg(parser)
    parser.add_argument(
        '--non-strict',
        action='store_true',
        help='load a checkpoint whose weights do not all fit the model '
        '(the weights it lacks stay randomly initialised); by default '
        'missing, reshaped or foreign network weights are an error')
    parser.add_argument(
        '--backend',
        choices=BACKENDS,
        help='what runs the network in the streaming test loop: torch, or '
        'ONNX Runtime / OpenVINO on the graphs of '
        'tools/deployment/export_onnx.py (--onnx-dir); default: the '
        'config\'s test_cfg.backend, else torch')
    parser.add_argument(
        '--onnx-dir',
        help='folder of the ONNX export (--backend onnxruntime or openvino)')
    add_cfg_options_arg(parser, 'test_evaluator.smoothing_window=9')
    add_launcher_args(parser)
    args = parser.parse_args()
    export_local_rank(args)
    return args


def merge_args(cfg, args):
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    resolve_work_dir(cfg, args.work_dir, args.config)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(
            f'checkpoint {args.checkpoint} does not exist; train one with '
            f'python tools/train.py {args.config}')
    cfg.load_from = args.checkpoint
    if not args.non_strict:
        # mmengine loads load_from non-strictly; refuse what does not fit
        cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
            dict(type='CheckpointFitHook', filename=args.checkpoint)
        ]

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    # after --cfg-options, so that the scores file and plots take the
    # smoothing of test_evaluator.smoothing_window=9 and the like
    if args.out is not None:
        add_dump_metric(cfg, args.out)
    if args.show_dir is not None:
        add_visualization_hook(cfg, args.show_dir)
    if args.backend is not None or args.onnx_dir is not None:
        set_backend(cfg, args)
    return cfg


def add_dump_metric(cfg, out_file):
    """``--out``: a ``DumpVADScores`` metric appended to the test evaluator
    (mmengine's ``--out`` / mmdet's ``DumpDetResults`` pattern), with the
    evaluator's score settings (smoothing, normalisation, ...) copied by
    key."""
    from mmddl.evaluation.functional.scores_file import FORMATS
    from mmddl.evaluation.metrics import with_dump_metric
    if osp.splitext(out_file)[1].lower() not in FORMATS:
        raise ValueError(f'--out {out_file}: use one of the extensions '
                         f'{", ".join(FORMATS)}')
    cfg.test_evaluator = with_dump_metric(cfg.get('test_evaluator'), out_file)


def add_visualization_hook(cfg, show_dir):
    """``--show-dir``: ``default_hooks.visualization``, a
    ``VADVisualizationHook`` drawing into ``show_dir`` (the config's own
    one, if it has it, keeps its settings); the score settings it lacks
    are the test evaluator's, copied by key."""
    from mmddl.engine.hooks import VADVisualizationHook
    from mmddl.evaluation.metrics import settings_from_evaluator
    hooks = dict(cfg.get('default_hooks') or {})
    hook = dict(hooks.get('visualization') or
                dict(type='VADVisualizationHook'))
    if hook.get('type') not in ('VADVisualizationHook',
                                'mmddl.VADVisualizationHook',
                                VADVisualizationHook):
        raise ValueError(
            f'--show-dir draws with VADVisualizationHook, and the config '
            f'has default_hooks.visualization={hook.get("type")!r}')
    settings = settings_from_evaluator(cfg.get('test_evaluator'),
                                       VADVisualizationHook.SETTING_KEYS)
    for key, value in settings.items():
        hook.setdefault(key, value)
    hook['show_dir'] = show_dir
    hooks['visualization'] = hook
    cfg.default_hooks = hooks


def set_backend(cfg, args):
    """``--backend`` / ``--onnx-dir`` into the StreamingTestLoop's
    ``test_cfg.backend`` / ``test_cfg.onnx_dir``, which builds the runtime."""
    from mmddl.engine.runner.streaming_loops import StreamingTestLoop
    from mmddl.registry import LOOPS
    test_cfg = cfg.get('test_cfg') or {}
    backend = args.backend or test_cfg.get('backend', 'torch')
    if backend == 'torch':
        if args.onnx_dir is not None:
            raise ValueError('--onnx-dir needs --backend onnxruntime or '
                             'openvino')
        if 'backend' in test_cfg:  # --backend torch over the config's
            test_cfg.backend = 'torch'
        return
    if not args.onnx_dir and not test_cfg.get('onnx_dir'):
        raise ValueError(f'--backend {backend} needs --onnx-dir (export '
                         'with tools/deployment/export_onnx.py)')
    kind = test_cfg.get('type', 'TestLoop')
    loop = LOOPS.get(kind)
    if not (isinstance(loop, type) and issubclass(loop, StreamingTestLoop)):
        # only the streaming loop calls encode_frames / decode, which the
        # exported graphs are; mmengine's loop runs the whole torch model
        raise ValueError(f'--backend {backend} needs test_cfg.type='
                         f'StreamingTestLoop, and {args.config} has {kind}')
    cfg.test_cfg.backend = backend
    if args.onnx_dir:
        cfg.test_cfg.onnx_dir = args.onnx_dir


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
    prepare_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.test()
    destroy_distributed()


if __name__ == '__main__':
    main()
