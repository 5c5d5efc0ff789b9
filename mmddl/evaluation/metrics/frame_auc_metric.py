"""Frame-level ROC AUC of a VAD test set (docs/method.md, sec. 8).

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
import os
import os.path as osp
from collections import defaultdict
from typing import Any, Dict, List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.structures import BaseDataElement

from mmddl.registry import METRICS
from mmddl.visualization import (save_heatmap_strip, save_video_score_curve,
                                 video_file_stem)
from ..functional import (check_smoothing, dump_scores, frame_auc_report,
                          macro_auc, median_smooth)
from ..functional.pixel_auc import (pixel_criterion_score,
                                    pixel_level_auc)
from ..functional.region_detection import (RegionDetectionAccumulator,
                                           downsample_for_regions,
                                           sweep_thresholds)
from ..functional.scores_file import FORMATS
from .top_scoring_frames import TopScoringFrames

# How many frame indices an error message lists before it says "... and N
# more": enough to see the pattern, short enough to read.
_MAX_LISTED = 12


def _scalar(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().reshape(-1)[0].item()
    if isinstance(value, np.ndarray):
        return value.reshape(-1)[0].item()
    return value


def _listed(indices: Sequence[int]) -> str:
    indices = [int(i) for i in indices]
    shown = ', '.join(map(str, indices[:_MAX_LISTED]))
    more = len(indices) - _MAX_LISTED
    return f'[{shown}{f", ... and {more} more" if more > 0 else ""}]'


@METRICS.register_module()
class FrameAUCMetric(BaseMetric):
    """Frame-level ROC AUC over the test videos, with scores and plots.

    ``process`` keeps per frame only the video id, frame index, label and
    score (plus, with ``show_dir``, a small frame and error map for the
    ``heatmap_topk`` x 3 top-scoring frames of each video). After mmengine
    has gathered the results of all ranks, ``compute_metrics`` puts them
    back in frame order per video, checks that every frame with a full
    window got exactly one score, smooths each video with a median filter
    and returns (AUCs are fractions in [0, 1]):

    - ``auc``: pooled (micro) AUC of all frames, the headline;
    - ``auc_macro``: mean of per-video AUCs, leaving out videos whose frames
      are all one class; ``auc_macro_left_out``: how many were left out;
    - ``auc_unsmoothed``: pooled AUC without smoothing, for reference;
    - with ``per_scene``: ``auc_scene<S>`` per scene (the video-id prefix
      before ``_``), ``auc_scene_median`` and ``auc_scene_left_out``.

    The check uses ``dataset_meta['video_lengths']`` (video id -> frames)
    and ``dataset_meta['clip_len']`` (T): frames (T-1)//2 .. N-1-(T-1)//2 of
    every video must each have one score. Without ``video_lengths`` only
    duplicates are checked, with a warning.

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
            ``test_pixel_mask``) and the streaming test loop. Defaults to
            False.
        region_auc (bool): Also report ``rbdc`` and ``tbdc``, the region-
            and track-based detection criteria of Ramachandra and Jones
            (WACV 2020, :mod:`mmddl.evaluation.functional.region_detection`;
            IoU 0.1, a track counts when 10 % of its regions are detected,
            FPR per frame in [0, 1], up to 128 thresholds); needs the same
            pixel masks (the streaming loop loads them with
            ``pixel_auc=True``). Defaults to False.
        region_size (int): Longest side in pixels of the error maps and
            masks kept per frame for ``region_auc`` (about 2.1 bytes per
            pixel, e.g. 8.7 kB per frame at 64 x 64). Defaults to 64.
        normalize_per_video (bool): Min-max normalise each video's scores
            before the AUCs. Defaults to False.
        per_scene (bool): Also report per-scene AUCs and their median
            (ShanghaiTech). Defaults to False.
        out_file (str, optional): Write per-video raw and smoothed scores,
            labels and frame indices here (.pkl, .json or .npz).
            Defaults to None.
        show_dir (str, optional): Write per video a score plot
            ``<video>_scores.png`` and a heat-map strip
            ``<video>_heatmaps.png`` here. Defaults to None.
        heatmap_topk (int): Heat maps per video, taken from the highest raw
            scores at least ``max(1, smoothing_window // 2)`` frames apart.
            Defaults to 3.
        heatmap_size (int): Longest side in pixels of the frames and error
            maps kept for heat maps. Defaults to 128.
        collect_device (str): 'cpu' or 'gpu', for gathering across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to None,
            i.e. ``default_prefix`` 'vad'.
        collect_dir (str, optional): Folder for gathering on 'cpu'.
            Defaults to None.
    """
    default_prefix: Optional[str] = 'vad'

    def __init__(self,
                 smoothing_window: Optional[int] = 17,
                 normalize_per_video: bool = False,
                 per_scene: bool = False,
                 smoothing: str = 'median',
                 smoothing_sigma: Optional[float] = None,
                 pixel_auc: bool = False,
                 region_auc: bool = False,
                 region_size: int = 64,
                 out_file: Optional[str] = None,
                 show_dir: Optional[str] = None,
                 heatmap_topk: int = 3,
                 heatmap_size: int = 128,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        median_smooth(np.zeros(1), smoothing_window)  # validates the window
        check_smoothing(smoothing, smoothing_window, smoothing_sigma)
        if out_file is not None and \
                osp.splitext(out_file)[1].lower() not in FORMATS:
            raise ValueError(f'FrameAUCMetric out_file={out_file!r}: use one '
                             f'of the extensions {", ".join(FORMATS)}')
        if heatmap_topk < 1 or heatmap_size < 8:
            raise ValueError('FrameAUCMetric needs heatmap_topk >= 1 and '
                             f'heatmap_size >= 8, got {heatmap_topk} and '
                             f'{heatmap_size}')
        if region_size < 8:
            raise ValueError('FrameAUCMetric needs region_size >= 8, got '
                             f'{region_size}')
        self.smoothing_window = smoothing_window
        self.smoothing = smoothing
        self.pixel_auc = bool(pixel_auc)
        self.region_auc = bool(region_auc)
        self.region_size = region_size
        self.smoothing_sigma = smoothing_sigma
        self.normalize_per_video = normalize_per_video
        self.per_scene = per_scene
        self.out_file = out_file
        self.show_dir = show_dir
        self.heatmap_topk = heatmap_topk
        self.heatmap_size = heatmap_size
        # 3x candidates so that k moments a few frames apart can be chosen.
        self._top_frames = TopScoringFrames(3 * heatmap_topk)

    # ------------------------------------------------------------ process
    def process(self, data_batch: Any, data_samples: Sequence) -> None:
        """Keep the score and key of each sample (and heat-map material).

        Args:
            data_batch (Any): The dataloader batch; with ``show_dir`` its
                ``inputs`` (uint8 (C, T, H, W) per sample) give the frames.
            data_samples (Sequence[dict | VADDataSample]): The model outputs
                with ``video_id``, ``frame_index``, ``gt_label`` and
                ``pred_score`` (and ``error_map`` for heat maps).
        """
        for i, sample in enumerate(data_samples):
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            missing = [
                k
                for k in ('video_id', 'frame_index', 'gt_label', 'pred_score')
                if k not in sample
            ]
            if missing:
                raise KeyError(f'FrameAUCMetric: a data sample lacks '
                               f'{missing}; the model must set pred_score '
                               'in predict mode and the dataset the rest')
            result = dict(
                video_id=str(sample['video_id']),
                frame_index=int(_scalar(sample['frame_index'])),
                gt_label=int(_scalar(sample['gt_label'])),
                pred_score=float(_scalar(sample['pred_score'])))
            if self.pixel_auc:
                result.update(self._pixel_result(sample))
            if self.region_auc:
                result.update(self._region_result(sample))
            if self.show_dir is not None and 'error_map' in sample:
                self._top_frames.offer(
                    result,
                    lambda: self._heatmap_material(data_batch, i, sample))
            self.results.append(result)

    @staticmethod
    def _map_and_mask(sample: dict, option: str) -> tuple:
        """The sample's (H, W) error map and bool ground-truth mask."""
        if 'gt_mask' not in sample or 'error_map' not in sample:
            raise KeyError(f'FrameAUCMetric({option}=True): a data sample '
                           'lacks gt_mask or error_map; the streaming test '
                           'loop sets them when the dataset has pixel masks')
        error, mask = (np.asarray(
            v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else v)
                       for v in (sample['error_map'], sample['gt_mask']))
        error = error.reshape(error.shape[-2:])
        mask = mask.reshape(mask.shape[-2:]).astype(bool)
        return error, mask

    def _pixel_result(self, sample: dict) -> dict:
        """The frame's pixel-criterion number (see ``pixel_auc``)."""
        error, mask = self._map_and_mask(sample, 'pixel_auc')
        return dict(pixel_score=pixel_criterion_score(error, mask),
                    pixel_anomalous=bool(mask.any()))

    def _region_result(self, sample: dict) -> dict:
        """The frame's small error map and mask (see ``region_auc``)."""
        error, mask = downsample_for_regions(
            *self._map_and_mask(sample, 'region_auc'), self.region_size)
        # float16 relative to the frame's largest error keeps 3 significant
        # digits at any error scale in half the bytes of float32
        scale = float(error.max()) if error.max() > 0 else 1.0
        return dict(region_error=(error / scale).astype(np.float16),
                    region_scale=scale,
                    region_mask=np.packbits(mask),
                    region_shape=mask.shape)

    @staticmethod
    def _region_metrics(results: List[dict]) -> Dict[str, float]:
        """``rbdc`` and ``tbdc`` over the frames, in video frame order."""
        rows = sorted(results,
                      key=lambda r: (r['video_id'], r['frame_index']))
        maps = [
            r['region_error'].astype(np.float32) * np.float32(
                r['region_scale']) for r in rows
        ]
        accumulator = RegionDetectionAccumulator(sweep_thresholds(maps))
        for r, error in zip(rows, maps):
            shape = tuple(r['region_shape'])
            mask = np.unpackbits(
                r['region_mask'], count=int(np.prod(shape))).reshape(shape)
            accumulator.add(error, mask, r['video_id'], r['frame_index'])
        return dict(rbdc=accumulator.rbdc(), tbdc=accumulator.tbdc())

    def _heatmap_material(self, data_batch: Any, index: int,
                          sample: dict) -> dict:
        """A downsampled centre frame (RGB uint8 or None) and error map."""
        error = sample['error_map']
        if isinstance(error, torch.Tensor):
            error = error.detach().float().cpu().numpy()
        error = np.asarray(error, dtype=np.float32)
        error = error.reshape(error.shape[-2:])
        frame = self._centre_frame(data_batch, index, sample)
        height, width = frame.shape[:2] if frame is not None else error.shape
        scale = min(1.0, self.heatmap_size / max(height, width))
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        error = cv2.resize(error, size, interpolation=cv2.INTER_AREA)
        if frame is not None:
            frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        return dict(frame=frame, error_map=error.astype(np.float16))

    @staticmethod
    def _centre_frame(data_batch: Any, index: int,
                      sample: dict) -> Optional[np.ndarray]:
        inputs = data_batch.get('inputs') if isinstance(data_batch,
                                                        dict) else None
        if inputs is None or len(inputs) <= index:
            return None
        clip = inputs[index]
        if not isinstance(clip, torch.Tensor) or clip.ndim != 4:
            return None
        frame_inds = sample.get('frame_inds')
        frame_inds = [] if frame_inds is None else [int(i) for i in frame_inds]
        centre = int(_scalar(sample['frame_index']))
        if centre in frame_inds:
            position = frame_inds.index(centre)
        else:
            position = (clip.shape[1] - 1) // 2
        frame = clip[:, position].detach().cpu()
        if frame.dtype != torch.uint8:
            scale = 255.0 if frame.max() <= 1.0 else 1.0
            frame = (frame.float() * scale).clamp(0, 255).to(torch.uint8)
        frame = frame.permute(1, 2, 0).numpy()
        if frame.shape[2] == 1:
            frame = np.repeat(frame, 3, axis=2)
        return np.ascontiguousarray(frame[..., :3])

    def evaluate(self, size: int) -> dict:
        try:
            return super().evaluate(size)
        finally:
            self._top_frames.clear()

    # ------------------------------------------------------------ compute
    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Order, check, smooth and score the gathered results.

        Args:
            results (list[dict]): What ``process`` kept, from every rank.

        Returns:
            dict: The AUCs listed in the class docstring.
        """
        # None pads ranks to a common length in the streaming loops
        # (mmddl.engine.runner); it carries no frame.
        results = [r for r in results if r is not None]
        if not results:
            raise ValueError('FrameAUCMetric got no scores: was the test '
                             'set empty?')
        videos = self._ordered_videos(results)
        scores = {v: f['score_raw'] for v, f in videos.items()}
        labels = {v: f['label'] for v, f in videos.items()}
        metrics, smoothed = frame_auc_report(scores, labels,
                                             self.smoothing_window,
                                             self.normalize_per_video,
                                             self.per_scene, self.smoothing,
                                             self.smoothing_sigma)
        if self.pixel_auc:
            metrics['auc_pixel'] = pixel_level_auc(
                [r['pixel_score'] for r in results],
                [r['pixel_anomalous'] for r in results])
        if self.region_auc:
            metrics.update(self._region_metrics(results))
        for vid, fields in videos.items():
            fields['score_smoothed'] = smoothed[vid]
        if self.out_file is not None:
            self._write_scores(videos, metrics)
        if self.show_dir is not None:
            self._draw(videos, smoothed, labels, results)
        return metrics

    def _ordered_videos(self, results: List[dict]) -> Dict[str, dict]:
        """Per video, frame-ordered arrays; fail loudly on bad coverage."""
        grouped = defaultdict(list)
        for r in results:
            grouped[r['video_id']].append(
                (r['frame_index'], r['gt_label'], r['pred_score']))
        problems = []
        videos = {}
        for vid in sorted(grouped):
            rows = np.array(sorted(grouped[vid]), dtype=np.float64)
            index = rows[:, 0].astype(np.int64)
            uniq, counts = np.unique(index, return_counts=True)
            if (counts > 1).any():
                problems.append(f'video {vid}: duplicated scores for frames '
                                f'{_listed(uniq[counts > 1])}')
            label = rows[:, 1].astype(np.int64)
            bad = np.unique(label[(label != 0) & (label != 1)])
            if bad.size:
                problems.append(f'video {vid}: labels must be 0 or 1, got '
                                f'{bad.tolist()} (unlabelled test data?)')
            if not np.isfinite(rows[:, 2]).all():
                problems.append(f'video {vid}: non-finite scores for frames '
                                f'{_listed(index[~np.isfinite(rows[:, 2])])}')
            videos[vid] = dict(
                frame_index=index, label=label, score_raw=rows[:, 2])
        problems += self._coverage_problems(videos)
        if problems:
            raise ValueError('FrameAUCMetric: the scores do not cover the '
                             'test set exactly once:\n  ' +
                             '\n  '.join(problems))
        return videos

    def _coverage_problems(self, videos: Dict[str, dict]) -> List[str]:
        meta = self.dataset_meta or {}
        lengths = meta.get('video_lengths')
        if lengths is None:
            print_log(
                'FrameAUCMetric: dataset_meta has no video_lengths, so it '
                'cannot check that every frame was scored',
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
                    f'video {vid}: no score for frames {_listed(missing)} '
                    f'(expected {half}..{int(length) - 1 - half})')
            if extra.size:
                problems.append(
                    f'video {vid}: scores for frames {_listed(extra)} outside '
                    f'the full-window range {half}..{int(length) - 1 - half}')
        return problems

    # ------------------------------------------------------------ outputs
    def _settings(self) -> dict:
        meta = self.dataset_meta or {}
        return dict(
            smoothing_window=self.smoothing_window,
            smoothing=self.smoothing,
            smoothing_sigma=self.smoothing_sigma,
            normalize_per_video=self.normalize_per_video,
            per_scene=self.per_scene,
            clip_len=meta.get('clip_len'))

    def _write_scores(self, videos: Dict[str, dict], metrics: dict) -> None:
        meta = dict(self._settings(), metrics=metrics)
        dump_scores(dict(videos=videos, meta=meta), self.out_file)
        print_log(
            f'FrameAUCMetric: scores written to {self.out_file}',
            logger='current')

    def _draw(self, videos: Dict[str, dict], smoothed: Dict[str, np.ndarray],
              labels: Dict[str, np.ndarray], results: List[dict]) -> None:
        os.makedirs(self.show_dir, exist_ok=True)
        aucs = macro_auc(smoothed, labels).per_group
        candidates = defaultdict(list)
        for r in results:
            if 'heatmap' in r:
                candidates[r['video_id']].append(r)
        if not candidates:
            print_log(
                'FrameAUCMetric: the data samples carry no error_map, so no '
                'heat maps are drawn',
                logger='current',
                level=logging.WARNING)
        for vid, fields in videos.items():
            save_video_score_curve(self.show_dir, vid, fields, aucs.get(vid))
            panels = self._pick_moments(candidates.get(vid, []))
            if panels:
                save_heatmap_strip(
                    osp.join(self.show_dir,
                             f'{video_file_stem(vid)}_heatmaps.png'),
                    panels,
                    title=f'{vid}: highest-scoring frames')
        print_log(
            f'FrameAUCMetric: plots written to {self.show_dir}',
            logger='current')

    def _pick_moments(self, candidates: List[dict]) -> List[dict]:
        """Top-k scores at least ``gap`` frames apart, in frame order."""
        gap = max(1, (self.smoothing_window or 1) // 2)
        chosen = []
        for r in sorted(candidates, key=lambda r: -r['pred_score']):
            if all(
                    abs(r['frame_index'] - c['frame_index']) >= gap
                    for c in chosen):
                chosen.append(r)
            if len(chosen) == self.heatmap_topk:
                break
        return [
            dict(
                frame=r['heatmap']['frame'],
                error_map=r['heatmap']['error_map'].astype(np.float32),
                frame_index=r['frame_index'],
                score=r['pred_score'])
            for r in sorted(chosen, key=lambda r: r['frame_index'])
        ]
