"""Stop training at the first non-finite loss, saying where and why."""
import math

from mmengine.hooks import Hook

from mmddl.registry import HOOKS


class NonFiniteLossError(FloatingPointError):
    """Raised when a training loss becomes NaN or infinite."""


@HOOKS.register_module()
class NaNGuardHook(Hook):
    """Raise a clear error when any logged loss is NaN or inf.

    Without it a diverged run goes on writing checkpoints full of NaN. The
    message names the iteration, the losses and sigma(l) (the noise strength
    of the adaptive pseudo anomaly, logged by the model as ``sigma``), so a
    user can tell a too-high learning rate from a collapsing sigma. Resume
    from the last good checkpoint after changing the cause.

    Examples:
        >>> custom_hooks = [dict(type='NaNGuardHook')]
    """
    priority = 'VERY_HIGH'

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if not outputs:
            return
        # detach: the logged values may still be part of the graph
        values = {
            k: float(v.detach() if hasattr(v, 'detach') else v)
            for k, v in outputs.items()
        }
        bad = {k: v for k, v in values.items()
               if 'loss' in k and not math.isfinite(v)}
        if not bad:
            return
        sigma = values.get('sigma')
        sigma_text = f'{sigma:.6g}' if sigma is not None else 'not logged'
        raise NonFiniteLossError(
            f'non-finite loss at iteration {runner.iter + 1} (epoch '
            f'{runner.epoch + 1}): '
            + ', '.join(f'{k}={v}' for k, v in sorted(values.items()))
            + f'; sigma(l)={sigma_text}. Training stopped; lower the '
            'learning rate (optim_wrapper.optimizer.lr) or check the data, '
            'then resume with --resume from the last checkpoint.')
