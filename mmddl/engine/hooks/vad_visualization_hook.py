"""Per-video score plots and error heat maps of a test run (``--show-dir``).

OpenMMLab's visualization-hook pattern (mmdet's ``DetVisualizationHook``):
``after_test_iter`` collects from the hook arguments what the drawings
need, ``after_test_epoch`` draws them with :mod:`mmddl.visualization`.
``tools/test.py --show-dir DIR`` adds the hook as
``default_hooks.visualization``.

Example:
    >>> custom_hooks = [dict(type='VADVisualizationHook',
    ...                      show_dir='work_dirs/vis', smoothing_window=17)]
"""
import logging
import os
import os.path as osp
from collections import defaultdict
from typing import Any, Dict, List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info, is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmddl.evaluation.functional import (check_smoothing, macro_auc,
                                         median_smooth, postprocess_scores)
from mmddl.evaluation.functional.vad_results import (as_dict, frame_result,
                                                     group_by_video,
                                                     to_scalar)
from mmddl.evaluation.metrics.top_scoring_frames import TopScoringFrames
from mmddl.registry import HOOKS
from mmddl.visualization import (save_heatmap_strip, save_video_score_curve,
                                 video_file_stem)


def centre_frame(data_batch: Any, index: int,
                 sample: dict) -> Optional[np.ndarray]:
    """The RGB uint8 (H, W, 3) centre frame of sample ``index`` of the batch
    (``inputs``: (C, T, H, W) per sample, uint8 or floats in [0, 1]), or
    None when the batch has no such clip."""
    inputs = data_batch.get('inputs') if isinstance(data_batch,
                                                    dict) else None
    if inputs is None or len(inputs) <= index:
        return None
    clip = inputs[index]
    if not isinstance(clip, torch.Tensor) or clip.ndim != 4:
        return None
    frame_inds = sample.get('frame_inds')
    frame_inds = [] if frame_inds is None else [int(i) for i in frame_inds]
    centre = int(to_scalar(sample['frame_index']))
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


def heatmap_material(data_batch: Any, index: int, sample: dict,
                     size: int = 128) -> dict:
    """A centre frame (RGB uint8 or None) and float16 error map, both at
    most ``size`` pixels on the longest side."""
    error = sample['error_map']
    if isinstance(error, torch.Tensor):
        error = error.detach().float().cpu().numpy()
    error = np.asarray(error, dtype=np.float32)
    error = error.reshape(error.shape[-2:])
    frame = centre_frame(data_batch, index, sample)
    height, width = frame.shape[:2] if frame is not None else error.shape
    scale = min(1.0, size / max(height, width))
    dsize = (max(1, round(width * scale)), max(1, round(height * scale)))
    error = cv2.resize(error, dsize, interpolation=cv2.INTER_AREA)
    if frame is not None:
        frame = cv2.resize(frame, dsize, interpolation=cv2.INTER_AREA)
    return dict(frame=frame, error_map=error.astype(np.float16))


def pick_moments(candidates: Sequence[dict], topk: int,
                 gap: int) -> List[dict]:
    """The ``topk`` highest-scoring candidates at least ``gap`` frames
    apart, as heat-map panels in frame order."""
    chosen: List[dict] = []
    for r in sorted(candidates, key=lambda r: -r['pred_score']):
        if all(abs(r['frame_index'] - c['frame_index']) >= gap
               for c in chosen):
            chosen.append(r)
        if len(chosen) == topk:
            break
    return [
        dict(
            frame=r['heatmap']['frame'],
            error_map=r['heatmap']['error_map'].astype(np.float32),
            frame_index=r['frame_index'],
            score=r['pred_score'])
        for r in sorted(chosen, key=lambda r: r['frame_index'])
    ]


@HOOKS.register_module()
class VADVisualizationHook(Hook):
    """Draws per test video a score plot and a heat-map strip.

    Into ``show_dir``, per video: ``<video>_scores.png`` (raw and smoothed
    score, ground-truth anomalous frames shaded, the video's AUC in the
    title) and, when the outputs carry ``error_map``, ``<video>_heatmaps.png``
    (the error maps over the centre frames of the ``heatmap_topk``
    highest-scoring moments, at least ``max(1, smoothing_window // 2)``
    frames apart).

    ``after_test_iter`` keeps per frame the video id, frame index, label and
    score of ``outputs``; a frame among its video's ``3 * heatmap_topk``
    highest scores so far also keeps a downsampled error map and its centre
    frame, read from ``data_batch['inputs']`` ((C, T, H, W) clips, or the
    (C, 1, H, W) centre frames the streaming loops hand over), and loses
    them when pushed out (:class:`TopScoringFrames`), so memory stays
    bounded. ``after_test_epoch`` gathers the ranks and draws on the main
    process. The score settings should be the test evaluator's
    (``tools/test.py --show-dir`` copies them by key).

    Args:
        show_dir (str, optional): Folder of the PNGs; None draws nothing.
            Defaults to None.
        smoothing_window, smoothing, smoothing_sigma, normalize_per_video:
            How the plotted smoothed score and the AUC in the title are
            computed, as :class:`~mmddl.evaluation.FrameAUCMetric` (same
            defaults).
        heatmap_topk (int): Heat maps per video. Defaults to 3.
        heatmap_size (int): Longest side in pixels of the frames and error
            maps kept for heat maps. Defaults to 128.
        draw_val (bool): Also draw after every validation (into the same
            folder). Defaults to False.
    """
    priority = 'NORMAL'
    # What tools/test.py --show-dir copies from the test evaluator, by key.
    SETTING_KEYS = ('smoothing_window', 'smoothing', 'smoothing_sigma',
                    'normalize_per_video')

    def __init__(self,
                 show_dir: Optional[str] = None,
                 smoothing_window: Optional[int] = 17,
                 smoothing: str = 'median',
                 smoothing_sigma: Optional[float] = None,
                 normalize_per_video: bool = False,
                 heatmap_topk: int = 3,
                 heatmap_size: int = 128,
                 draw_val: bool = False) -> None:
        median_smooth(np.zeros(1), smoothing_window)  # validates the window
        check_smoothing(smoothing, smoothing_window, smoothing_sigma)
        if heatmap_topk < 1 or heatmap_size < 8:
            raise ValueError('VADVisualizationHook needs heatmap_topk >= 1 '
                             f'and heatmap_size >= 8, got {heatmap_topk} '
                             f'and {heatmap_size}')
        self.show_dir = show_dir
        self.smoothing_window = smoothing_window
        self.smoothing = smoothing
        self.smoothing_sigma = smoothing_sigma
        self.normalize_per_video = normalize_per_video
        self.heatmap_topk = heatmap_topk
        self.heatmap_size = heatmap_size
        self.draw_val = draw_val
        self._reset()

    def _reset(self) -> None:
        self.records: List[dict] = []
        # 3x candidates so that k moments a few frames apart can be chosen.
        self._top_frames = TopScoringFrames(3 * self.heatmap_topk)

    # ----------------------------------------------------------- collect
    def collect(self, data_batch: Any, outputs: Optional[Sequence]) -> None:
        """Keep what the drawings need of one batch (see the class doc)."""
        for i, sample in enumerate(outputs or []):
            sample = as_dict(sample)
            record = frame_result(sample, 'VADVisualizationHook')
            if 'error_map' in sample:
                self._top_frames.offer(
                    record, lambda: heatmap_material(data_batch, i, sample,
                                                     self.heatmap_size))
            self.records.append(record)

    def before_test_epoch(self, runner) -> None:
        self._reset()

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Any = None,
                        outputs: Optional[Sequence] = None) -> None:
        if self.show_dir is not None:
            self.collect(data_batch, outputs)

    def after_test_epoch(self,
                         runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        if self.show_dir is not None:
            self.draw(self.show_dir)

    def before_val_epoch(self, runner) -> None:
        self._reset()

    def after_val_iter(self,
                       runner,
                       batch_idx: int,
                       data_batch: Any = None,
                       outputs: Optional[Sequence] = None) -> None:
        if self.draw_val and self.show_dir is not None:
            self.collect(data_batch, outputs)

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        if self.draw_val and self.show_dir is not None:
            self.draw(self.show_dir)

    # -------------------------------------------------------------- draw
    def _gathered(self) -> List[dict]:
        """The records of all ranks (on every rank), each frame once (the
        default sampler pads ranks with repeated samples)."""
        records = self.records
        if get_dist_info()[1] > 1:
            records = [r for part in all_gather_object(records) for r in part]
        unique: Dict[tuple, dict] = {}
        for r in records:
            key = (r['video_id'], r['frame_index'])
            if key not in unique or ('heatmap' in r
                                     and 'heatmap' not in unique[key]):
                unique[key] = r
        return list(unique.values())

    def draw(self, show_dir: str) -> None:
        """Draw what was collected into ``show_dir`` (main process), then
        forget it."""
        records = self._gathered()
        self._reset()
        if not is_main_process():
            return
        if not records:
            print_log(
                'VADVisualizationHook: no outputs were collected, so '
                'nothing is drawn',
                logger='current',
                level=logging.WARNING)
            return
        videos = group_by_video(records)
        smoothed = postprocess_scores(
            {v: f['score_raw']
             for v, f in videos.items()}, self.smoothing_window,
            self.normalize_per_video, self.smoothing, self.smoothing_sigma)
        labels = {v: f['label'] for v, f in videos.items()}
        for vid, fields in videos.items():
            fields['score_smoothed'] = smoothed[vid]
        aucs = macro_auc(smoothed, labels).per_group
        candidates = defaultdict(list)
        for r in records:
            if 'heatmap' in r:
                candidates[r['video_id']].append(r)
        if not candidates:
            print_log(
                'VADVisualizationHook: the outputs carry no error_map, so no '
                'heat maps are drawn',
                logger='current',
                level=logging.WARNING)
        os.makedirs(show_dir, exist_ok=True)
        gap = max(1, (self.smoothing_window or 1) // 2)
        for vid, fields in videos.items():
            save_video_score_curve(show_dir, vid, fields, aucs.get(vid))
            panels = pick_moments(
                candidates.get(vid, []), self.heatmap_topk, gap)
            if panels:
                save_heatmap_strip(
                    osp.join(show_dir,
                             f'{video_file_stem(vid)}_heatmaps.png'),
                    panels,
                    title=f'{vid}: highest-scoring frames')
        print_log(
            f'VADVisualizationHook: plots written to {show_dir}',
            logger='current')
