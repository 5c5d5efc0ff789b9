"""Safe checkpoint loading for torch >= 2.6 under mmengine 0.10.7.

torch 2.6 made ``torch.load(weights_only=True)`` the default. mmengine
0.10.7's local loader calls ``torch.load`` without the argument, so resume and
``load_from`` fail on its own checkpoints: the message hub's ``HistoryBuffer``
and the numpy arrays inside it are not on torch's allow-list.

mmddl keeps torch's safe loading and allow-lists exactly those types
(``torch.serialization.add_safe_globals``). A checkpoint that holds any other
object is refused with a message naming the file and the object, unless the
user says they trust their checkpoints (``--trust-checkpoint`` on the tools,
``MMDDL_TRUST_CHECKPOINT=1`` or :func:`trust_checkpoints`).

The loader is installed through mmengine's public
``CheckpointLoader.register_scheme`` for local paths (the empty prefix), so
``Runner.resume``, ``load_from`` and ``load_checkpoint`` all use it.

Example:
    >>> from mmddl.utils import register_safe_checkpoint_loader
    >>> register_safe_checkpoint_loader()
    >>> # now Runner(..., resume=True) works under torch 2.13
"""
import os
import pickle
import os.path as osp
import re

import numpy as np
import torch
from mmengine.runner.checkpoint import CheckpointLoader

TRUST_ENV_VAR = 'MMDDL_TRUST_CHECKPOINT'
_trusted = False


def trust_checkpoints(enabled: bool = True) -> None:
    """Allow loading checkpoints that hold arbitrary pickled objects.

    Only for files from a source you trust: unpickling can run code.
    """
    global _trusted
    _trusted = bool(enabled)


def checkpoints_trusted() -> bool:
    """Whether arbitrary objects may be unpickled from checkpoints."""
    return _trusted or os.environ.get(TRUST_ENV_VAR, '') in ('1', 'true',
                                                             'True')


def history_buffer_statistic(owner, name: str):
    """Stand-in for ``getattr`` while unpickling an mmengine checkpoint.

    ``HistoryBuffer`` keeps its statistics methods in a dict, which pickles
    as ``getattr(HistoryBuffer, 'min')``. Allow-listing the builtin
    ``getattr`` would let a file reach any attribute of any allowed object,
    so this resolves only HistoryBuffer's own public methods and the
    statistics registered on it.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    public_method = (not name.startswith('_')
                     and callable(vars(HistoryBuffer).get(name)))
    if owner is HistoryBuffer and (public_method or
                                   name in HistoryBuffer._statistics_methods):
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'getattr({owner!r}, {name!r}) is not allowed in a checkpoint')


def checkpoint_safe_globals() -> list:
    """The non-tensor types an mmengine checkpoint of mmddl holds.

    The message hub stores ``HistoryBuffer`` objects backed by numpy arrays
    (whose statistics methods pickle through ``getattr``); numpy scalars
    appear in ``runtime_info``.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    dtypes = [getattr(np.dtypes, name) for name in np.dtypes.__all__]
    return [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        np._core.multiarray._reconstruct,
        np._core.multiarray.scalar,
        *dtypes,
        # pickle protocol 2 names the builtins module '__builtin__'
        (history_buffer_statistic, '__builtin__.getattr'),
        (history_buffer_statistic, 'builtins.getattr'),
    ]


class UntrustedCheckpointError(RuntimeError):
    """Raised when a checkpoint holds objects outside the allow-list."""


def load_local_checkpoint(filename: str, map_location=None):
    """Load a local checkpoint with torch's safe unpickler.

    Args:
        filename (str): Path of the checkpoint.
        map_location (str | callable, optional): As for :func:`torch.load`.

    Returns:
        dict: The checkpoint.

    Raises:
        FileNotFoundError: The file does not exist.
        UntrustedCheckpointError: The file holds an object outside the
            allow-list and checkpoints are not trusted.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} does not exist')
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=not checkpoints_trusted())
    except Exception as err:  # torch raises UnpicklingError or others
        if _is_truncated(err):
            raise ValueError(
                f'checkpoint {filename} is incomplete or corrupt '
                f'({os.path.getsize(filename)} bytes; torch: {err}); it was '
                'probably cut short by an interrupted copy or save. Use '
                'another checkpoint, e.g. the previous epoch_N.pth') from None
        if 'weights_only' not in str(err) and 'Unsupported global' not in str(
                err):
            raise
        found = re.search(r'(?:GLOBAL ([\w.]+))|(?:WeightsUnpickler error: '
                          r'\s*(.+))', str(err))
        if found and found.group(1):
            what = f'it holds {found.group(1)}, which is not on mmddl\'s ' \
                   'allow-list of checkpoint types'
        elif found:
            what = found.group(2).strip()
        else:
            what = 'it holds objects outside the allow-list'
        raise UntrustedCheckpointError(
            f'Refused to load {filename}: {what}; unpickling it could run '
            'code. If you trust this file, pass --trust-checkpoint to the '
            f'tool, set {TRUST_ENV_VAR}=1, or call '
            'mmddl.utils.trust_checkpoints().') from None


def _is_truncated(err: Exception) -> bool:
    """Whether torch's error says the file is not a whole zip archive."""
    text = str(err)
    return any(sign in text for sign in (
        'PytorchStreamReader failed', 'failed finding central directory',
        'zip archive', 'unexpected EOF', 'Ran out of input'))


_registered = False


def register_safe_checkpoint_loader() -> None:
    """Make mmengine load local checkpoints with :func:`load_local_checkpoint`.

    Idempotent. Uses mmengine's public ``CheckpointLoader.register_scheme``.
    """
    global _registered
    if _registered:
        return
    torch.serialization.add_safe_globals(checkpoint_safe_globals())
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    _registered = True
