"""Per-epoch report of whether DDL's distinction learning is working."""
import math
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

from mmengine.hooks import Hook

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.datasets.mask_coverage import (TUNING_HINT,
                                          check_box_cache_owner,
                                          window_mask_share)
from mmddl.registry import HOOKS

#: Logged training values the report averages per epoch.
MONITORED = ('sigma', 'mask_share', 'loss_recon', 'loss_dist', 'dist_ratio',
             'err_masked', 'err_unmasked')


class NoTrainingMasksError(RuntimeError):
    """Raised when DDL is on and no training window has a mask."""


def find_track_masks(dataset):
    """The ``LoadTrackMasks`` of a dataset's pipeline (wrappers opened),
    with the dataset that owns it; (None, None) when there is none."""
    for inner in [dataset] + list(getattr(dataset, 'datasets', [])) + [
            getattr(dataset, 'dataset', None)]:
        pipeline = getattr(inner, 'pipeline', None)
        for transform in getattr(pipeline, 'transforms', []):
            if type(transform).__name__ == 'LoadTrackMasks':
                return transform, inner
    return None, None


@HOOKS.register_module()
class DDLMonitorHook(Hook):
    """Make a failing DDL run visible to its user.

    Before training it checks that the box cache was built from the
    training videos (:func:`~mmddl.datasets.mask_coverage.
    check_box_cache_owner`) and counts the training windows that have an object
    tracked over the whole window (:func:`~mmddl.datasets.mask_coverage.
    window_mask_share`): none is an error that says what to tune, fewer than
    ``low_share`` a warning. After every epoch it logs one line and the
    visualizer scalars ``ddl/<key>`` (x = epoch, so TensorBoard gets them):
    sigma(l) at the epoch's end, the share of windows with a mask,
    ``loss_dist``, the distinction ratio P / N, and the corrupted forward's
    error on the masked and unmasked pixels. It warns when ``loss_dist``
    was zero for the whole epoch (no window had a mask), when sigma(l)
    has saturated (within ``saturation_tol`` of 0 or 1, where its gradient
    vanishes), and when ``loss_recon`` rose to ``rise_factor`` times its
    first epoch's mean (divergence without NaN). Models without a pseudo
    anomaly are left alone.

    Args:
        low_share (float): warn below this share of windows with a mask.
            Defaults to 0.1.
        saturation_tol (float): sigma(l) this close to 0 or 1 is saturated.
            Defaults to 1e-3.
        max_windows (int): windows looked at before training (evenly
            spread). Defaults to 20000.
        rise_factor (float): warn when an epoch's mean ``loss_recon`` is
            this many times the first epoch's (training diverging without
            NaN). Defaults to 2.

    Examples:
        >>> default_hooks = dict(ddl_monitor=dict(type='DDLMonitorHook'))
    """

    priority = 'BELOW_NORMAL'

    def __init__(self,
                 low_share: float = 0.1,
                 saturation_tol: float = 1e-3,
                 max_windows: int = 20000,
                 rise_factor: float = 2.0):
        if not 0 <= low_share <= 1:
            raise ValueError('DDLMonitorHook: low_share must be in [0, 1], '
                             f'got {low_share}')
        self.low_share = float(low_share)
        self.saturation_tol = float(saturation_tol)
        self.max_windows = int(max_windows)
        self.rise_factor = float(rise_factor)
        self._first_recon: Optional[float] = None
        # key -> (value, batch size) of each iteration of the epoch
        self._values: Dict[str, List[Tuple[float, float]]] = defaultdict(
            list)

    @staticmethod
    def _ddl_on(runner) -> bool:
        return getattr(unwrap_model(runner.model), 'pseudo_anomaly',
                       None) is not None

    def before_train(self, runner) -> None:
        if not self._ddl_on(runner):
            return
        transform, dataset = find_track_masks(runner.train_dataloader.dataset)
        if transform is None:
            return  # the model raises on the first batch, naming the fix
        check_box_cache_owner(transform.cache, dataset, transform.box_cache)
        share = window_mask_share(dataset, transform.cache, self.max_windows)
        message = f'{share.describe()} (box cache {transform.box_cache})'
        if share.usable == 0:
            raise NoTrainingMasksError(
                f'DDL is on but no training window has a mask: {message}, '
                'so the distinction loss would never train and DDL would '
                f'silently be plain reconstruction. {TUNING_HINT}')
        if share.fraction < self.low_share:
            runner.logger.warning(
                f'DDLMonitorHook: only {message}; the distinction loss '
                f'trains on few windows. {TUNING_HINT}')
        else:
            runner.logger.info(f'DDLMonitorHook: {message}')

    def before_train_epoch(self, runner) -> None:
        self._values.clear()

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if not outputs:
            return
        # batch size, so that a short last batch weighs what it holds
        inputs = (data_batch or {}).get('inputs') if isinstance(
            data_batch, dict) else None
        weight = float(len(inputs)) if inputs is not None else 1.0
        for key in MONITORED:
            if key in outputs:
                value = outputs[key]
                value = float(value.detach() if hasattr(value, 'detach')
                              else value)
                if math.isfinite(value):
                    self._values[key].append((value, weight))

    def after_train_epoch(self, runner) -> None:
        if not self._ddl_on(runner) or not self._values:
            return
        summary = self.summarise(self._values)
        sigma = float(unwrap_model(runner.model).pseudo_anomaly.sigma.detach())
        summary['sigma'] = sigma
        runner.visualizer.add_scalars(
            {f'ddl/{k}': v for k, v in summary.items()},
            step=runner.epoch + 1)
        runner.logger.info(f'DDL epoch {runner.epoch + 1}: ' + ', '.join(
            f'{k} {v:.4g}' for k, v in summary.items()))
        if max(v for v, _ in self._values.get('loss_dist', [(0.0, 1)])) == 0:
            runner.logger.warning(
                f'DDLMonitorHook: loss_dist was 0 in every iteration of '
                f'epoch {runner.epoch + 1}: no window had a mask, so DDL '
                f'trained as plain reconstruction. {TUNING_HINT}')
        recon = summary.get('loss_recon')
        if recon is not None:
            if self._first_recon is None:
                self._first_recon = recon
            elif recon > self.rise_factor * self._first_recon:
                runner.logger.warning(
                    f'DDLMonitorHook: loss_recon {recon:.4g} in epoch '
                    f'{runner.epoch + 1} is {recon / self._first_recon:.1f}x '
                    f'that of the first epoch ({self._first_recon:.4g}): '
                    'training is diverging; lower the learning rate '
                    '(optim_wrapper.optimizer.lr) and resume from an '
                    'earlier checkpoint.')
        if min(sigma, 1 - sigma) < self.saturation_tol:
            runner.logger.warning(
                f'DDLMonitorHook: sigma(l) = {sigma:.6f} has saturated '
                '(its gradient vanishes at 0 and 1): the pseudo anomaly no '
                'longer adapts; a learning rate far too high does this '
                '(optim_wrapper.optimizer.lr).')

    @staticmethod
    def summarise(
            values: Dict[str, List[Tuple[float, float]]]) -> Dict[str, float]:
        """Epoch means of the monitored values weighted by batch size, in
        ``MONITORED`` order."""
        summary = {}
        for key in MONITORED:
            rows = values.get(key)
            if rows:
                total = sum(w for _, w in rows)
                summary[key] = sum(v * w for v, w in rows) / total
        return summary
