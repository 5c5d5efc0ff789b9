"""Refuses a ``load_from`` checkpoint whose weights do not fit the model."""
from mmengine.hooks import Hook

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.registry import HOOKS
from mmddl.utils.checkpoint_keys import check_checkpoint_fits


@HOOKS.register_module()
class CheckpointFitHook(Hook):
    """Checks a loaded checkpoint against the model before mmengine loads it.

    mmengine's ``Runner`` loads ``load_from`` non-strictly, so a checkpoint
    of another architecture leaves the weights it lacks random and scores a
    meaningless AUC with exit code 0. This hook runs in
    ``after_load_checkpoint`` (mmengine calls it with the checkpoint before
    copying the weights into the model) and raises
    :class:`~mmddl.utils.checkpoint_keys.CheckpointMismatchError` naming the
    file and the keys. ``tools/test.py`` adds it unless ``--non-strict``.

    Args:
        filename (str): The checkpoint's path, for the message.

    Example:
        >>> custom_hooks = [dict(type='CheckpointFitHook',
        ...                      filename='work_dirs/x/epoch_8.pth')]
    """

    priority = 'VERY_HIGH'

    def __init__(self, filename: str = 'the checkpoint') -> None:
        self.filename = filename

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = unwrap_model(runner.model)
        unused = check_checkpoint_fits(model, checkpoint, self.filename)
        if unused:
            runner.logger.info(
                f'{len(unused)} entries of {self.filename} are not used by '
                f'this model: {", ".join(unused[:8])}')
