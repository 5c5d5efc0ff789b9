"""Register every mmddl component and make ``mmddl`` the default scope."""
import datetime
import warnings

from mmengine import DefaultScope


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
        >>> from mmddl.utils import register_all_modules
        >>> register_all_modules()
    """
    import mmddl.datasets  # noqa: F401,F403
    import mmddl.engine  # noqa: F401,F403
    import mmddl.evaluation  # noqa: F401,F403
    import mmddl.models  # noqa: F401,F403
    import mmddl.tracking  # noqa: F401,F403
    import mmddl.visualization  # noqa: F401,F403
    from .checkpoint_loading import register_safe_checkpoint_loader
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
