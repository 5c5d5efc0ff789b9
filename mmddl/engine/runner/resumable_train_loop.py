"""An epoch-based training loop that resumes exactly where it stopped."""
from typing import Optional

from mmengine.runner import EpochBasedTrainLoop

from mmddl.registry import LOOPS
from mmddl.utils.checkpoint_loading import register_safe_checkpoint_loader
from mmddl.utils.rng_state import preserved_rng, set_rng_state


@LOOPS.register_module()
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` that resumes mid-epoch with the next batch.

    mmengine's loop restarts an epoch from its first batch when it resumes
    from an iteration checkpoint (``checkpoint.by_epoch=False``): the run
    trains more iterations than configured, its "last" checkpoint lands
    mid-run and the rest is never saved. This loop

    - continues with the first batch of the epoch not yet trained (the
      sampler's order is the epoch's, so the batches are the ones the
      uninterrupted run would see; the ones already trained are loaded and
      dropped, as mmengine's ``IterBasedTrainLoop`` does, which also moves
      data workers' random states on as in the uninterrupted run);
    - restores the random states saved with the checkpoint
      (:class:`~mmddl.engine.hooks.ExactResumeHook`) just before the next
      batch is loaded, so the pseudo anomalies are the same;
    - an uninterrupted run draws exactly the random numbers mmengine's
      loop draws, so its results do not change.

    In deterministic mode a killed and resumed run ends with the weights of
    the uninterrupted one, with ``num_workers=0`` or workers that are not
    persistent (mmengine seeds those afresh each epoch). Persistent workers
    carry their random state over epochs, which no checkpoint holds: after
    resuming in a later epoch the tracks picked for the pseudo anomaly are
    other (equally likely) ones, and the loop says so.

    Example:
        >>> train_cfg = dict(type='ResumableEpochBasedTrainLoop',
        ...                  max_epochs=10, val_interval=10)
    """

    #: random states to restore before the next batch (set on resume)
    resume_rng_state: Optional[dict] = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The runner builds its train loop before load_or_resume: the
        # torch >= 2.6 checkpoint loader is in place for resume and
        # load_from even in scripts that never call register_all_modules.
        register_safe_checkpoint_loader()

    def run_epoch(self) -> None:
        """Iterate the rest of one epoch."""
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        num_batches = len(self.dataloader)
        done = self._iter - self._epoch * num_batches
        if not 0 <= done < num_batches:
            done = 0  # a checkpoint of another dataset size: whole epoch
        resumed = self.resume_rng_state is not None and self._iter > 0
        if resumed and not done:
            # at an epoch boundary the saved state is the one the next
            # epoch's iterator started from in the uninterrupted run
            self._restore_rng()
        batches = iter(self.dataloader)
        if done:
            # mid-epoch the saved state already holds this epoch's iterator
            # start and its batches: skip them with the generators kept,
            # then restore the state saved after the last trained batch
            with preserved_rng():
                for _ in range(done):
                    next(batches)
            self.runner.logger.info(
                f'Resuming epoch {self._epoch + 1} at batch {done + 1} of '
                f'{num_batches} (the {done} before it were trained before '
                'the checkpoint)')
            if resumed:
                self._restore_rng()
        self.resume_rng_state = None
        for idx, data_batch in enumerate(batches, start=done):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def _restore_rng(self) -> None:
        set_rng_state(self.resume_rng_state)
        self._warn_if_workers_keep_state()

    def _warn_if_workers_keep_state(self) -> None:
        loader = self.dataloader
        if (self._epoch > 0 and loader.num_workers > 0
                and getattr(loader, 'persistent_workers', False)):
            self.runner.logger.warning(
                'Resumed in epoch {}: the persistent data workers\' random '
                'state of the epochs before is not in the checkpoint, so the '
                'tracks picked for the pseudo anomaly differ from the '
                'uninterrupted run (equally likely ones). For a bit-exact '
                'resume train with train_dataloader.persistent_workers=False '
                'or num_workers=0.'.format(self._epoch + 1))
