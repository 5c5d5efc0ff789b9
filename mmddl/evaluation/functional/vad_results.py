"""Per-frame VAD results: from data samples to per-video arrays and metrics.

What :class:`mmddl.evaluation.FrameAUCMetric` (the metrics),
:class:`mmddl.evaluation.DumpVADScores` (the scores file) and
``mmddl.engine.hooks.VADVisualizationHook`` (the plots) share, so that the
three see the same frames, in the same order, processed the same way:

- :func:`frame_result` keeps of one data sample its video id, frame index,
  label and score (:func:`pixel_result` and :func:`region_result` add what
  ``pixel_auc`` and ``region_auc`` need);
- :func:`ordered_videos` puts the gathered results back in frame order per
  video and checks that they cover the test set exactly once;
- :func:`vad_metrics` smooths, normalises and scores them
  (:func:`frame_auc_report`, pixel AUC, RBDC / TBDC);
- :func:`scores_file_data` lays the result out as a scores file
  (:mod:`mmddl.evaluation.functional.scores_file`).

Example:
    >>> results = [dict(video_id='v', frame_index=i, gt_label=int(i >= 3),
    ...                 pred_score=0.1 * i) for i in range(1, 5)]
    >>> meta = dict(clip_len=3, video_lengths={'v': 6})
    >>> metrics, videos = vad_metrics(results, meta, smoothing_window=None)
    >>> metrics['auc'], videos['v']['frame_index'].tolist()
    (1.0, [1, 2, 3, 4])
"""
import logging
from collections import defaultdict
from typing import (Any, Dict, List, Mapping, Optional, Sequence, Tuple,
                    Union)

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.structures import BaseDataElement

from .auc_report import frame_auc_report
from .pixel_auc import pixel_criterion_score, pixel_level_auc
from .region_detection import (RegionDetectionAccumulator,
                               downsample_for_regions, sweep_thresholds)

# The options that decide how raw scores become the reported (smoothed,
# normalised) ones, with FrameAUCMetric's defaults; DumpVADScores and
# VADVisualizationHook take the same keys (tools/test.py copies them from
# the test evaluator by key).
SCORE_SETTINGS = dict(
    smoothing_window=17,
    smoothing='median',
    smoothing_sigma=None,
    normalize_per_video=False,
    per_scene=False)

# How many frame indices an error message lists before it says "... and N
# more": enough to see the pattern, short enough to read.
_MAX_LISTED = 12


def to_scalar(value: Any) -> Any:
    """The first element of a tensor or array, else ``value`` itself."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().reshape(-1)[0].item()
    if isinstance(value, np.ndarray):
        return value.reshape(-1)[0].item()
    return value


def listed(indices: Sequence[int]) -> str:
    """``[1, 2, ... and N more]``: frame indices for an error message."""
    indices = [int(i) for i in indices]
    shown = ', '.join(map(str, indices[:_MAX_LISTED]))
    more = len(indices) - _MAX_LISTED
    return f'[{shown}{f", ... and {more} more" if more > 0 else ""}]'


def as_dict(sample: Any) -> dict:
    """A data sample as the dict mmengine's Evaluator hands the metrics."""
    return sample.to_dict() if isinstance(sample, BaseDataElement) else sample


def frame_result(sample: Any, owner: str = 'FrameAUCMetric') -> dict:
    """The video id, frame index, 0/1 label and score of one data sample.

    Args:
        sample (dict | VADDataSample): With ``video_id``, ``frame_index``,
            ``gt_label`` and ``pred_score``.
        owner (str): Who asks, for the error message.

    Returns:
        dict: ``video_id`` (str), ``frame_index`` (int), ``gt_label`` (int)
        and ``pred_score`` (float).
    """
    sample = as_dict(sample)
    missing = [
        k for k in ('video_id', 'frame_index', 'gt_label', 'pred_score')
        if k not in sample
    ]
    if missing:
        raise KeyError(f'{owner}: a data sample lacks {missing}; the model '
                       'must set pred_score in predict mode and the dataset '
                       'the rest')
    return dict(
        video_id=str(sample['video_id']),
        frame_index=int(to_scalar(sample['frame_index'])),
        gt_label=int(to_scalar(sample['gt_label'])),
        pred_score=float(to_scalar(sample['pred_score'])))


def map_and_mask(sample: dict, option: str,
                 owner: str = 'FrameAUCMetric') -> Tuple[np.ndarray,
                                                         np.ndarray]:
    """The sample's (H, W) error map and bool ground-truth mask."""
    if 'gt_mask' not in sample or 'error_map' not in sample:
        raise KeyError(f'{owner}({option}=True): a data sample lacks gt_mask '
                       'or error_map; the streaming test loop sets them when '
                       'the dataset has pixel masks')
    error, mask = (np.asarray(
        v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else v)
                   for v in (sample['error_map'], sample['gt_mask']))
    error = error.reshape(error.shape[-2:])
    mask = mask.reshape(mask.shape[-2:]).astype(bool)
    return error, mask


def pixel_result(sample: dict, owner: str = 'FrameAUCMetric') -> dict:
    """The frame's pixel-criterion number (``pixel_auc``)."""
    error, mask = map_and_mask(as_dict(sample), 'pixel_auc', owner)
    return dict(pixel_score=pixel_criterion_score(error, mask),
                pixel_anomalous=bool(mask.any()))


def region_result(sample: dict, region_size: int = 64,
                  owner: str = 'FrameAUCMetric') -> dict:
    """The frame's small error map and mask (``region_auc``)."""
    error, mask = downsample_for_regions(
        *map_and_mask(as_dict(sample), 'region_auc', owner), region_size)
    # float16 relative to the frame's largest error keeps 3 significant
    # digits at any error scale in half the bytes of float32
    scale = float(error.max()) if error.max() > 0 else 1.0
    return dict(region_error=(error / scale).astype(np.float16),
                region_scale=scale,
                region_mask=np.packbits(mask),
                region_shape=mask.shape)


def sample_result(sample: Any,
                  pixel_auc: Union[bool, str] = False,
                  region_auc: Union[bool, str] = False,
                  region_size: int = 64,
                  owner: str = 'FrameAUCMetric') -> dict:
    """What a metric keeps of one data sample: :func:`frame_result`, plus
    :func:`pixel_result` / :func:`region_result` when asked (True) or,
    with ``'auto'``, when the sample has a ``gt_mask``."""
    sample = as_dict(sample)
    result = frame_result(sample, owner)
    # 'auto': where the frame has a ground-truth mask; True: it must
    has_mask = 'gt_mask' in sample
    if pixel_auc is True or (pixel_auc == 'auto' and has_mask):
        result.update(pixel_result(sample, owner))
    if region_auc is True or (region_auc == 'auto' and has_mask):
        result.update(region_result(sample, region_size, owner))
    return result


def region_metrics(results: List[dict]) -> Dict[str, float]:
    """``rbdc`` and ``tbdc`` over the frames, in video frame order."""
    rows = sorted(results, key=lambda r: (r['video_id'], r['frame_index']))
    maps = [
        r['region_error'].astype(np.float32) * np.float32(r['region_scale'])
        for r in rows
    ]
    accumulator = RegionDetectionAccumulator(sweep_thresholds(maps))
    for r, error in zip(rows, maps):
        shape = tuple(r['region_shape'])
        mask = np.unpackbits(
            r['region_mask'], count=int(np.prod(shape))).reshape(shape)
        accumulator.add(error, mask, r['video_id'], r['frame_index'])
    return dict(rbdc=accumulator.rbdc(), tbdc=accumulator.tbdc())


def group_by_video(results: Sequence[dict]) -> Dict[str, dict]:
    """Per video (sorted by id), the frame-ordered ``frame_index``,
    ``label`` (int64) and ``score_raw`` (float64) arrays; no checks."""
    grouped = defaultdict(list)
    for r in results:
        grouped[r['video_id']].append(
            (r['frame_index'], r['gt_label'], r['pred_score']))
    videos = {}
    for vid in sorted(grouped):
        rows = np.array(sorted(grouped[vid]), dtype=np.float64)
        videos[vid] = dict(
            frame_index=rows[:, 0].astype(np.int64),
            label=rows[:, 1].astype(np.int64),
            score_raw=rows[:, 2])
    return videos


def ordered_videos(results: Sequence[dict],
                   dataset_meta: Optional[Mapping] = None,
                   owner: str = 'FrameAUCMetric') -> Dict[str, dict]:
    """:func:`group_by_video`, failing loudly unless every frame with a
    full window got exactly one finite score with a 0/1 label.

    Args:
        results (Sequence[dict]): :func:`frame_result` dicts of all ranks.
        dataset_meta (Mapping, optional): ``video_lengths`` (video id ->
            frames) and ``clip_len`` (T); without ``video_lengths`` only
            duplicates, labels and finiteness are checked, with a warning.
        owner (str): Who asks, for the messages.

    Returns:
        dict: video id -> ``frame_index``, ``label`` and ``score_raw``.
    """
    videos = group_by_video(results)
    problems = []
    for vid, fields in videos.items():
        index, label = fields['frame_index'], fields['label']
        uniq, counts = np.unique(index, return_counts=True)
        if (counts > 1).any():
            problems.append(f'video {vid}: duplicated scores for frames '
                            f'{listed(uniq[counts > 1])}')
        bad = np.unique(label[(label != 0) & (label != 1)])
        if bad.size:
            problems.append(f'video {vid}: labels must be 0 or 1, got '
                            f'{bad.tolist()} (unlabelled test data?)')
        finite = np.isfinite(fields['score_raw'])
        if not finite.all():
            problems.append(f'video {vid}: non-finite scores for frames '
                            f'{listed(index[~finite])}')
    problems += coverage_problems(videos, dataset_meta, owner)
    if problems:
        raise ValueError(f'{owner}: the scores do not cover the test set '
                         'exactly once:\n  ' + '\n  '.join(problems))
    return videos


def coverage_problems(videos: Mapping[str, dict],
                      dataset_meta: Optional[Mapping] = None,
                      owner: str = 'FrameAUCMetric') -> List[str]:
    """Frames of ``dataset_meta['video_lengths']`` without a score, and
    scores outside the full-window range (T from ``clip_len``)."""
    meta = dataset_meta or {}
    lengths = meta.get('video_lengths')
    if lengths is None:
        print_log(
            f'{owner}: dataset_meta has no video_lengths, so it cannot '
            'check that every frame was scored',
            logger='current',
            level=logging.WARNING)
        return []
    if 'clip_len' not in meta:
        return ['dataset_meta has video_lengths but no clip_len']
    half = (int(meta['clip_len']) - 1) // 2
    problems = []
    for vid in sorted(set(videos) - set(map(str, lengths))):
        problems.append(f'video {vid} got scores but is not in '
                        'dataset_meta["video_lengths"]')
    for vid, length in sorted(lengths.items(), key=lambda x: str(x[0])):
        vid = str(vid)
        expected = np.arange(half, int(length) - half)
        got = videos[vid]['frame_index'] if vid in videos else \
            np.zeros(0, np.int64)
        missing = np.setdiff1d(expected, got)
        extra = np.setdiff1d(got, expected)
        if missing.size:
            problems.append(
                f'video {vid}: no score for frames {listed(missing)} '
                f'(expected {half}..{int(length) - 1 - half})')
        if extra.size:
            problems.append(
                f'video {vid}: scores for frames {listed(extra)} outside '
                f'the full-window range {half}..{int(length) - 1 - half}')
    return problems


def check_localisation_option(value: Union[bool, str], name: str,
                              owner: str = 'FrameAUCMetric'
                              ) -> Union[bool, str]:
    """``pixel_auc`` / ``region_auc``: True, False or ``'auto'``."""
    if value in (True, False, 'auto'):
        return value
    raise ValueError(f'{owner} {name} must be True, False or '
                     f'"auto", got {value!r}')


def localisation_on(option: Union[bool, str], results: Sequence[dict],
                    field: str, name: str, owner: str) -> bool:
    """Whether a mask-based metric is computed: always with True; with
    ``'auto'`` when every frame has ``field`` (its ground-truth mask was
    there), else it is left out and the log says why."""
    if option is True:
        return True
    if option != 'auto':
        return False
    missing = sorted({r['video_id'] for r in results if field not in r})
    if not missing:
        return True
    print_log(
        f'{owner}({name}="auto"): {len(missing)} test video(s) have no '
        f'pixel masks (e.g. {missing[0]}), so that metric is left out',
        logger='current')
    return False


def vad_metrics(results: Sequence[Optional[dict]],
                dataset_meta: Optional[Mapping] = None,
                smoothing_window: Optional[int] = 17,
                normalize_per_video: bool = False,
                per_scene: bool = False,
                smoothing: str = 'median',
                smoothing_sigma: Optional[float] = None,
                pixel_auc: Union[bool, str] = False,
                region_auc: Union[bool, str] = False,
                owner: str = 'FrameAUCMetric'
                ) -> Tuple[Dict[str, float], Dict[str, dict]]:
    """Order, check, smooth and score the gathered results.

    Args:
        results (Sequence[dict | None]): :func:`sample_result` dicts from
            every rank; None (the streaming loops' padding) is dropped.
        dataset_meta (Mapping, optional): See :func:`ordered_videos`.
        smoothing_window, normalize_per_video, per_scene, smoothing,
            smoothing_sigma: As :func:`frame_auc_report`.
        pixel_auc (bool | str): Add ``auc_pixel`` (results of
            :func:`pixel_result`); ``'auto'``: when every frame has them.
            Defaults to False.
        region_auc (bool | str): Add ``rbdc`` and ``tbdc`` (results of
            :func:`region_result`); ``'auto'`` as for ``pixel_auc``.
            Defaults to False.
        owner (str): Who asks, for the messages.

    Returns:
        tuple: the metrics (unprefixed: ``auc``, ``auc_macro``, ...) and per
        video ``frame_index``, ``label``, ``score_raw`` and
        ``score_smoothed`` arrays.
    """
    results = [r for r in results if r is not None]
    if not results:
        raise ValueError(f'{owner} got no scores: was the test set empty?')
    videos = ordered_videos(results, dataset_meta, owner)
    scores = {v: f['score_raw'] for v, f in videos.items()}
    labels = {v: f['label'] for v, f in videos.items()}
    metrics, smoothed = frame_auc_report(scores, labels, smoothing_window,
                                         normalize_per_video, per_scene,
                                         smoothing, smoothing_sigma)
    if localisation_on(pixel_auc, results, 'pixel_score', 'pixel_auc',
                       owner):
        metrics['auc_pixel'] = pixel_level_auc(
            [r['pixel_score'] for r in results],
            [r['pixel_anomalous'] for r in results])
    if localisation_on(region_auc, results, 'region_error', 'region_auc',
                       owner):
        metrics.update(region_metrics(results))
    for vid, fields in videos.items():
        fields['score_smoothed'] = smoothed[vid]
    return metrics, videos


def scores_file_data(videos: Mapping[str, dict],
                     metrics: Mapping[str, Any],
                     dataset_meta: Optional[Mapping] = None,
                     smoothing_window: Optional[int] = 17,
                     smoothing: str = 'median',
                     smoothing_sigma: Optional[float] = None,
                     normalize_per_video: bool = False,
                     per_scene: bool = False) -> Dict[str, Any]:
    """The scores-file dict (:func:`dump_scores`) of :func:`vad_metrics`'s
    videos and metrics: ``meta`` holds the settings, ``clip_len`` and the
    metrics."""
    meta = dict(
        smoothing_window=smoothing_window,
        smoothing=smoothing,
        smoothing_sigma=smoothing_sigma,
        normalize_per_video=normalize_per_video,
        per_scene=per_scene,
        clip_len=(dataset_meta or {}).get('clip_len'),
        metrics=dict(metrics))
    return dict(videos=dict(videos), meta=meta)
