"""The backbone as eval-mode inference runs it: a private, fused and/or
channels-last copy, optionally compiled, run under autocast.

:class:`InferenceBackbone` is built once from a trained backbone (in eval
mode) and the inference options of ``model.test_cfg`` (``fuse_blocks``,
``channels_last``, ``compile``, ``autocast``; see
:func:`check_inference_options`). It is a snapshot: it holds its own
tensors, none of them a view of the trained backbone's, so nothing done to
it reaches the trained model, its state dict or checkpoints, and nothing
done to the trained model afterwards reaches it. When the weights change,
build a new one; :class:`~.DeployedReconstructor` and
:meth:`~.DDLReconstructor.switch_to_deploy` say when the model does that.

Example:
    >>> from mmddl.models.backbones import C3DSU
    >>> runner = InferenceBackbone(C3DSU(widths=(8, 16)).eval())
    >>> runner(torch.rand(1, 3, 3, 32, 32)).shape
    torch.Size([1, 3, 32, 32])
"""
import contextlib
import copy
import itertools
from typing import Callable, List, Optional, Union

import torch
import torch.nn as nn

from mmddl.models.backbones.fused_blocks import fuse_conv_blocks
from mmddl.models.utils import to_channels_last

COMPILE_KEYS = ('backend', 'mode', 'dynamic', 'fullgraph', 'options')
COMPILE_MODES = (None, 'default', 'reduce-overhead', 'max-autotune',
                 'max-autotune-no-cudagraphs')
AUTOCAST_DTYPES = (None, 'bfloat16', 'float16')
#: The keys of ``model.test_cfg`` that are inference options, and their
#: defaults.
INFERENCE_OPTIONS = dict(autocast=None, channels_last=False,
                         fuse_blocks=True, compile=False)


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


def check_inference_options(cfg: dict) -> None:
    """Check the inference options among ``cfg`` (``model.test_cfg``).

    Raises:
        ValueError: Naming the key, e.g. ``model.test_cfg.autocast``.
    """
    if cfg.get('autocast') not in AUTOCAST_DTYPES:
        raise ValueError(f'model.test_cfg.autocast must be one of '
                         f'{AUTOCAST_DTYPES}, got {cfg["autocast"]!r}')
    for key in ('fuse_blocks', 'channels_last'):
        if not isinstance(cfg.get(key, False), bool):
            raise ValueError(f'model.test_cfg.{key} must be True or False, '
                             f'got {cfg[key]!r}')
    check_compile_option(cfg.get('compile'))


def private_copy(backbone: nn.Module, fuse_blocks: bool) -> nn.Module:
    """An eval-mode copy of ``backbone`` (fused with ``fuse_blocks``) that
    shares no tensor, and no memory, with it; its tensors need no grad.

    :func:`~mmddl.models.backbones.fused_blocks.fuse_conv_blocks` shares
    the tensors of the blocks it does not fuse, and a folded weight with
    nothing to fold in may be the trained tensor itself; those are cloned,
    so that converting or compiling the copy leaves the trained model
    alone, and the copy is a snapshot of the weights it was built from.
    """
    if not fuse_blocks:
        module = copy.deepcopy(backbone)
    else:
        module = fuse_conv_blocks(backbone, channels_last=True)
        trained = {
            t.untyped_storage().data_ptr()
            for t in itertools.chain(backbone.parameters(),
                                     backbone.buffers())
        }
        clones = {}  # keeps tensors tied in the copy tied

        def private(tensor):
            if tensor.untyped_storage().data_ptr() not in trained:
                return tensor
            if id(tensor) not in clones:
                clone = tensor.detach().clone(
                    memory_format=torch.preserve_format)
                if isinstance(tensor, nn.Parameter):
                    clone = nn.Parameter(clone, requires_grad=False)
                clones[id(tensor)] = clone
            return clones[id(tensor)]

        for sub in module.modules():
            for tensors in (sub._parameters, sub._buffers):
                for name, tensor in tensors.items():
                    if tensor is not None:
                        tensors[name] = private(tensor)
    return module.requires_grad_(False).eval()


class InferenceBackbone:
    """``__call__`` (forward), ``encode_frames`` and ``decode`` of a trained
    backbone for inference, built once with the given options.

    Compilation is lazy: ``torch.compile`` only wraps the functions here;
    each is compiled on its first call (and again for new input shapes,
    per ``compile['dynamic']``). Outputs are in the autocast dtype when
    ``autocast`` is set.

    Args:
        backbone (nn.Module): The trained backbone, in eval mode; with
            ``encode_frames`` and ``decode`` for streaming. Only read.
        fuse_blocks (bool): Run a
            :func:`~mmddl.models.backbones.fused_blocks.fuse_conv_blocks`
            copy (BatchNorm folded, branches merged, folded weights
            channels-last). Defaults to True.
        channels_last (bool): Store every 4-D weight of the copy
            channels-last (the trained backbone keeps its layout).
            Defaults to False.
        autocast (str, optional): ``'bfloat16'`` or ``'float16'``: run
            under ``torch.autocast`` on the inputs' device. Defaults to None
            (float32).
        compile (bool | dict): ``model.test_cfg.compile``
            (:func:`check_compile_option`). Defaults to False.

    Attributes:
        module (nn.Module): The eager copy that runs (fused, channels-last).
        forward (Callable): ``module`` or its compiled wrapper (an
            ``nn.Module`` either way); what :meth:`__call__` runs.
        options (dict): The options it was built with.
    """

    def __init__(self,
                 backbone: nn.Module,
                 fuse_blocks: bool = True,
                 channels_last: bool = False,
                 autocast: Optional[str] = None,
                 compile: Union[bool, dict] = False):
        check_inference_options(
            dict(fuse_blocks=fuse_blocks, channels_last=channels_last,
                 autocast=autocast, compile=compile))
        if backbone.training:
            raise RuntimeError('InferenceBackbone needs the backbone in eval '
                               'mode: it folds the running statistics')
        self.options = dict(fuse_blocks=fuse_blocks,
                            channels_last=channels_last, autocast=autocast,
                            compile=compile)
        self.module = private_copy(backbone, fuse_blocks)
        if channels_last:
            to_channels_last(self.module)  # the private copy only
        self.autocast = None if autocast is None else getattr(torch, autocast)
        self.forward: Callable = self.module
        # streaming's two halves; a backbone without them still predicts
        self._encode_frames = getattr(self.module, 'encode_frames', None)
        self._decode = getattr(self.module, 'decode', None)
        compile_kwargs = check_compile_option(compile)
        if compile_kwargs is not None:
            self.forward = torch.compile(self.module, **compile_kwargs)
            if self._encode_frames is not None:
                self._encode_frames = torch.compile(self._encode_frames,
                                                    **compile_kwargs)
            if self._decode is not None:
                self._decode = torch.compile(self._decode, **compile_kwargs)

    def context(self, tensor: torch.Tensor):
        """``torch.autocast`` on ``tensor``'s device (or nothing)."""
        if self.autocast is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=tensor.device.type,
                              dtype=self.autocast)

    def __call__(self, clips: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) clips -> (N, C, H, W) reconstructions."""
        with self.context(clips):
            return self.forward(clips)

    def encode_frames(self, frames: torch.Tensor) -> List[torch.Tensor]:
        """(L, C, H, W) frames -> per-level features of each frame."""
        self._check_streaming()
        with self.context(frames):
            return self._encode_frames(frames)

    def decode(self, windows: List[torch.Tensor]) -> torch.Tensor:
        """Per-level (N, T, C, H, W) features -> (N, C, H, W)."""
        self._check_streaming()
        with self.context(windows[0]):
            return self._decode(windows)

    def _check_streaming(self) -> None:
        if self._encode_frames is None or self._decode is None:
            raise TypeError(f'{type(self.module).__name__} has no '
                            'encode_frames / decode: it cannot stream')

    def __repr__(self) -> str:
        options = ', '.join(f'{k}={v!r}' for k, v in self.options.items())
        return f'{type(self).__name__}({options})'
