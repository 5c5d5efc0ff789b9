"""Write the per-frame test scores to a file, as a metric.

mmengine's ``DumpResults`` and mmdet's ``DumpDetResults`` for VAD: ``tools/
test.py --out FILE`` appends ``DumpVADScores(out_file=FILE)`` to the test
evaluator, with the score settings (smoothing, normalisation, ...) copied
by key from the evaluator's other metrics (:func:`settings_from_evaluator`),
so that the file's smoothed scores and metrics are those of the run.

The file is :mod:`mmddl.evaluation.functional.scores_file`'s: per video the
frame indices, 0/1 labels, raw and smoothed scores, and ``meta`` with the
settings, ``clip_len`` and the metrics (``auc``, ... unprefixed, as
:class:`~mmddl.evaluation.FrameAUCMetric` computes them with the same
settings, through the same functions of
:mod:`mmddl.evaluation.functional.vad_results`). It is written atomically.
The metric reports nothing itself: ``compute_metrics`` returns ``{}``.

Example:
    >>> test_evaluator = [
    ...     dict(type='FrameAUCMetric', smoothing_window=9),
    ...     dict(type='DumpVADScores', out_file='scores.npz',
    ...          smoothing_window=9)]
    >>> with_dump_metric(dict(type='FrameAUCMetric', smoothing_window=9),
    ...                  'scores.npz') == test_evaluator
    True
"""
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence, Union

from mmddl.registry import METRICS
from ..functional.scores_file import FORMATS
from ..functional.vad_results import SCORE_SETTINGS
from .vad_score_metric import VADScoreMetric


def _metric_cfgs(evaluator: Any) -> List[Any]:
    """The metric configs of an evaluator config: a dict, a list of them,
    or ``dict(type='Evaluator', metrics=...)``."""
    if evaluator is None:
        return []
    if isinstance(evaluator, dict):
        if 'metrics' in evaluator:
            return _metric_cfgs(evaluator['metrics'])
        return [evaluator]
    return list(evaluator)


def settings_from_evaluator(evaluator: Any, keys: Sequence[str],
                            name: str = 'test_evaluator') -> Dict[str, Any]:
    """The values of ``keys`` set in an evaluator config, by key, whatever
    the metrics' types; a key no metric sets is left out (the defaults are
    FrameAUCMetric's everywhere).

    Args:
        evaluator (dict | list | None): The evaluator config.
        keys (Sequence[str]): The keys to copy.
        name (str): The config key, for the error message.

    Returns:
        dict: key -> value.

    Raises:
        ValueError: if two metrics set a key to different values.
    """
    settings: Dict[str, Any] = {}
    for metric in _metric_cfgs(evaluator):
        for key in keys:
            if key not in metric:
                continue
            if key in settings and settings[key] != metric[key]:
                raise ValueError(
                    f'{name} sets {key} to {settings[key]!r} and '
                    f'{metric[key]!r} in different metrics, so it is not '
                    'clear which the scores file / plots should use; add '
                    'DumpVADScores (or VADVisualizationHook) with the '
                    'settings of your choice to the config yourself')
            settings[key] = metric[key]
    return settings


def with_dump_metric(evaluator: Any, out_file: str, **kwargs) -> Any:
    """``evaluator`` (config) with a ``DumpVADScores(out_file)`` appended
    that takes the evaluator's score settings.

    Args:
        evaluator (dict | list | None): The evaluator config.
        out_file (str): The scores file (.pkl, .json or .npz).
        **kwargs: More ``DumpVADScores`` arguments (over the copied ones).

    Returns:
        dict | list: a list of metric configs, or the
        ``dict(type='Evaluator', metrics=...)`` given, extended.
    """
    dump = dict(
        type='DumpVADScores',
        out_file=out_file,
        **settings_from_evaluator(evaluator, DumpVADScores.SETTING_KEYS))
    dump.update(kwargs)
    if isinstance(evaluator, dict) and 'metrics' in evaluator:
        evaluator = type(evaluator)(evaluator)
        evaluator['metrics'] = _metric_cfgs(evaluator['metrics']) + [dump]
        return evaluator
    return _metric_cfgs(evaluator) + [dump]


@METRICS.register_module()
class DumpVADScores(VADScoreMetric):
    """Write the test set's per-frame scores to ``out_file``.

    Args:
        out_file (str): Destination ending in .pkl, .json or .npz.
        smoothing_window, normalize_per_video, per_scene, smoothing,
            smoothing_sigma, pixel_auc, region_auc, region_size: As
            :class:`~mmddl.evaluation.FrameAUCMetric` (same defaults): how
            ``score_smoothed`` and the metrics in ``meta`` are computed.
            ``region_auc`` makes this metric keep its own small error maps
            and compute RBDC / TBDC again, for ``meta``.
        collect_device (str): 'cpu' or 'gpu', for gathering across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Unused (no metric is reported); accepted as
            every mmengine metric. Defaults to None.
        collect_dir (str, optional): Folder for gathering on 'cpu'.
            Defaults to None.
    """
    # What tools/test.py --out copies from the test evaluator, by key.
    SETTING_KEYS = tuple(SCORE_SETTINGS) + ('pixel_auc', 'region_auc',
                                            'region_size')

    # An explicit signature (not **kwargs), so that its defaults can be
    # read and compared with FrameAUCMetric's.
    def __init__(self,
                 out_file: str,
                 smoothing_window: Optional[int] = 17,
                 normalize_per_video: bool = False,
                 per_scene: bool = False,
                 smoothing: str = 'median',
                 smoothing_sigma: Optional[float] = None,
                 pixel_auc: Union[bool, str] = False,
                 region_auc: Union[bool, str] = False,
                 region_size: int = 64,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(smoothing_window, normalize_per_video, per_scene,
                         smoothing, smoothing_sigma, pixel_auc, region_auc,
                         region_size, collect_device, prefix, collect_dir)
        if osp.splitext(str(out_file))[1].lower() not in FORMATS:
            raise ValueError(f'DumpVADScores out_file={out_file!r}: use one '
                             f'of the extensions {", ".join(FORMATS)}')
        self.out_file = str(out_file)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Order, check and score the results, write the file.

        Returns:
            dict: ``{}``; the metrics are FrameAUCMetric's to report.
        """
        metrics, videos = self._score(results)
        self._write_scores(videos, metrics, self.out_file)
        return {}
