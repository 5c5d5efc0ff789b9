"""Files written for one scored video: scores CSV, score-curve PNG and the
heat-map video, each written atomically (temporary file, then rename).

Example:
    >>> # result = score_video(model, 'clip.avi', keep_maps=True)
    >>> # save_video_outputs(result, 'out/')
    >>> # {'csv': 'out/clip_scores.csv', 'png': 'out/clip_scores.png',
    >>> #  'video': 'out/clip_heatmap.avi'}
"""
import io
import json
import os.path as osp
import sys
from typing import Dict, List, Optional

from mmddl.utils.atomic_backend import atomic_write_bytes
from mmddl.visualization import (save_score_curve, video_file_stem,
                                 write_heatmap_video)
from .alerts import AlertEvent
from .inference import VideoScores

CSV_HEADER = 'frame_index,score_raw,score_smoothed'


def save_scores_csv(path: str, result: VideoScores) -> str:
    """Write ``frame_index,score_raw,score_smoothed`` rows, one per scored
    frame (scores with 9 significant digits)."""
    text = io.StringIO()
    text.write(CSV_HEADER + '\n')
    for index, raw, smooth in zip(result.frame_inds, result.scores_raw,
                                  result.scores_smoothed):
        text.write(f'{int(index)},{raw:.9g},{smooth:.9g}\n')
    atomic_write_bytes(text.getvalue().encode('utf-8'), path)
    return path


def save_video_outputs(result: VideoScores,
                       out_dir: str,
                       video: bool = True,
                       progress: bool = False,
                       events: Optional[List[AlertEvent]] = None,
                       threshold: Optional[float] = None) -> Dict[str, str]:
    """Write ``<name>_scores.csv``, ``<name>_scores.png`` and (with
    ``video``) ``<name>_heatmap.avi`` into ``out_dir``.

    Args:
        result (VideoScores): from :func:`mmddl.apis.score_video`; with
            ``video`` it must hold the maps (``keep_maps=True``).
        out_dir (str): output folder (created if missing).
        video (bool): write the heat-map video. Defaults to True.
        progress (bool): progress bar while writing the video.
        events (list[AlertEvent], optional): alerts, shaded on the curve
            and written as ``<name>_events.jsonl``.
        threshold (float, optional): the alert threshold, drawn dashed.

    Returns:
        dict: ``csv``, ``png`` and, with ``video``, ``video`` paths.
    """
    stem = video_file_stem(result.name)
    paths = dict(
        csv=save_scores_csv(osp.join(out_dir, f'{stem}_scores.csv'), result))
    smoothed = result.smoothing_window not in (None, 1)
    smoothing = (f'{result.smoothing} {result.smoothing_window}'
                 if smoothed else 'no smoothing')
    paths['png'] = osp.join(out_dir, f'{stem}_scores.png')
    # an arbitrary video has no labels: nothing to shade
    save_score_curve(
        paths['png'],
        result.frame_inds,
        result.scores_raw,
        result.scores_smoothed if smoothed else None,
        None,
        title=f'{result.name}   {len(result.frame_inds)} scored frames '
        f'of {result.num_frames} ({smoothing})',
        events=[(e.start_frame, e.end_frame) for e in events or []],
        threshold=threshold)
    if events is not None:
        paths['events'] = osp.join(out_dir, f'{stem}_events.jsonl')
        atomic_write_bytes(
            ''.join(json.dumps(e.as_dict()) + '\n'
                    for e in events).encode('utf-8'), paths['events'])
    if video:
        if result.error_maps is None or result.frames is None:
            raise ValueError('the heat-map video needs the error maps: '
                             'score_video(..., keep_maps=True)')
        bar = None
        if progress:
            from mmengine.utils import ProgressBar
            bar = ProgressBar(len(result.frame_inds), file=sys.stdout)
        paths['video'] = write_heatmap_video(
            osp.join(out_dir, f'{stem}_heatmap.avi'),
            result.frames,
            result.error_maps,
            result.frame_inds,
            result.scores_raw,
            fps=result.fps,
            on_frame=None if bar is None else bar.update)
        if bar is not None:
            sys.stdout.write('\n')
    return paths
