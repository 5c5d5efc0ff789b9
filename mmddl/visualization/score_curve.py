"""Plot one test video's anomaly score over time.

The raw score is drawn faint, the smoothed score bold, and the frames whose
ground truth is anomalous are shaded, so a reader sees at once whether the
score rises where the anomaly is.

Example:
    >>> import numpy as np
    >>> idx = np.arange(1, 99)
    >>> label = ((idx > 40) & (idx < 70)).astype(int)
    >>> raw = label + 0.3 * np.random.rand(98)
    >>> save_score_curve('/tmp/curve.png', idx, raw, raw, label,
    ...                  title='video 01  AUC 99.0%')
"""
import os.path as osp
import re
from typing import Dict, List, Optional, Tuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .png_writer import new_figure, write_png_figure


def anomalous_runs(frame_index: np.ndarray,
                   label: np.ndarray) -> List[Tuple[int, int]]:
    """(first, last) frame indices of each run of consecutive labelled
    anomalous frames (label 1, frame indices differing by one)."""
    frame_index = np.asarray(frame_index)
    positive = frame_index[np.asarray(label) == 1]
    if positive.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(positive) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [positive.size - 1]])
    return [(int(positive[s]), int(positive[e])) for s, e in zip(starts, ends)]


def draw_score_curve(frame_index: np.ndarray,
                     score_raw: np.ndarray,
                     score_smoothed: Optional[np.ndarray],
                     label: Optional[np.ndarray],
                     title: str = '',
                     events: Optional[List[Tuple[int, int]]] = None,
                     threshold: Optional[float] = None) -> Figure:
    """Draw the score curve of one video.

    Args:
        frame_index (np.ndarray): (N,) frame indices (x axis).
        score_raw (np.ndarray): (N,) raw scores, drawn faint.
        score_smoothed (np.ndarray, optional): (N,) smoothed scores, drawn
            bold; None draws only the raw curve (bold).
        label (np.ndarray, optional): (N,) 0/1 labels; anomalous frames
            are shaded. None (an unlabelled video) draws no shading and no
            ground-truth legend entry.
        title (str): Figure title, e.g. the video id and its AUC.
        events (list[tuple[int, int]], optional): (first, last) frames of
            alert events, shaded orange.
        threshold (float, optional): The alert threshold, drawn dashed.

    Returns:
        Figure: the figure (on an Agg canvas).
    """
    fig = new_figure(10, 3.2)
    ax = fig.add_subplot(1, 1, 1)
    handles = []
    if label is not None:
        for first, last in anomalous_runs(frame_index, label):
            ax.axvspan(
                first - 0.5,
                last + 0.5,
                color='tab:red',
                alpha=0.18,
                linewidth=0)
        handles.append(
            Patch(color='tab:red', alpha=0.18, label='anomalous (GT)'))
    for first, last in events or []:
        ax.axvspan(first - 0.5, last + 0.5, color='tab:orange', alpha=0.25,
                   linewidth=0)
    if events:
        handles.append(Patch(color='tab:orange', alpha=0.25, label='alert'))
    if threshold is not None:
        handles.append(ax.axhline(threshold, color='tab:orange', ls='--',
                                  lw=1.2, label='threshold'))
    if score_smoothed is None:
        handles += ax.plot(
            frame_index, score_raw, color='tab:blue', lw=1.8, label='score')
    else:
        handles += ax.plot(
            frame_index,
            score_raw,
            color='tab:blue',
            lw=0.8,
            alpha=0.35,
            label='raw score')
        handles += ax.plot(
            frame_index,
            score_smoothed,
            color='tab:blue',
            lw=2.0,
            label='smoothed score')
    if len(frame_index):
        ax.set_xlim(frame_index[0] - 0.5, frame_index[-1] + 0.5)
    ax.set_xlabel('frame')
    ax.set_ylabel('anomaly score')
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(
        handles=handles, loc='upper left', fontsize='small', framealpha=0.8)
    return fig


def save_score_curve(path: str, *args, **kwargs) -> None:
    """:func:`draw_score_curve` and write it as a PNG (atomically)."""
    write_png_figure(draw_score_curve(*args, **kwargs), path)


def video_file_stem(video_id: str) -> str:
    """A file-name-safe form of a video id (path separators and other odd
    characters become ``_``)."""
    return re.sub(r'[^A-Za-z0-9._-]+', '_', str(video_id)) or 'video'


def save_video_score_curve(out_dir: str, video_id: str,
                           fields: Dict[str, np.ndarray],
                           auc: Optional[float]) -> str:
    """Write ``<out_dir>/<video>_scores.png`` for one video of a scores dict.

    Args:
        out_dir (str): Folder for the PNG.
        video_id (str): The video id (shown in the title).
        fields (dict): ``frame_index``, ``label``, ``score_raw`` and
            optionally ``score_smoothed`` (N,) arrays (the layout of
            :mod:`mmddl.evaluation.functional.scores_file`).
        auc (float, optional): The video's AUC in [0, 1]; None when it is
            undefined (all frames one class).

    Returns:
        str: the path written.
    """
    auc_text = f'AUC {100 * auc:.1f}%' if auc is not None else \
        'AUC undefined (all frames one class)'
    path = osp.join(out_dir, f'{video_file_stem(video_id)}_scores.png')
    save_score_curve(
        path,
        fields['frame_index'],
        fields['score_raw'],
        fields.get('score_smoothed'),
        fields['label'],
        title=f'{video_id}   {auc_text}')
    return path
