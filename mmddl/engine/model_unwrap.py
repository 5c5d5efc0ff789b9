"""The model inside a (DistributedDataParallel) wrapper."""
from mmengine.model import is_model_wrapper


def unwrap_model(model):
    """``model.module`` for an mmengine model wrapper, else ``model``.

    Example:
        >>> import torch
        >>> net = torch.nn.Linear(1, 1)
        >>> unwrap_model(net) is net
        True
    """
    return model.module if is_model_wrapper(model) else model
