"""Capture and restore every random number generator a training step uses.

mmengine does not save random states in checkpoints, so a resumed run draws
other pseudo anomalies (which object, what noise) than the run it continues.
mmddl's training draws from torch (the noise), numpy (the object picked in
``LoadTrackMasks``) and Python's ``random``; all three, and CUDA's when
present, are saved with each checkpoint and restored on resume.

Example:
    >>> import torch
    >>> state = get_rng_state()
    >>> a = torch.rand(2)
    >>> set_rng_state(state)
    >>> bool((torch.rand(2) == a).all())
    True
"""
import random
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch


def get_rng_state() -> dict:
    """The states of torch's, CUDA's, numpy's and Python's generators.

    Only tensors, arrays, strings and ints: the safe checkpoint loader reads
    it without unpickling arbitrary objects.
    """
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    version, py_state, py_gauss = random.getstate()
    state = dict(
        torch=torch.get_rng_state(),
        numpy=dict(kind=kind, keys=keys, pos=int(pos),
                   has_gauss=int(has_gauss), gauss=float(gauss)),
        python=dict(version=version, state=list(py_state), gauss=py_gauss))
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Restore what :func:`get_rng_state` returned."""
    torch.set_rng_state(state['torch'])
    np_state = state['numpy']
    np.random.set_state((np_state['kind'], np_state['keys'], np_state['pos'],
                         np_state['has_gauss'], np_state['gauss']))
    py = state['python']
    random.setstate((py['version'], tuple(py['state']), py['gauss']))
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


@contextmanager
def preserved_rng() -> Iterator[None]:
    """Run a block without moving any generator on for the code after it.

    Starting a DataLoader iterator draws a seed from torch's generator; done
    inside this block, an epoch started afresh and one resumed mid-way leave
    the same random state to the training steps.
    """
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
