"""Read and write per-frame test scores (``tools/test.py --out``).

A scores file holds, per test video, the frame indices that were scored, the
0/1 labels, the raw scores and the smoothed (and, if asked, normalised)
scores, plus the settings and metrics of the run:

.. code-block:: python

    dict(
        videos={'01_0014': dict(frame_index=..., label=..., score_raw=...,
                                score_smoothed=...), ...},   # (N,) arrays
        meta=dict(smoothing_window=17, normalize_per_video=False,
                  clip_len=3, metrics={'auc': 0.97, ...}))

The format follows the extension: ``.pkl`` (pickle of the dict above),
``.json`` (arrays as lists) or ``.npz`` (``meta`` as a JSON string,
``video_ids``, and arrays named ``video<i>.<field>``; loads with
``allow_pickle=False``). Files are written atomically.

Example:
    >>> import numpy as np
    >>> video = dict(frame_index=np.arange(1, 4), label=np.array([0, 1, 1]),
    ...              score_raw=np.array([.1, .5, .4]),
    ...              score_smoothed=np.array([.1, .4, .4]))
    >>> dump_scores(dict(videos={'v': video}, meta={}), '/tmp/scores.json')
    >>> load_scores('/tmp/scores.json')['videos']['v']['label']
    array([0, 1, 1])
"""
import io
import json
import os
import os.path as osp
import pickle
from typing import Any, Dict

import numpy as np

from mmddl.utils.atomic_backend import atomic_write_bytes

SCORE_FIELDS = {
    'frame_index': np.int64,
    'label': np.int64,
    'score_raw': np.float64,
    'score_smoothed': np.float64,
}
FORMATS = ('.pkl', '.json', '.npz')


def _format_of(path: str) -> str:
    ext = osp.splitext(str(path))[1].lower()
    if ext not in FORMATS:
        raise ValueError(f'scores file {path}: unknown extension "{ext}"; '
                         f'use one of {", ".join(FORMATS)}')
    return ext


def _normalised(data: Any, path: str) -> Dict[str, Any]:
    """Check the layout and give every array its dtype."""
    if not isinstance(data, dict) or not isinstance(data.get('videos'), dict):
        raise ValueError(f'scores file {path}: expected a dict with a '
                         '"videos" dict')
    videos = {}
    for vid, fields in data['videos'].items():
        missing = [k for k in SCORE_FIELDS if k not in fields]
        if missing:
            raise ValueError(f'scores file {path}: video {vid} lacks '
                             f'{missing}')
        arrays = {
            k: np.asarray(fields[k], dtype=dtype).reshape(-1)
            for k, dtype in SCORE_FIELDS.items()
        }
        if len({a.shape for a in arrays.values()}) != 1:
            raise ValueError(f'scores file {path}: video {vid} has fields '
                             'of different lengths')
        videos[str(vid)] = arrays
    return dict(videos=videos, meta=dict(data.get('meta') or {}))


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f'{type(obj).__name__} is not JSON serialisable')


def dump_scores(data: Dict[str, Any], path: str) -> None:
    """Write a scores dict (layout in the module docstring) to ``path``.

    Args:
        data (dict): ``videos`` and ``meta`` as in the module docstring.
        path (str): Destination ending in .pkl, .json or .npz.
    """
    ext = _format_of(path)
    data = _normalised(data, path)
    if ext == '.pkl':
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    elif ext == '.json':
        payload = json.dumps(data, default=_json_default).encode('utf-8')
    else:
        vids = list(data['videos'])
        arrays = dict(
            meta=np.array(json.dumps(data['meta'], default=_json_default)),
            video_ids=np.array(vids, dtype=str))
        for i, vid in enumerate(vids):
            for field, array in data['videos'][vid].items():
                arrays[f'video{i}.{field}'] = array
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        payload = buffer.getvalue()
    atomic_write_bytes(payload, path)


class UntrustedScoresError(ValueError):
    """A pickled scores file was given without saying it is trusted."""


def load_scores(path: str, trust_pickle: bool = False) -> Dict[str, Any]:
    """Read a scores file written by :func:`dump_scores`.

    ``.json`` and ``.npz`` (read with ``allow_pickle=False``) are data only.
    A ``.pkl`` is unpickled only with ``trust_pickle=True``: unpickling a
    file from someone else can run code.

    Args:
        path (str): A .pkl, .json or .npz scores file.
        trust_pickle (bool): allow reading a ``.pkl``. Defaults to False.

    Returns:
        dict: ``videos`` (video id -> dict of (N,) arrays) and ``meta``.
    """
    ext = _format_of(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'scores file {path} does not exist')
    if ext == '.pkl':
        if not trust_pickle:
            raise UntrustedScoresError(
                f'Refused to read {path}: a .pkl scores file is unpickled, '
                'which can run code. Write scores as .npz or .json (tools/'
                'test.py --out scores.npz), or, for a file you made '
                'yourself, pass --trust-pickle (trust_pickle=True).')
        with open(path, 'rb') as f:
            data = pickle.load(f)  # trusted by the caller
    elif ext == '.json':
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    else:
        with np.load(path, allow_pickle=False) as npz:
            if 'video_ids' not in npz or 'meta' not in npz:
                raise ValueError(f'scores file {path}: not an mmddl scores '
                                 'archive (no video_ids/meta)')
            videos = {
                str(vid): {
                    field: npz[f'video{i}.{field}']
                    for field in SCORE_FIELDS if f'video{i}.{field}' in npz
                }
                for i, vid in enumerate(npz['video_ids'].tolist())
            }
            data = dict(videos=videos, meta=json.loads(str(npz['meta'])))
    return _normalised(data, os.fspath(path))
