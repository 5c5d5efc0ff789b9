"""What FrameAUCMetric and DumpVADScores share: the score settings (smoothing,
normalisation, per-scene, the mask-based metrics) and what they keep of
each data sample."""
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from ..functional import check_smoothing, dump_scores, median_smooth
from ..functional.vad_results import (check_localisation_option, sample_result,
                                      scores_file_data, vad_metrics)


class VADScoreMetric(BaseMetric):
    """Base of the metrics over per-frame VAD scores; see
    :class:`FrameAUCMetric` for the arguments. Messages name the subclass.

    Example:
        >>> # class MyMetric(VADScoreMetric):
        >>> #     def compute_metrics(self, results): ...
    """
    default_prefix: Optional[str] = 'vad'

    def __init__(self,
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
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        name = type(self).__name__
        median_smooth(np.zeros(1), smoothing_window)  # validates the window
        check_smoothing(smoothing, smoothing_window, smoothing_sigma)
        if region_size < 8:
            raise ValueError(f'{name} needs region_size >= 8, got '
                             f'{region_size}')
        self.smoothing_window = smoothing_window
        self.smoothing = smoothing
        self.smoothing_sigma = smoothing_sigma
        self.normalize_per_video = normalize_per_video
        self.per_scene = per_scene
        self.pixel_auc = check_localisation_option(pixel_auc, 'pixel_auc',
                                                   name)
        self.region_auc = check_localisation_option(region_auc, 'region_auc',
                                                    name)
        self.region_size = region_size

    def _settings(self) -> dict:
        """The score settings (the keys the two metrics share)."""
        return dict(
            smoothing_window=self.smoothing_window,
            smoothing=self.smoothing,
            smoothing_sigma=self.smoothing_sigma,
            normalize_per_video=self.normalize_per_video,
            per_scene=self.per_scene)

    def process(self, data_batch: Any, data_samples: Sequence) -> None:
        """Keep the key, label and score of each sample, and what the
        mask-based metrics need (``data_batch`` is not read).

        Args:
            data_batch (Any): The dataloader batch; not read.
            data_samples (Sequence[dict | VADDataSample]): The model outputs
                with ``video_id``, ``frame_index``, ``gt_label`` and
                ``pred_score`` (and ``error_map`` / ``gt_mask`` for
                ``pixel_auc`` and ``region_auc``).
        """
        for sample in data_samples:
            self.results.append(
                sample_result(sample, self.pixel_auc, self.region_auc,
                              self.region_size, type(self).__name__))

    def _score(self, results: List[dict]) -> Tuple[Dict[str, float], dict]:
        """The metrics and per-video scores of the gathered results."""
        return vad_metrics(results, self.dataset_meta,
                           pixel_auc=self.pixel_auc,
                           region_auc=self.region_auc,
                           owner=type(self).__name__, **self._settings())

    def _write_scores(self, videos: dict, metrics: Dict[str, float],
                      out_file: str) -> None:
        """The scores file of :func:`_score`'s output, written atomically."""
        dump_scores(
            scores_file_data(videos, metrics, self.dataset_meta,
                             **self._settings()), out_file)
        print_log(f'{type(self).__name__}: scores written to {out_file}',
                  logger='current')
