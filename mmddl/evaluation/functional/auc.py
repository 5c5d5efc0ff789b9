"""Frame-level ROC AUC over test videos: pooled, per video and per scene.

Inputs are dicts ``video_id -> (N,) array`` of scores and of 0/1 labels
(1 = anomalous), one entry per scored frame. All AUCs are fractions in
[0, 1] computed by ``sklearn.metrics.roc_auc_score``.

Rules:
    - micro (pooled): every frame of every video in one ROC; the headline.
    - macro (per video): the mean of per-video AUCs. A video whose frames
      are all one class (e.g. the 4 entirely anomalous Ped2 test videos) has
      no ROC: it is left out of the mean, and the ids left out are returned.
    - per scene: the pooled AUC of the videos of each scene (ShanghaiTech:
      the scene is the part of the video id before ``_``); a scene whose
      frames are all one class is left out the same way. Their median is the
      ShanghaiTech headline of the paper.

Example:
    >>> import numpy as np
    >>> scores = {'a': np.array([.1, .9, .2]), 'b': np.array([.15, .4])}
    >>> labels = {'a': np.array([0, 1, 0]), 'b': np.array([1, 1])}
    >>> round(micro_auc(scores, labels), 4)
    0.8333
    >>> macro = macro_auc(scores, labels)
    >>> macro.mean, macro.left_out
    (1.0, ['b'])
"""
from typing import Callable, Dict, List, Mapping, NamedTuple

import numpy as np
from sklearn.metrics import roc_auc_score

VideoArrays = Mapping[str, np.ndarray]


class MacroAUC(NamedTuple):
    """Per-group AUCs and their mean.

    Attributes:
        mean (float): Mean of ``per_group``; NaN when every group was left
            out.
        per_group (dict): group id -> AUC of the groups with both classes.
        left_out (list): ids of the groups whose frames are all one class.
    """
    mean: float
    per_group: Dict[str, float]
    left_out: List[str]


def _check_pairs(scores: Mapping, labels: Mapping) -> None:
    if set(scores) != set(labels):
        raise ValueError('scores and labels name different videos: '
                         f'{sorted(set(scores) ^ set(labels))}')
    for vid in scores:
        s, y = np.asarray(scores[vid]), np.asarray(labels[vid])
        if s.ndim != 1 or s.shape != y.shape:
            raise ValueError(f'video {vid}: scores {s.shape} and labels '
                             f'{y.shape} must be equal 1-D shapes')
        if not np.isin(y, (0, 1)).all():
            raise ValueError(f'video {vid}: labels must be 0 or 1, got '
                             f'{sorted(set(np.unique(y).tolist()))}')


def _pooled_auc(scores: List[np.ndarray], labels: List[np.ndarray]) -> float:
    y = np.concatenate([np.asarray(v) for v in labels]) if labels else []
    s = np.concatenate([np.asarray(v) for v in scores]) if scores else []
    if len(np.unique(y)) < 2:
        return float('nan')
    return float(roc_auc_score(y, s))


def micro_auc(scores: Mapping[str, np.ndarray],
              labels: Mapping[str, np.ndarray]) -> float:
    """Pooled ROC AUC over all frames of all videos.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) scores.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.

    Returns:
        float: the AUC.

    Raises:
        ValueError: if the pooled labels are all one class (no ROC).
    """
    _check_pairs(scores, labels)
    vids = sorted(scores)
    auc = _pooled_auc([scores[v] for v in vids], [labels[v] for v in vids])
    if np.isnan(auc):
        raise ValueError('the frame AUC is undefined: all labels of the '
                         f'{len(vids)} videos are one class')
    return auc


def macro_auc(scores: Mapping[str, np.ndarray],
              labels: Mapping[str, np.ndarray]) -> MacroAUC:
    """Mean of per-video ROC AUCs; all-one-class videos are left out.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) scores.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.

    Returns:
        MacroAUC: the mean, the per-video AUCs and the ids left out.
    """
    return grouped_auc(scores, labels, group_of=lambda vid: vid)


def macro_auc_padded(scores: Mapping[str, np.ndarray],
                     labels: Mapping[str, np.ndarray]) -> float:
    """Mean of per-video ROC AUCs with every video padded by one normal
    and one anomalous frame, the rule of AED-MAE and SSPCAB's evaluation.

    They prepend label 0 with score 0 and append label 1 with score 1 to
    each video's min-max normalised scores, so every video, also one whose
    frames are all one class, has an AUC. Here the pads take the video's own
    lowest and highest score, which is the same rule for normalised scores
    and independent of the scores' scale otherwise.

    Example:
        >>> import numpy as np
        >>> round(macro_auc_padded({'a': np.array([.2, .4])},
        ...                        {'a': np.array([0, 0])}), 4)
        0.8333
    """
    _check_pairs(scores, labels)
    aucs = []
    for vid in scores:
        score = np.asarray(scores[vid], dtype=np.float64)
        label = np.asarray(labels[vid])
        low, high = (score.min(), score.max()) if score.size else (0., 1.)
        aucs.append(roc_auc_score(np.r_[0, label, 1],
                                  np.r_[low, score, high]))
    return float(np.mean(aucs))


def grouped_auc(scores: VideoArrays, labels: VideoArrays,
                group_of: Callable[[str], str]) -> MacroAUC:
    """Pooled AUC within each group of videos, and the mean over groups.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) scores.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.
        group_of (Callable[[str], str]): video id -> group id.

    Returns:
        MacroAUC: mean over groups with both classes, per-group AUCs, and
        the groups left out (all frames one class), all sorted by group id.
    """
    _check_pairs(scores, labels)
    groups: Dict[str, List[str]] = {}
    for vid in sorted(scores):
        groups.setdefault(str(group_of(vid)), []).append(vid)
    per_group, left_out = {}, []
    for group in sorted(groups):
        vids = groups[group]
        auc = _pooled_auc([scores[v] for v in vids], [labels[v] for v in vids])
        if np.isnan(auc):
            left_out.append(group)
        else:
            per_group[group] = auc
    mean = float(np.mean(list(per_group.values()))) if per_group \
        else float('nan')
    return MacroAUC(mean, per_group, left_out)


def scene_of(video_id: str) -> str:
    """ShanghaiTech scene of a video id: the part before ``_``
    (``'01_0014'`` -> ``'01'``); an id without ``_`` is its own scene."""
    return str(video_id).split('_', 1)[0]


def per_scene_auc(scores: Mapping[str, np.ndarray],
                  labels: Mapping[str, np.ndarray],
                  scene_fn: Callable[[str], str] = scene_of) -> MacroAUC:
    """Pooled AUC of each scene's videos (see :func:`grouped_auc`).

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) scores.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.
        scene_fn (Callable[[str], str]): video id -> scene.
            Defaults to :func:`scene_of`.

    Returns:
        MacroAUC: per-scene AUCs (``mean`` is their mean; use
        :func:`median_of` for the paper's median).
    """
    return grouped_auc(scores, labels, group_of=scene_fn)


def median_of(aucs: Mapping[str, float]) -> float:
    """Median of a dict of AUCs; NaN when it is empty."""
    return float(np.median(list(aucs.values()))) if aucs else float('nan')
