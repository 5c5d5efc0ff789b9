"""Register every mmddl component, make ``mmddl`` the default scope, and
load configs the way the tools do.

This module sits above every package it registers (datasets, models,
evaluation, tracking, visualization, engine), so that none of them has to
import upward to reach it; ``mmddl.utils`` stays a leaf.
"""
import datetime
import warnings
from typing import Optional

from mmengine import DefaultScope
from mmengine.config import Config

from mmddl.utils.config_loading import fill_dataset_defaults


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import all mmddl modules so that they register, and set the scope.

    Also installs the safe checkpoint loader
    (:func:`mmddl.utils.register_safe_checkpoint_loader`).

    Args:
        init_default_scope (bool): Make ``mmddl`` the current default scope.
            If another scope is current, a new ``mmddl`` scope instance with a
            unique name becomes current and a warning says so.
            Defaults to True.

    Example:
        >>> from mmddl.setup_env import register_all_modules
        >>> register_all_modules()
    """
    import mmddl.datasets  # noqa: F401,F403
    import mmddl.engine  # noqa: F401,F403
    import mmddl.evaluation  # noqa: F401,F403
    import mmddl.models  # noqa: F401,F403
    import mmddl.tracking  # noqa: F401,F403
    import mmddl.visualization  # noqa: F401,F403
    from mmddl.utils.checkpoint_loading import register_safe_checkpoint_loader
    register_safe_checkpoint_loader()

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('mmddl', scope_name='mmddl')
    elif current.scope_name != 'mmddl':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmddl"; register_all_modules makes a new '
                      '"mmddl" default scope current.')
        name = f'mmddl-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name='mmddl')


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Register mmddl's components, read ``path``, apply
    ``--cfg-options`` and give datasets without a ``data_root`` (or
    ``scene``) the config's (:func:`fill_dataset_defaults`).

    Example:
        >>> cfg = load_config('configs/ddl/c3dsu_synthetic.py',
        ...                   dict(train_cfg=dict(max_epochs=1)))
    """
    register_all_modules()
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    fill_dataset_defaults(cfg)
    return cfg
