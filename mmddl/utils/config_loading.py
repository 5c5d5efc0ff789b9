"""Load a config the way mmddl's tools do."""
from typing import Optional

from mmengine.config import Config


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Register mmddl's components, read ``path`` and apply
    ``--cfg-options``.

    Example:
        >>> cfg = load_config('configs/ddl/c3dsu_synthetic.py',
        ...                   dict(train_cfg=dict(max_epochs=1)))
    """
    from .setup_env import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg
