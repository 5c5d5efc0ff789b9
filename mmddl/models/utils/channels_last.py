"""Channels-last memory format for models that mix 2-D and 3-D weights."""
import torch
import torch.nn as nn


def to_channels_last(model: nn.Module) -> nn.Module:
    """Store every 4-D parameter and buffer channels-last, in place.

    ``Module.to(memory_format=torch.channels_last)`` refuses models with 5-D
    weights (the skip Conv3d of C3DSU); oneDNN's 2-D convolutions on CPU run
    fastest channels-last, so only the 4-D tensors are converted.

    It reassigns ``.data``, so every module holding one of these tensors
    sees the new layout. ``model.test_cfg.channels_last`` applies it to
    the private backbone copy of
    :class:`~mmddl.models.reconstructors.InferenceBackbone`, never to the
    trained backbone.

    Example:
        >>> net = to_channels_last(nn.Sequential(nn.Conv2d(3, 8, 3),
        ...                                      nn.Conv3d(8, 8, 3)))
        >>> net[0].weight.is_contiguous(memory_format=torch.channels_last)
        True
    """
    for tensor in list(model.parameters()) + list(model.buffers()):
        if tensor.ndim == 4:
            tensor.data = tensor.data.contiguous(
                memory_format=torch.channels_last)
    return model
