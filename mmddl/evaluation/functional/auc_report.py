"""From per-video raw frame scores to the reported AUC figures.

Shared by :class:`mmddl.evaluation.FrameAUCMetric` and
``tools/analysis/plot_scores.py`` so that both give the same numbers.
Per video: median smoothing (:func:`median_smooth`), then optionally min-max
normalisation (:func:`minmax_normalize`); the two commute, since a median
filter commutes with an increasing map. Then the AUCs of
:mod:`mmddl.evaluation.functional.auc`.

Example:
    >>> import numpy as np
    >>> scores = {'01_0001': np.array([.1, .2, .9, .8, .1])}
    >>> labels = {'01_0001': np.array([0, 0, 1, 1, 0])}
    >>> metrics, smoothed = frame_auc_report(scores, labels,
    ...                                      smoothing_window=3)
    >>> metrics['auc'], metrics['auc_macro']
    (1.0, 1.0)
"""
from typing import Dict, Mapping, Optional, Tuple

import numpy as np

from .auc import (macro_auc, macro_auc_padded, median_of, micro_auc,
                  per_scene_auc)
from .normalization import minmax_normalize
from .smoothing import check_smoothing, smooth_scores


def postprocess_scores(
        scores: Mapping[str, np.ndarray],
        smoothing_window: Optional[int] = 17,
        normalize_per_video: bool = False,
        smoothing: str = 'median',
        smoothing_sigma: Optional[float] = None) -> Dict[str, np.ndarray]:
    """Smooth and optionally normalise each video's scores.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) raw scores in
            frame order.
        smoothing_window (int, optional): Median window; None for none.
            Defaults to 17.
        normalize_per_video (bool): Min-max normalise each video.
            Defaults to False.
        smoothing (str): ``'median'`` (window ``smoothing_window``),
            ``'gaussian'`` (``smoothing_sigma``) or ``'none'``.
        smoothing_sigma (float, optional): The Gaussian's sigma in frames.

    Returns:
        dict: video id -> (N,) float64 processed scores.
    """
    check_smoothing(smoothing, smoothing_window, smoothing_sigma)
    out = {}
    for vid, raw in scores.items():
        smoothed = smooth_scores(raw, smoothing, smoothing_window,
                                 smoothing_sigma)
        out[vid] = minmax_normalize(smoothed) if normalize_per_video \
            else smoothed
    return out


def frame_auc_report(
        scores: Mapping[str, np.ndarray],
        labels: Mapping[str, np.ndarray],
        smoothing_window: Optional[int] = 17,
        normalize_per_video: bool = False,
        per_scene: bool = False,
        smoothing: str = 'median',
        smoothing_sigma: Optional[float] = None
) -> Tuple[Dict[str, float], Dict[str, np.ndarray]]:
    """Compute every reported AUC from raw per-video scores.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) raw scores in
            frame order.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.
        smoothing_window (int, optional): Median window; None for none.
            Defaults to 17.
        normalize_per_video (bool): Min-max normalise each video.
            Defaults to False.
        per_scene (bool): Add per-scene AUCs and their median.
            Defaults to False.
        smoothing (str): ``'median'``, ``'gaussian'`` or ``'none'``.
        smoothing_sigma (float, optional): The Gaussian's sigma.

    Returns:
        tuple: ``metrics`` with keys ``auc`` (pooled, headline),
        ``auc_macro`` (mean per video, all-one-class videos left out),
        ``auc_macro_left_out`` (their number), ``auc_macro_padded`` (mean
        per video, each padded with one normal and one anomalous frame, the
        AED-MAE / SSPCAB rule), ``auc_unsmoothed`` (pooled,
        same normalisation, no smoothing), and with ``per_scene``
        ``auc_scene<S>`` for each scene, ``auc_scene_median`` and
        ``auc_scene_left_out``; and the processed scores (video id ->
        array).
    """
    processed = postprocess_scores(scores, smoothing_window,
                                   normalize_per_video, smoothing,
                                   smoothing_sigma)
    unsmoothed = postprocess_scores(scores, None, normalize_per_video)
    macro = macro_auc(processed, labels)
    metrics = dict(
        auc=micro_auc(processed, labels),
        auc_macro=macro.mean,
        auc_macro_left_out=len(macro.left_out),
        auc_macro_padded=macro_auc_padded(processed, labels),
        auc_unsmoothed=micro_auc(unsmoothed, labels))
    if per_scene:
        scenes = per_scene_auc(processed, labels)
        for scene, auc in scenes.per_group.items():
            metrics[f'auc_scene{scene}'] = auc
        metrics['auc_scene_median'] = median_of(scenes.per_group)
        metrics['auc_scene_left_out'] = len(scenes.left_out)
    return metrics, processed
