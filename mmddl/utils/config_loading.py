"""Load a config the way mmddl's tools do."""
from typing import Iterator, Optional

from mmengine.config import Config


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Register mmddl's components, read ``path``, apply
    ``--cfg-options`` and give datasets without a ``data_root`` the
    config's (:func:`fill_data_roots`).

    Example:
        >>> cfg = load_config('configs/ddl/c3dsu_synthetic.py',
        ...                   dict(train_cfg=dict(max_epochs=1)))
    """
    from .setup_env import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    fill_data_roots(cfg)
    return cfg


#: Config keys that hold a dataloader.
DATALOADER_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def iter_dataset_cfgs(node) -> Iterator[dict]:
    """Every dataset config under a dataloader's ``dataset`` (wrappers such
    as ``RepeatDataset`` and ``ConcatDataset`` opened)."""
    if not isinstance(node, dict):
        return
    inner = [node.get('dataset')] + list(node.get('datasets') or [])
    inner = [d for d in inner if isinstance(d, dict)]
    if inner:
        for child in inner:
            yield from iter_dataset_cfgs(child)
    else:
        yield node


def fill_data_roots(cfg) -> None:
    """Give every dataloader dataset without a ``data_root`` the config's
    top-level ``data_root`` (in place).

    The dataset configs of ``configs/_base_/datasets`` name their root once,
    at the top level, so that ``--cfg-options data_root=X`` or a child
    config setting only ``data_root`` re-points every dataset, and with it
    the caches resolved under the root
    (:mod:`mmddl.datasets.data_root`).

    Example:
        >>> cfg = Config(dict(data_root='data/mine',
        ...                   train_dataloader=dict(dataset=dict(type='X'))))
        >>> fill_data_roots(cfg)
        >>> cfg.train_dataloader.dataset.data_root
        'data/mine'
    """
    data_root = cfg.get('data_root')
    if data_root is None:
        return
    for key in DATALOADER_KEYS:
        loader = cfg.get(key)
        if not isinstance(loader, dict):
            continue
        for dataset in iter_dataset_cfgs(loader.get('dataset')):
            if dataset.get('data_root') is None:
                dataset['data_root'] = data_root
