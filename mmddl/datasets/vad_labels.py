"""Readers of the frame-label formats of the public VAD datasets.

Every reader returns 0/1 ``uint8`` arrays, one per video, and raises an error
naming the file (and video) when a label does not fit the frames.

Example:
    >>> ranges_to_labels([(2, 3)], 5, 'Test001', 'UCSDped2.m').tolist()
    [0, 1, 1, 0, 0]
"""
import re
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .vad_layout import list_frames


def load_mat(path: str) -> dict:
    """Load a MATLAB file; v7.3 (HDF5) files need ``h5py``.

    Returns:
        dict: variable name -> value, as :func:`scipy.io.loadmat` gives it,
        except that HDF5 cell arrays come back as ``(1, N)`` object arrays.
    """
    from scipy.io import loadmat
    try:
        return loadmat(path)
    except NotImplementedError:
        # scipy raises this for v7.3 files, which are HDF5 containers.
        pass
    try:
        import h5py
    except ImportError as exc:
        raise ImportError(
            f'{path} is a MATLAB v7.3 (HDF5) file, which scipy cannot read; '
            'install h5py (`pip install h5py`) to read it') from exc
    out = {}
    with h5py.File(path, 'r') as f:
        for key, item in f.items():
            if key.startswith('#'):
                continue
            data = item[()]
            if data.dtype == h5py.ref_dtype:
                # A cell array: each element references an array, stored
                # transposed because MATLAB is column-major.
                cells = np.empty((1, data.size), dtype=object)
                for i, ref in enumerate(data.reshape(-1)):
                    cells[0, i] = np.asarray(f[ref][()]).T
                out[key] = cells
            else:
                out[key] = np.asarray(data).T
    return out


def ranges_to_labels(ranges: Sequence[Tuple[int, int]], num_frames: int,
                     video_id: str, source: str) -> np.ndarray:
    """Turn 1-based inclusive ``[start, end]`` anomaly ranges into labels."""
    labels = np.zeros(num_frames, dtype=np.uint8)
    for start, end in ranges:
        start, end = int(start), int(end)
        if not 1 <= start <= end <= num_frames:
            raise ValueError(
                f'{source}: anomaly range [{start}, {end}] of video '
                f'{video_id} does not fit its {num_frames} frames '
                '(ranges are 1-based and inclusive)')
        labels[start - 1:end] = 1
    return labels


def _cells(value) -> List[np.ndarray]:
    """The elements of a MATLAB cell array as loaded by scipy/h5py."""
    value = np.asarray(value)
    if value.dtype == object:
        return [np.asarray(v) for v in value.reshape(-1)]
    return [value]


def read_gt_ranges_mat(path: str, video_ids: Sequence[str],
                       lengths: Sequence[int]) -> Dict[str, np.ndarray]:
    """Labels from an FFP-style ``<name>.mat``: key ``gt``, one 2 x K array
    of 1-based inclusive [start; end] ranges per video, in sorted order."""
    mat = load_mat(path)
    if 'gt' not in mat:
        raise KeyError(f'{path} has no variable "gt" (found: '
                       f'{sorted(k for k in mat if not k.startswith("__"))})')
    cells = _cells(mat['gt'])
    if len(cells) != len(video_ids):
        raise ValueError(f'{path} holds anomaly ranges for {len(cells)} '
                         f'videos but {len(video_ids)} test videos were '
                         f'found')
    out = {}
    for vid, n, cell in zip(video_ids, lengths, cells):
        cell = cell.astype(np.int64)
        if cell.size == 0:
            ranges = []
        elif cell.ndim == 1 and cell.size == 2:
            ranges = [tuple(cell)]
        elif cell.ndim == 2 and cell.shape[0] == 2:
            ranges = [tuple(col) for col in cell.T]
        else:
            raise ValueError(f'{path}: the ranges of video {vid} have shape '
                             f'{cell.shape}; expected 2 x K [start; end]')
        out[vid] = ranges_to_labels(ranges, n, vid, path)
    return out


def read_concatenated_npy(path: str, video_ids: Sequence[str],
                          lengths: Sequence[int]) -> Dict[str, np.ndarray]:
    """Labels from one ``frame_labels_<name>.npy``: all test videos
    concatenated in sorted order, shape (1, N) or (N,)."""
    labels = np.load(path)
    if labels.ndim == 2 and labels.shape[0] == 1:
        labels = labels[0]
    if labels.ndim != 1:
        raise ValueError(f'{path} has shape {labels.shape}; expected (N,) '
                         'or (1, N)')
    total = int(sum(lengths))
    if labels.size != total:
        raise ValueError(
            f'{path} holds {labels.size} frame labels but the '
            f'{len(video_ids)} test videos have {total} frames in all')
    out, start = {}, 0
    for vid, n in zip(video_ids, lengths):
        out[vid] = (labels[start:start + n] > 0).astype(np.uint8)
        start += n
    return out


def read_per_video_npy(path: str, video_id: str,
                       num_frames: int) -> np.ndarray:
    """Labels of one video from a 0/1 ``.npy`` (ShanghaiTech's
    ``test_frame_mask/<video>.npy``)."""
    labels = np.load(path).reshape(-1)
    check_label_length(labels.size, num_frames, video_id, path)
    return (labels > 0).astype(np.uint8)


def check_label_length(num_labels: int, num_frames: int, video_id: str,
                       source: str) -> None:
    """Raise naming both numbers when labels and frames disagree."""
    if num_labels != num_frames:
        raise ValueError(
            f'{source} gives {num_labels} frame labels for video {video_id}, '
            f'which has {num_frames} frames')


_GT_FRAME = re.compile(r'gt_frame\s*=\s*\[([^\]]*)\]')


def parse_ucsd_m_file(path: str) -> List[List[Tuple[int, int]]]:
    """The ``gt_frame`` ranges of a UCSD ``.m`` file, one list per video in
    file order, e.g. ``TestVideoFile{end+1}.gt_frame = [61:180];``."""
    with open(path) as f:
        text = f.read()
    videos = []
    for body in _GT_FRAME.findall(text):
        ranges = []
        for part in re.split(r'[,;\s]+', body.strip()):
            if not part:
                continue
            bounds = part.split(':')
            try:
                if len(bounds) == 1:
                    ranges.append((int(bounds[0]), int(bounds[0])))
                elif len(bounds) == 2:
                    ranges.append((int(bounds[0]), int(bounds[1])))
                else:
                    raise ValueError
            except ValueError:
                raise ValueError(
                    f'{path}: cannot read gt_frame range "{part}" of video '
                    f'{len(videos) + 1}') from None
        videos.append(ranges)
    if not videos:
        raise ValueError(f'{path} holds no "gt_frame = [...]" ranges')
    return videos


def read_mask_images(mask_dir: str, video_id: str,
                     num_frames: int) -> np.ndarray:
    """(L, H, W) bool pixel masks from a folder of mask images (Ped2's
    ``TestNNN_gt``): a pixel is anomalous when it is positive in any
    channel."""
    import cv2
    paths = list_frames(mask_dir)
    check_label_length(len(paths), num_frames, video_id, mask_dir)
    masks = []
    for p in paths:
        mask = cv2.imread(p, cv2.IMREAD_UNCHANGED)
        if mask is None:
            raise ValueError(f'Cannot read mask {p}')
        masks.append(mask.reshape(mask.shape[:2] + (-1, )).max(-1) > 0)
    return np.stack(masks)


def read_mask_folder(mask_dir: str, video_id: str,
                     num_frames: int) -> np.ndarray:
    """Frame labels from a folder of pixel masks (Ped2's ``TestNNN_gt``):
    a frame is anomalous when any mask pixel is positive."""
    masks = read_mask_images(mask_dir, video_id, num_frames)
    return masks.any(axis=(1, 2)).astype(np.uint8)


def read_vol_label_masks(path: str, video_id: str,
                         num_frames: int) -> list:
    """The per-frame masks of an Avenue ``<N>_label.mat`` (key
    ``volLabel``, a 1 x N cell), as bool arrays."""
    mat = load_mat(path)
    if 'volLabel' not in mat:
        raise KeyError(f'{path} has no variable "volLabel"')
    cells = _cells(mat['volLabel'])
    check_label_length(len(cells), num_frames, video_id, path)
    return [np.asarray(c) > 0 for c in cells]


def read_vol_label_mat(path: str, video_id: str,
                       num_frames: int) -> np.ndarray:
    """Frame labels from an Avenue ``<N>_label.mat``: key ``volLabel``, a
    1 x N cell of per-frame masks; a frame is anomalous when any pixel is."""
    return np.array([m.any() for m in read_vol_label_masks(
        path, video_id, num_frames)], dtype=np.uint8)


def check_label_source(label_source: str, choices) -> str:
    """Return ``label_source`` if it is one of ``choices``, else raise a
    ValueError naming the argument."""
    if label_source not in choices:
        raise ValueError(f'label_source must be one of {tuple(choices)}, '
                         f'got {label_source!r}')
    return label_source
