"""Mixed precision through ``torch.autocast`` on any device, CPU included.

mmengine's ``AmpOptimWrapper`` asserts a GPU. On CPU, bfloat16 autocast needs
no loss scaling (bf16 has fp32's exponent range), so entering
``torch.autocast`` around the forward in ``optim_context`` is all it takes.
``tools/train.py --amp`` picks this wrapper when there is no CUDA.

Example:
    >>> optim_wrapper = dict(
    ...     type='AutocastOptimWrapper', dtype='bfloat16',
    ...     optimizer=dict(type='Adam', lr=1e-2))
"""
from contextlib import contextmanager
from typing import Optional

import torch
from mmengine.optim import OptimWrapper

from mmddl.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """Optimizer wrapper that runs the forward under ``torch.autocast``.

    Args:
        dtype (str): Autocast dtype, ``'bfloat16'`` or ``'float16'``.
            Defaults to ``'bfloat16'``.
        device_type (str, optional): ``'cpu'`` or ``'cuda'``; by default
            ``'cuda'`` when CUDA is available, else ``'cpu'``.
        **kwargs: Passed to :class:`mmengine.optim.OptimWrapper`.
    """

    def __init__(self,
                 dtype: str = 'bfloat16',
                 device_type: Optional[str] = None,
                 **kwargs):
        super().__init__(**kwargs)
        if dtype not in ('bfloat16', 'float16'):
            raise ValueError(f"optim_wrapper.dtype must be 'bfloat16' or "
                             f"'float16', got {dtype!r}")
        self.dtype = getattr(torch, dtype)
        self.device_type = device_type or ('cuda' if torch.cuda.is_available()
                                           else 'cpu')

    @contextmanager
    def optim_context(self, model):
        with super().optim_context(model), torch.autocast(
                device_type=self.device_type, dtype=self.dtype):
            yield
