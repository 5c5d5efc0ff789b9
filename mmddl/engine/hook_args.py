"""Check hook arguments before training starts.

Most hooks reject an unknown argument when the runner builds them. A few
take ``**kwargs`` and hand them on later: mmengine's ``CheckpointHook``
passes its extra arguments to ``Runner.save_checkpoint`` at the first save,
so ``default_hooks.checkpoint.intervall=1`` (a typo) fails only after a
whole epoch. :func:`check_hook_args` names such keys at once.

Example:
    >>> try:
    ...     check_hook_args(dict(default_hooks=dict(
    ...         checkpoint=dict(type='CheckpointHook', intervall=1))))
    ... except ValueError as err:
    ...     print(str(err).split(";")[0])
    default_hooks.checkpoint (CheckpointHook): unknown argument intervall
"""
import difflib
import inspect
from typing import Dict, Iterator, Tuple

from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.runner import Runner

from mmddl.registry import HOOKS

#: Where the ``**kwargs`` of a hook end up, for the hooks that forward them.
KWARGS_TARGETS = {'CheckpointHook': Runner.save_checkpoint}


def _named_hooks(cfg) -> Iterator[Tuple[str, dict]]:
    for name, hook in (cfg.get('default_hooks') or {}).items():
        if isinstance(hook, dict):
            yield f'default_hooks.{name}', hook
    for i, hook in enumerate(cfg.get('custom_hooks') or []):
        if isinstance(hook, dict):
            yield f'custom_hooks[{i}]', hook


def _accepted(function) -> Dict[str, inspect.Parameter]:
    return {
        name: p
        for name, p in inspect.signature(function).parameters.items()
        if name != 'self' and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }


def check_hook_args(cfg) -> None:
    """Raise a ValueError naming any hook argument that no function of the
    hook will take (only hooks whose ``**kwargs`` are forwarded are checked
    here; the others fail when built)."""
    for where, hook in _named_hooks(cfg):
        kind = str(hook.get('type', '')).split('.')[-1]
        target = KWARGS_TARGETS.get(kind)
        if target is None:
            continue
        cls = HOOKS.get(kind) or MMENGINE_HOOKS.get(kind)
        # out_dir, filename and meta of the target the hook fills itself
        accepted = set(_accepted(cls.__init__)) | (
            set(_accepted(target)) - {'out_dir', 'filename', 'meta'})
        for key in hook:
            if key != 'type' and key not in accepted:
                close = difflib.get_close_matches(key, sorted(accepted), 1)
                hint = f'did you mean {close[0]}? ' if close else ''
                raise ValueError(
                    f'{where} ({kind}): unknown argument {key}; {hint}'
                    f'{kind} takes {", ".join(sorted(accepted))}')
