"""Train with the 4-D weights stored channels-last."""
from mmengine.hooks import Hook

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.models.utils import to_channels_last
from mmddl.registry import HOOKS


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Store the model's 4-D weights channels-last before training starts.

    oneDNN's 2-D convolutions on CPUs run fastest on channels-last tensors,
    and the layout then carries through the network, the gradients and
    Adam's state (created like the weights). The values are the same as
    with contiguous weights (to float rounding); only the memory layout
    differs. ``model.test_cfg.channels_last`` is the inference switch (it
    converts the deployed copy only); this hook is the training one,
    which ``tools/train.py --channels-last`` adds. Measured with
    ``tools/benchmark.py --train-modes`` (docs/speed.md).

    Example:
        >>> custom_hooks = [dict(type='ChannelsLastHook')]
    """
    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        to_channels_last(unwrap_model(runner.model))
