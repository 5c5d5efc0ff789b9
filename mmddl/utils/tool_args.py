"""Command-line arguments the tools share, declared once.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_trust_checkpoint_arg(parser)
    >>> add_cfg_options_arg(parser)
    >>> parser.parse_args(['--cfg-options', 'a=1']).cfg_options
    {'a': 1}
"""
import argparse


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
