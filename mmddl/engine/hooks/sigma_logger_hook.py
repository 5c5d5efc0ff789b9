"""Logs the anomaly weight sigma(l) and plots its curve (paper Fig. 5)."""
import io
import os.path as osp
from typing import List, Optional, Tuple

from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.registry import HOOKS
from mmddl.utils import atomic_write_bytes


@HOOKS.register_module()
class SigmaLoggerHook(Hook):
    """Records sigma(l) of the model's pseudo anomaly during training.

    Every ``interval`` iterations it reads sigma(l) after the optimiser step
    and

    - writes it to the visualizer backends (``add_scalars`` under
      ``tag``, x = iteration), so TensorBoard or ``scalars.json`` get every
      value, not a window mean;
    - puts it in the message hub as ``train/sigma`` for the text log, unless
      the model's outputs already hold ``sigma`` (``DDLReconstructor``'s do,
      and mmengine's ``RuntimeInfoHook`` has stored them);
    - keeps it for the plot: every ``plot_interval`` iterations (if set) and
      at the end of training the curve is drawn with matplotlib (Agg, no
      display) into ``<work_dir>/<out_file>``, written atomically. The
      history is saved in checkpoints (key ``sigma_history``), so a resumed
      run plots the whole curve.

    Models without a ``pseudo_anomaly`` (the reconstruction-only ablation)
    are skipped with one warning.

    Args:
        interval (int): Iterations between records. Defaults to 1.
        plot_interval (int, optional): Iterations between plots during
            training; None plots only at the end. Defaults to None.
        out_file (str): PNG file name in the work dir. Defaults to
            ``'sigma_curve.png'``.
        tag (str): Scalar name for the visualizer backends. Defaults to
            ``'pseudo_anomaly/sigma'``.

    Examples:
        >>> custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
    """

    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL) reads the hub

    def __init__(self,
                 interval: int = 1,
                 plot_interval: Optional[int] = None,
                 out_file: str = 'sigma_curve.png',
                 tag: str = 'pseudo_anomaly/sigma'):
        if int(interval) < 1:
            raise ValueError(
                f'SigmaLoggerHook: interval must be >= 1, got {interval}')
        if plot_interval is not None and int(plot_interval) < 1:
            raise ValueError('SigmaLoggerHook: plot_interval must be >= 1 or '
                             f'None, got {plot_interval}')
        if not str(out_file).lower().endswith('.png'):
            raise ValueError(
                f'SigmaLoggerHook: out_file must be a .png, got {out_file}')
        self.interval = int(interval)
        self.plot_interval = plot_interval and int(plot_interval)
        self.out_file = out_file
        self.tag = tag
        self.history: List[Tuple[int, float]] = []
        self._warned = False

    @staticmethod
    def _pseudo_anomaly(runner):
        model = unwrap_model(runner.model)
        return getattr(model, 'pseudo_anomaly', None)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        step = runner.iter + 1
        if step % self.interval:
            return
        creator = self._pseudo_anomaly(runner)
        if creator is None:
            if not self._warned:
                runner.logger.warning('SigmaLoggerHook: the model has no '
                                      'pseudo_anomaly; nothing to log')
                self._warned = True
            return
        sigma = float(creator.sigma.detach())
        self.history.append((step, sigma))
        if not outputs or 'sigma' not in outputs:
            runner.message_hub.update_scalar('train/sigma', sigma)
        runner.visualizer.add_scalars({self.tag: sigma}, step=step)
        if self.plot_interval and step % self.plot_interval == 0:
            self.plot(runner.work_dir)

    def after_train(self, runner) -> None:
        if self.history:
            self.plot(runner.work_dir)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['sigma_history'] = dict(
            steps=[s for s, _ in self.history],
            values=[v for _, v in self.history])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        saved = checkpoint.get('sigma_history')
        if saved:
            self.history = list(zip(saved['steps'], saved['values']))

    def plot(self, work_dir: str) -> Optional[str]:
        """Draw the recorded curve into ``work_dir/out_file`` (main process
        only); returns the path, or None when nothing was drawn."""
        if not self.history or not is_main_process():
            return None
        # Figure + Agg canvas: no pyplot global state, no display needed.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        fig = Figure(figsize=(6, 3.5), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        steps, values = zip(*self.history)
        ax.plot(steps, values, color='tab:red', linewidth=1.2)
        ax.set_xlabel('iteration')
        ax.set_ylabel(r'$\sigma(\ell)$')
        ax.set_title(r'anomaly weight $\sigma(\ell)$ during training')
        ax.grid(alpha=0.3)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format='png')
        path = osp.join(work_dir, self.out_file)
        atomic_write_bytes(buffer.getvalue(), path)
        return path
