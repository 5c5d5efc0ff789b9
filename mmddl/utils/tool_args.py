"""Command-line arguments the tools share, declared once, and what the
tools do with them.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_trust_checkpoint_arg(parser)
    >>> add_cfg_options_arg(parser)
    >>> add_launcher_args(parser)
    >>> add_work_dir_arg(parser)
    >>> args = parser.parse_args(['--cfg-options', 'a=1'])
    >>> args.cfg_options, args.launcher, args.work_dir
    ({'a': 1}, 'none', None)
    >>> default_work_dir('configs/ddl/c3dsu_ped2.py')
    './work_dirs/c3dsu_ped2'
"""
import argparse
import os
import os.path as osp
from typing import Optional, Sequence

#: What mmengine's runners launch with.
LAUNCHERS = ('none', 'pytorch', 'slurm', 'mpi')


def add_trust_checkpoint_arg(parser: argparse.ArgumentParser) -> None:
    """``--trust-checkpoint``: allow arbitrary pickled objects."""
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='allow checkpoints that hold arbitrary pickled objects '
        '(only for files you trust; unpickling can run code)')


def add_cfg_options_arg(parser: argparse.ArgumentParser,
                        example: str = 'model.test_cfg.patch_size=8'
                        ) -> None:
    """``--cfg-options k=v ...`` through mmengine's ``DictAction``."""
    from mmengine.config import DictAction
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help=f'override config keys, e.g. {example}')


def add_work_dir_arg(parser: argparse.ArgumentParser,
                     help: str = 'where logs and outputs go') -> None:
    """``--work-dir``; :func:`default_work_dir` says where it goes unset."""
    parser.add_argument('--work-dir', help=help)


def default_work_dir(config_path: str) -> str:
    """``./work_dirs/<config name>``, as the OpenMMLab tools name it."""
    return osp.join('./work_dirs',
                    osp.splitext(osp.basename(config_path))[0])


def resolve_work_dir(cfg, work_dir: Optional[str], config_path: str) -> None:
    """Set ``cfg.work_dir``: the command line's, else the config's, else
    :func:`default_work_dir` (in place)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = default_work_dir(config_path)


def add_launcher_args(parser: argparse.ArgumentParser,
                      choices: Sequence[str] = LAUNCHERS,
                      help: str = 'job launcher') -> None:
    """``--launcher`` and the ``--local-rank`` torch's launchers pass
    (older ones spell it ``--local_rank``); see :func:`export_local_rank`.
    """
    parser.add_argument('--launcher', choices=list(choices), default='none',
                        help=help)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0,
                        help="set by torch's launchers")


def export_local_rank(args: argparse.Namespace) -> None:
    """Put ``--local-rank`` into ``LOCAL_RANK`` where the launcher did not
    (``torch.distributed.launch`` without ``--use-env``)."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
