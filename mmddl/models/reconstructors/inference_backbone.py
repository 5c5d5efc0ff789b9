"""The backbone that eval-mode inference runs: fused and/or compiled.

:class:`DDLReconstructor` runs ``predict`` and streaming through an
:class:`InferenceBackbone` built from ``test_cfg.fuse_blocks`` and
``test_cfg.compile``; training always runs the plain, eager backbone.

Neither option changes the model's modules or state dict: the fused copy
(:func:`~mmddl.models.backbones.fused_blocks.fuse_conv_blocks`) and the
``torch.compile`` wrappers live in an :class:`InferenceCache`, which
``nn.Module`` does not register, and which is emptied by ``train()`` /
``eval()``, by a deep copy and by pickling.

Example:
    >>> from mmddl.models.backbones import C3DSU
    >>> runner = InferenceBackbone(C3DSU(widths=(8, 16)).eval(),
    ...                            fuse_blocks=True, compile_kwargs=None)
    >>> runner(torch.rand(1, 3, 3, 32, 32)).shape
    torch.Size([1, 3, 32, 32])
"""
import itertools
from typing import Callable, Optional, Tuple

import torch
import torch.nn as nn

from mmddl.models.backbones.fused_blocks import fuse_conv_blocks

COMPILE_KEYS = ('backend', 'mode', 'dynamic', 'fullgraph', 'options')
COMPILE_MODES = (None, 'default', 'reduce-overhead', 'max-autotune',
                 'max-autotune-no-cudagraphs')


def check_compile_option(value) -> Optional[dict]:
    """``model.test_cfg.compile`` as ``torch.compile`` keyword arguments,
    or None for eager inference.

    Args:
        value (bool | dict | None): False/None (eager), True (the defaults
            of ``torch.compile``) or a dict with keys among
            :data:`COMPILE_KEYS`.

    Raises:
        ValueError: Naming ``model.test_cfg.compile``.
    """
    if value is None or value is False:
        return None
    if value is True:
        return {}
    if not isinstance(value, dict):
        raise ValueError('model.test_cfg.compile must be False, True or a '
                         'dict of torch.compile arguments, got '
                         f'{value!r}')
    unknown = sorted(set(value) - set(COMPILE_KEYS))
    if unknown:
        raise ValueError(f'model.test_cfg.compile: unknown torch.compile '
                         f'arguments {unknown}; options: {list(COMPILE_KEYS)}')
    if value.get('mode') not in COMPILE_MODES:
        raise ValueError(f'model.test_cfg.compile.mode must be one of '
                         f'{COMPILE_MODES}, got {value["mode"]!r}')
    backend = value.get('backend', 'inductor')
    if isinstance(backend, str):
        from torch._dynamo import list_backends
        known = list_backends(exclude_tags=())
        if backend not in known:
            raise ValueError(f'model.test_cfg.compile.backend {backend!r} is '
                             f'not a torch.compile backend; known: {known}')
    elif not callable(backend):
        raise ValueError('model.test_cfg.compile.backend must be a name or '
                         f'a callable, got {backend!r}')
    if value.get('dynamic') not in (None, True, False):
        raise ValueError('model.test_cfg.compile.dynamic must be None, '
                         f'True or False, got {value["dynamic"]!r}')
    return dict(value)


def weights_signature(module: nn.Module) -> Tuple:
    """Changes when a parameter or buffer of ``module`` is replaced, moved
    or written in place through autograd-visible ops (``copy_`` of
    ``load_state_dict``, optimiser steps). Writes through ``.data`` are not
    seen; ``train()`` / ``eval()`` empty the cache for those."""
    return tuple((t.data_ptr(), t._version, t.dtype, t.device)
                 for t in itertools.chain(module.parameters(),
                                          module.buffers()))


class InferenceBackbone:
    """``__call__`` (forward), ``encode_frames`` and ``decode`` of a backbone
    in eval mode, optionally fused and compiled.

    Compilation is lazy: ``torch.compile`` only wraps the functions here;
    each is compiled on its first call (and again for new input shapes,
    per ``compile_kwargs['dynamic']``).

    Args:
        backbone (nn.Module): In eval mode, with ``encode_frames`` and
            ``decode``.
        fuse_blocks (bool): Run a
            :func:`~mmddl.models.backbones.fused_blocks.fuse_conv_blocks`
            copy (BatchNorm folded, branches merged, weights
            channels-last).
        compile_kwargs (dict, optional): ``torch.compile`` arguments; None
            runs eagerly.
    """

    def __init__(self, backbone: nn.Module, fuse_blocks: bool,
                 compile_kwargs: Optional[dict]):
        module = backbone
        if fuse_blocks:
            module = fuse_conv_blocks(backbone, channels_last=True)
        self.forward: Callable = module
        self.encode_frames: Callable = module.encode_frames
        self.decode: Callable = module.decode
        if compile_kwargs is not None:
            self.forward = torch.compile(module, **compile_kwargs)
            self.encode_frames = torch.compile(module.encode_frames,
                                               **compile_kwargs)
            self.decode = torch.compile(module.decode, **compile_kwargs)

    def __call__(self, clips: torch.Tensor) -> torch.Tensor:
        return self.forward(clips)


class InferenceCache:
    """Holds one :class:`InferenceBackbone`, rebuilt when the options, the
    backbone or its weights change. Not an ``nn.Module``, so nothing in it
    is a parameter of the model or a key of its state dict."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self._key = None
        self._runner = None

    def get(self, backbone: nn.Module, fuse_blocks: bool,
            compile_kwargs: Optional[dict]) -> InferenceBackbone:
        # A fused copy holds folded weights, so it must follow the
        # backbone's; compiled wrappers of the backbone itself read the
        # live weights.
        key = (id(backbone), fuse_blocks, repr(compile_kwargs),
               weights_signature(backbone) if fuse_blocks else None)
        if key != self._key:
            self._runner = InferenceBackbone(backbone, fuse_blocks,
                                             compile_kwargs)
            self._key = key
        return self._runner

    def __deepcopy__(self, memo):
        return InferenceCache()

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self.clear()
