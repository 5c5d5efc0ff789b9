"""Frame-level ROC AUC of a VAD test set (docs/method.md, sec. 8).

The metric only computes metrics. The scores file is
:class:`~mmddl.evaluation.DumpVADScores` (``tools/test.py --out``), the
score plots and heat maps ``mmddl.engine.hooks.VADVisualizationHook``
(``tools/test.py --show-dir``).

Example:
    >>> from mmddl.evaluation import FrameAUCMetric
    >>> from mmddl.structures import VADDataSample
    >>> metric = FrameAUCMetric(smoothing_window=None)
    >>> metric.dataset_meta = dict(clip_len=3, video_lengths={'v': 6})
    >>> samples = [
    ...     VADDataSample(metainfo=dict(video_id='v', frame_index=i))
    ...     .set_gt_label(int(i >= 3)).set_pred_score(0.1 * i)
    ...     for i in range(1, 5)]
    >>> metric.process({}, [s.to_dict() for s in samples])
    >>> metric.evaluate(4)['vad/auc']
    1.0
"""
import logging
import os.path as osp
import warnings
from typing import Any, Dict, List, Optional, Union

from mmengine.logging import print_log

from mmddl.registry import METRICS
from ..functional.scores_file import FORMATS
from .vad_score_metric import VADScoreMetric


def _replacement(kind: str, settings: Dict[str, Any]) -> str:
    """``dict(type=kind, k=v, ...)`` as a config line."""
    args = ', '.join(f'{k}={v!r}' for k, v in settings.items())
    return f"dict(type='{kind}', {args})"


@METRICS.register_module()
class FrameAUCMetric(VADScoreMetric):
    """Frame-level ROC AUC over the test videos.

    ``process`` keeps per frame only the video id, frame index, label and
    score. After mmengine has gathered the results of all ranks,
    ``compute_metrics`` puts them back in frame order per video, checks
    that every frame with a full window got exactly one score, smooths each
    video with a median filter and returns (AUCs are fractions in [0, 1]):

    - ``auc``: pooled (micro) AUC of all frames, the headline;
    - ``auc_macro``: mean of per-video AUCs, leaving out videos whose frames
      are all one class; ``auc_macro_left_out``: how many were left out;
    - ``auc_unsmoothed``: pooled AUC without smoothing, for reference;
    - with ``per_scene``: ``auc_scene<S>`` per scene (the video-id prefix
      before ``_``), ``auc_scene_median`` and ``auc_scene_left_out``.

    The check uses ``dataset_meta['video_lengths']`` (video id -> frames)
    and ``dataset_meta['clip_len']`` (T): frames (T-1)//2 .. N-1-(T-1)//2 of
    every video must each have one score. Without ``video_lengths`` only
    duplicates are checked, with a warning. The steps are the functions of
    :mod:`mmddl.evaluation.functional.vad_results`, which
    :class:`~mmddl.evaluation.DumpVADScores` shares.

    Args:
        smoothing_window (int, optional): Odd median-filter window in frames,
            edges padded with the nearest score; None for no smoothing.
            Defaults to 17.
        smoothing (str): ``'median'`` (the paper's, default), ``'gaussian'``
            (``smoothing_sigma`` frames; 3 for Ped2 / Avenue and 7 for
            ShanghaiTech in Accurate-Interpretable-VAD) or ``'none'``.
        smoothing_sigma (float, optional): The Gaussian's sigma. Defaults
            to None.
        pixel_auc (bool): Also report ``auc_pixel``, the pixel-level
            criterion of Mahadevan et al. (an anomalous frame counts when
            40 % of its ground-truth pixels are detected, a normal frame when
            any pixel is); needs the test set's pixel masks (Ped2
            ``TestNNN_gt``, Avenue ``testing_label_mask``, ShanghaiTech
            ``test_pixel_mask``) and the streaming test loop. ``'auto'``
            (the Ped2, Avenue and ShanghaiTech test configs): when every
            test video has its masks, else left out with a log line.
            Defaults to False.
        region_auc (bool): Also report ``rbdc`` and ``tbdc``, the region-
            and track-based detection criteria of Ramachandra and Jones
            (WACV 2020, :mod:`mmddl.evaluation.functional.region_detection`;
            IoU 0.1, a track counts when 10 % of its regions are detected,
            FPR per frame in [0, 1], up to 128 thresholds); needs the same
            pixel masks; ``'auto'`` as for ``pixel_auc``. Defaults to
            False.
        region_size (int): Longest side in pixels of the error maps and
            masks kept per frame for ``region_auc`` (about 2.1 bytes per
            pixel, e.g. 8.7 kB per frame at 64 x 64). Defaults to 64.
        normalize_per_video (bool): Min-max normalise each video's scores
            before the AUCs. Defaults to False.
        per_scene (bool): Also report per-scene AUCs and their median
            (ShanghaiTech). Defaults to False.
        out_file (str, optional): Deprecated: add
            ``dict(type='DumpVADScores', out_file=...)`` to the evaluator
            (``tools/test.py --out``) instead. Still writes the scores file,
            with a DeprecationWarning that gives the replacement.
            Defaults to None.
        show_dir, heatmap_topk, heatmap_size: Removed: the plots and heat
            maps are ``VADVisualizationHook`` (``tools/test.py --show-dir``),
            which the test loop hands the frames; passing any of them is a
            ValueError that gives the replacement hook.
        collect_device (str): 'cpu' or 'gpu', for gathering across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to None,
            i.e. ``default_prefix`` 'vad'.
        collect_dir (str, optional): Folder for gathering on 'cpu'.
            Defaults to None.
    """

    def __init__(self,
                 smoothing_window: Optional[int] = 17,
                 normalize_per_video: bool = False,
                 per_scene: bool = False,
                 smoothing: str = 'median',
                 smoothing_sigma: Optional[float] = None,
                 pixel_auc: Union[bool, str] = False,
                 region_auc: Union[bool, str] = False,
                 region_size: int = 64,
                 out_file: Optional[str] = None,
                 show_dir: Optional[str] = None,
                 heatmap_topk: Optional[int] = None,
                 heatmap_size: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(smoothing_window, normalize_per_video, per_scene,
                         smoothing, smoothing_sigma, pixel_auc, region_auc,
                         region_size, collect_device, prefix, collect_dir)
        drawing = dict(show_dir=show_dir, heatmap_topk=heatmap_topk,
                       heatmap_size=heatmap_size)
        drawing = {k: v for k, v in drawing.items() if v is not None}
        if drawing:
            settings = self._settings()
            settings.pop('per_scene')  # the hook draws per video
            hook = _replacement('VADVisualizationHook',
                                dict(drawing, **settings))
            raise ValueError(
                f'FrameAUCMetric no longer draws ({", ".join(drawing)} '
                'given): the score plots and heat maps are '
                'VADVisualizationHook, which the test loop hands the frames. '
                'Use tools/test.py --show-dir DIR, or in the config '
                f'custom_hooks = [{hook}], and drop '
                f'{"/".join(drawing)} from the evaluator.')
        self.out_file = out_file
        if out_file is not None:
            if osp.splitext(out_file)[1].lower() not in FORMATS:
                raise ValueError(
                    f'FrameAUCMetric out_file={out_file!r}: use one of the '
                    f'extensions {", ".join(FORMATS)}')
            dump = _replacement('DumpVADScores',
                                dict(out_file=out_file, **self._settings(),
                                     **self._mask_settings()))
            message = (
                'FrameAUCMetric(out_file=...) is deprecated: the scores file '
                f'is the DumpVADScores metric. Add {dump} to the evaluator '
                '(a list: [FrameAUCMetric(...), DumpVADScores(...)]) or pass '
                'tools/test.py --out FILE, and drop out_file; this run still '
                f'writes {out_file}.')
            warnings.warn(message, DeprecationWarning, stacklevel=2)
            print_log(message, logger='current', level=logging.WARNING)

    def _mask_settings(self) -> dict:
        """``pixel_auc`` / ``region_auc`` (and ``region_size``) when on."""
        settings = dict(pixel_auc=self.pixel_auc) if self.pixel_auc else {}
        if self.region_auc:
            settings.update(region_auc=self.region_auc,
                            region_size=self.region_size)
        return settings

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Order, check, smooth and score the gathered results.

        Args:
            results (list[dict]): What ``process`` kept, from every rank.

        Returns:
            dict: The AUCs listed in the class docstring.
        """
        metrics, videos = self._score(results)
        if self.out_file is not None:  # deprecated; see DumpVADScores
            self._write_scores(videos, metrics, self.out_file)
        return metrics
