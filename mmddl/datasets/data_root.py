"""One key re-points a dataset: paths relative to its ``data_root``.

A dataset config names its root once (the top-level ``data_root``). Every
derived path, the frame cache (``LoadFrameWindow.cache_dir``) and the box
cache (``LoadTrackMasks.box_cache``, the mask config's ``box_cache``), is
given relative to it and joined with the dataset's ``data_root`` when the
dataset is built, as mmengine joins ``data_prefix``; a dataset config
without its own ``data_root`` takes the top-level one when the config is
loaded (:func:`mmddl.utils.fill_dataset_defaults`). So
``--cfg-options data_root=X``, a child config that sets only
``data_root``, or ``train_dataloader.dataset.data_root=X`` re-points the
frames and their caches together, and no dataset can read another's caches.

Absolute paths are kept. A relative path that already starts with the
dataset's root (configs written before this rule, e.g.
``data/ped2/cache`` beside ``data_root='data/ped2'``) is kept too.

Example:
    >>> resolve_under_root('cache', 'data/mine')
    'data/mine/cache'
    >>> resolve_under_root('data/mine/cache', 'data/mine')
    'data/mine/cache'
    >>> resolve_under_root('/abs/cache', 'data/mine')
    '/abs/cache'
"""
import copy
import os.path as osp
from typing import Optional

#: Transform arguments that name a path under the dataset's root.
ROOT_RELATIVE_ARGS = ('cache_dir', 'box_cache')


def resolve_under_root(path: Optional[str],
                       data_root: Optional[str]) -> Optional[str]:
    """``path`` joined with ``data_root`` unless it is absolute or already
    under the root; None and roots of None pass through."""
    if path is None or not data_root or osp.isabs(path):
        return path
    root = osp.normpath(data_root)
    norm = osp.normpath(path)
    if norm == root or norm.startswith(root + osp.sep):
        return path
    return osp.join(data_root, path)


def resolve_pipeline_paths(pipeline, data_root: Optional[str]) -> list:
    """A copy of a pipeline (list of dicts or transforms) whose
    :data:`ROOT_RELATIVE_ARGS` are resolved under ``data_root``."""
    resolved = []
    for step in pipeline or []:
        if isinstance(step, dict):
            step = copy.copy(step)
            for key in ROOT_RELATIVE_ARGS:
                if isinstance(step.get(key), str):
                    step[key] = resolve_under_root(step[key], data_root)
        resolved.append(step)
    return resolved


def require_data_root(dataset_type: str, data_root: Optional[str]) -> str:
    """``data_root`` or a ValueError saying how to set it."""
    if not data_root:
        raise ValueError(
            f'{dataset_type}: data_root is not set; give the dataset a '
            'data_root, or set the config\'s top-level data_root (e.g. '
            '--cfg-options data_root=data/mine) and load the config with '
            'mmddl.setup_env.load_config, as the tools do')
    return data_root
