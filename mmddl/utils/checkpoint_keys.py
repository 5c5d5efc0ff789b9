"""Check that a checkpoint's weights fit a model before it is scored.

mmengine's ``Runner`` loads ``load_from`` non-strictly: a checkpoint of
another architecture (a UNet checkpoint into a C3DSU config) loads with only
a logged warning, leaves the layers it lacks at their random initialisation
and scores a meaningless AUC with exit code 0. :func:`check_checkpoint_fits`
turns that into an error naming the file, the config's model and the keys.

Which mismatches are errors:

- a model weight the checkpoint lacks (it would stay random);
- a weight whose shape differs (another width or kernel size);
- a checkpoint weight under the network itself (``backbone.``) that the model
  does not have (another architecture).

Other extra checkpoint entries are only reported: testing a DDL checkpoint
with its reconstruction-only config leaves sigma(l) unused, which is harmless.

Example:
    >>> import torch
    >>> from mmddl.utils.checkpoint_keys import check_checkpoint_fits
    >>> model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    >>> check_checkpoint_fits(model, {'state_dict': model.state_dict()},
    ...                       'ok.pth')
    []
"""
import re
from typing import Dict, List, Sequence

import torch

#: checkpoint keys under these prefixes must all exist in the model
NETWORK_PREFIXES = ('backbone.', )
_SHOWN = 8


class CheckpointMismatchError(RuntimeError):
    """Raised when a checkpoint's weights do not fit the model."""


def _state_dict(checkpoint) -> Dict[str, torch.Tensor]:
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else checkpoint
    if not isinstance(state, dict):
        raise CheckpointMismatchError(
            f'the checkpoint holds a {type(state).__name__}, not a state dict')
    # as mmengine's Runner.load_checkpoint: weights saved from a wrapped
    # (DistributedDataParallel) model carry a 'module.' prefix
    return {re.sub(r'^module\.', '', k): v for k, v in state.items()}


def _listed(keys: Sequence[str]) -> str:
    shown = ', '.join(keys[:_SHOWN])
    more = len(keys) - _SHOWN
    return shown + (f' and {more} more' if more > 0 else '')


def check_checkpoint_fits(model: torch.nn.Module,
                          checkpoint,
                          filename: str,
                          network_prefixes: Sequence[str] = NETWORK_PREFIXES
                          ) -> List[str]:
    """Raise if ``checkpoint`` does not fit ``model``; return what is benign.

    Args:
        model (nn.Module): The model to load into (unwrapped).
        checkpoint (dict): A loaded checkpoint, or its state dict.
        filename (str): The checkpoint's path, for the message.
        network_prefixes (Sequence[str]): Prefixes whose checkpoint keys must
            all exist in the model.

    Returns:
        list[str]: Checkpoint keys the model does not use (harmless ones).

    Raises:
        CheckpointMismatchError: A model weight is missing from the
            checkpoint, has another shape, or the checkpoint holds network
            weights the model lacks.
    """
    loaded = _state_dict(checkpoint)
    expected = model.state_dict()
    missing = [k for k in expected if k not in loaded]
    shapes = [
        f'{k} {tuple(loaded[k].shape)} in the checkpoint, '
        f'{tuple(v.shape)} in the model' for k, v in expected.items()
        if k in loaded and hasattr(loaded[k], 'shape')
        and tuple(loaded[k].shape) != tuple(v.shape)
    ]
    unexpected = [k for k in loaded if k not in expected]
    foreign = [
        k for k in unexpected
        if any(k.startswith(p) for p in network_prefixes)
    ]
    problems = []
    if missing:
        problems.append(f'{len(missing)} model weights are missing from it '
                        f'and would stay random: {_listed(missing)}')
    if shapes:
        problems.append(f'{len(shapes)} weights have another shape: '
                        f'{_listed(shapes)}')
    if foreign:
        problems.append(f'it holds {len(foreign)} network weights this model '
                        f'does not have: {_listed(foreign)}')
    if problems:
        raise CheckpointMismatchError(
            f'checkpoint {filename} does not fit the config\'s model '
            f'({type(model).__name__}): ' + '; '.join(problems) +
            '. Was it trained with another config? Pass the config it was '
            'trained with, or --non-strict to load the weights that fit '
            'anyway (the rest stay randomly initialised).')
    return [k for k in unexpected if k not in foreign]
