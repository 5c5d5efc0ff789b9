"""Saves random states with checkpoints; removes what killed saves left."""
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from mmddl.registry import HOOKS
from mmddl.utils.atomic_backend import remove_stale_temporaries
from mmddl.utils.rng_state import get_rng_state


@HOOKS.register_module()
class ExactResumeHook(Hook):
    """What ``--resume`` needs to continue a run exactly.

    - ``before_run``: removes the temporary files a save killed mid-write
      left in the work dir (``.iter_60.pth.XXXX.tmp``, as large as a
      checkpoint), naming them in the log.
    - ``before_save_checkpoint``: stores the random states of torch, CUDA,
      numpy and Python under ``rng_state`` (tensors and plain data only).
    - ``after_load_checkpoint``: hands them to a
      :class:`~mmddl.engine.runner.ResumableEpochBasedTrainLoop`, which
      restores them before its next batch; other loops ignore them.

    Example:
        >>> default_hooks = dict(exact_resume=dict(type='ExactResumeHook'))
    """

    priority = 'VERY_LOW'

    def before_run(self, runner) -> None:
        if not is_main_process():
            return
        for path in remove_stale_temporaries(runner.work_dir):
            runner.logger.warning(
                f'Removed {path}, left by a save that was killed mid-write')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_state'] = get_rng_state()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # the built train loop; _train_loop is still a dict outside training
        loop = getattr(runner, '_train_loop', None)
        if 'rng_state' in checkpoint and hasattr(loop, 'resume_rng_state'):
            loop.resume_rng_state = checkpoint['rng_state']
