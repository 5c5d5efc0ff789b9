"""Give a config's datasets its top-level ``data_root`` and ``scene``
(:func:`mmddl.setup_env.load_config` applies it to every config it loads)."""
from typing import Iterator

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


#: Top-level config keys that dataloader datasets take when they lack one.
DATASET_DEFAULT_KEYS = ('data_root', 'scene')


def fill_dataset_defaults(cfg) -> None:
    """Give every dataloader dataset that lacks a key of
    :data:`DATASET_DEFAULT_KEYS` the config's top-level value (in place).

    The dataset configs of ``configs/_base_/datasets`` name their root once,
    at the top level, so that ``--cfg-options data_root=X`` or a child
    config setting only ``data_root`` re-points every dataset, and with it
    the caches resolved under the root (:mod:`mmddl.datasets.data_root`).
    The ShanghaiTech config's ``scene`` works the same way
    (``--cfg-options scene=01`` trains and tests one scene's model). Keys
    whose top-level value is None are left alone.

    Example:
        >>> from mmengine.config import Config
        >>> cfg = Config(dict(data_root='data/mine',
        ...                   train_dataloader=dict(dataset=dict(type='X'))))
        >>> fill_dataset_defaults(cfg)
        >>> cfg.train_dataloader.dataset.data_root
        'data/mine'
    """
    for name in DATASET_DEFAULT_KEYS:
        value = cfg.get(name)
        if value is None:
            continue
        for key in DATALOADER_KEYS:
            loader = cfg.get(key)
            if not isinstance(loader, dict):
                continue
            for dataset in iter_dataset_cfgs(loader.get('dataset')):
                if dataset.get(name) is None:
                    dataset[name] = value
