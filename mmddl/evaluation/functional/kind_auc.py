"""Frame AUC per kind of anomaly: which anomalies a model finds.

When a test set says what kind of anomaly each anomalous frame shows (the
synthetic set does: ``fast``, ``shape``, ``place``), the pooled AUC hides
which kinds a model finds and which it misses. The AUC of one kind compares
the frames showing that kind (positives) with the normal frames
(negatives); frames showing only other kinds are left out.

Example:
    >>> import numpy as np
    >>> scores = {'a': np.array([.1, .9, .5, .2])}
    >>> labels = {'a': np.array([0, 1, 1, 0])}
    >>> kinds = {'a': [(), ('fast',), ('shape',), ()]}
    >>> auc_by_kind(scores, labels, kinds)
    {'fast': 1.0, 'shape': 1.0}
"""
from typing import Dict, Mapping, Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

from .auc import _check_pairs


def auc_by_kind(scores: Mapping[str, np.ndarray],
                labels: Mapping[str, np.ndarray],
                kinds: Mapping[str, Sequence[Sequence[str]]]
                ) -> Dict[str, float]:
    """Pooled AUC of each anomaly kind against the normal frames.

    Args:
        scores (Mapping[str, np.ndarray]): video id -> (N,) scores.
        labels (Mapping[str, np.ndarray]): video id -> (N,) 0/1 labels.
        kinds (Mapping[str, Sequence[Sequence[str]]]): video id -> per
            scored frame, the kinds of anomaly it shows (empty for a normal
            frame).

    Returns:
        dict: kind -> AUC, sorted by kind; a kind with no normal frame to
        compare with is left out.
    """
    _check_pairs(scores, labels)
    if set(scores) != set(kinds):
        raise ValueError('scores, labels and kinds must name the same '
                         'videos')
    all_kinds = []
    for vid in sorted(scores):
        if len(kinds[vid]) != len(labels[vid]):
            raise ValueError(f'video {vid}: {len(labels[vid])} labels and '
                             f'{len(kinds[vid])} kind lists differ')
        for label, frame_kinds in zip(labels[vid], kinds[vid]):
            if bool(label) != bool(len(frame_kinds)):
                raise ValueError(f'video {vid}: a frame labelled {label} '
                                 f'lists kinds {list(frame_kinds)}')
        all_kinds.extend(kinds[vid])
    s = np.concatenate([np.asarray(scores[v]) for v in sorted(scores)])
    normal = np.concatenate([np.asarray(labels[v])
                             for v in sorted(scores)]) == 0
    if not normal.any():
        return {}
    result = {}
    for kind in sorted({k for frame in all_kinds for k in frame}):
        shows = np.array([kind in frame for frame in all_kinds])
        keep = shows | normal
        result[kind] = float(roc_auc_score(shows[keep], s[keep]))
    return result
