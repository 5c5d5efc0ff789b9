"""Video anomaly datasets stored as folders of frames (FFP/MNAD layout)."""
import glob
import os.path as osp
import re
from typing import Dict, List, Optional

import numpy as np

from mmddl.registry import DATASETS
from .base_vad_dataset import BaseVADDataset
from .data_root import require_data_root
from .vad_labels import read_concatenated_npy, read_gt_ranges_mat
from .vad_layout import list_frames, list_subdirs, require_dir

SPLIT_DIRS = dict(train='training', test='testing')
FRAMES_LAYOUT = ('<root>/{training,testing}/frames/<video>/<NNN>.jpg, labels '
                 '<root>/<name>.mat (key gt) or '
                 '<root>/frame_labels_<name>.npy'
                 ' (the synthetic set: `python '
                 'tools/make_synthetic_dataset.py <root>` makes it)')


@DATASETS.register_module()
class FrameFolderVADDataset(BaseVADDataset):
    """A VAD dataset in the "frames" layout of the FFP/MNAD copies.

    .. code-block:: none

        <data_root>/training/frames/01/000.jpg ...
        <data_root>/testing/frames/01/000.jpg ...
        <data_root>/<name>.mat                # key gt: per video 2 x K
                                              # 1-based inclusive ranges
        <data_root>/frame_labels_<name>.npy   # or: all test videos, sorted
                                              # and concatenated, (N,)/(1, N)

    Args:
        data_root (str): the root above ``training/`` and ``testing/``.
        label_file (str, optional): the label file, relative to
            ``data_root`` or absolute; ``.mat`` (key ``gt``) or ``.npy``.
            Defaults to None: ``frame_labels_<name>.npy``, else
            ``<name>.mat``, where ``<name>`` is ``dataset_name`` or, for the
            generic dataset, whatever single such file the root holds.
        dataset_name (str, optional): the name in ``metainfo``; defaults to
            the class's name or the ``<name>`` of the label file.
        **kwargs: :class:`BaseVADDataset` arguments (``split``,
            ``clip_len``, ``train_stride``, ``pipeline``, ``test_mode``...).

    Examples:
        >>> from mmddl.datasets import FrameFolderVADDataset
        >>> ds = FrameFolderVADDataset(  # doctest: +SKIP
        ...     data_root='data/synthetic', split='test', clip_len=3)
        >>> ds.metainfo['video_lengths']  # doctest: +SKIP
        {'01': 120, '02': 120, ...}
    """

    DATASET_NAME = None  # the generic dataset takes the label file's name
    # Other names the public label files use for this dataset.
    LABEL_ALIASES = ()

    def __init__(self,
                 data_root: Optional[str] = None,
                 label_file: Optional[str] = None,
                 dataset_name: Optional[str] = None,
                 **kwargs):
        require_data_root(type(self).__name__, data_root)
        self.label_file = label_file
        name = dataset_name or self.DATASET_NAME
        if name is None:
            name = self._name_from_label_file(data_root, label_file)
        self.name = name
        super().__init__(data_root=data_root, dataset_name=name, **kwargs)

    @staticmethod
    def _name_from_label_file(data_root, label_file) -> str:
        if label_file:
            stem = osp.splitext(osp.basename(label_file))[0]
        else:
            found = glob.glob(osp.join(data_root, 'frame_labels_*.npy'))
            found = found or glob.glob(osp.join(data_root, '*.mat'))
            stem = (osp.splitext(osp.basename(found[0]))[0]
                    if len(found) == 1 else osp.basename(
                        osp.normpath(data_root)))
        return re.sub(r'^frame_labels_', '', stem)

    # -- listing ----------------------------------------------------------
    def frames_dir(self, split: Optional[str] = None) -> str:
        """``<root>/{training,testing}/frames`` of a split."""
        split = split or self.split
        return osp.join(self.data_root, SPLIT_DIRS[split], 'frames')

    def list_frame_videos(self) -> List[dict]:
        """Videos of the split in the frames layout, without labels."""
        folder = require_dir(self.frames_dir(), f'{self.split} frames',
                             FRAMES_LAYOUT)
        return [
            dict(video_id=vid, frame_paths=list_frames(osp.join(folder, vid)))
            for vid in list_subdirs(folder)
        ]

    def list_videos(self) -> List[dict]:
        videos = self.list_frame_videos()
        if self.split == 'test':
            labels = self.read_ffp_labels(videos)
            for v in videos:
                v['labels'] = labels[v['video_id']]
        return videos

    # -- labels -----------------------------------------------------------
    def find_label_file(self) -> str:
        """The label file to read (see ``label_file``)."""
        if self.label_file:
            path = self.label_file
            if not osp.isabs(path):
                path = osp.join(self.data_root, path)
            if not osp.isfile(path):
                raise FileNotFoundError(f'label_file {path} does not exist')
            return path
        candidates = []
        for name in (self.name, ) + tuple(self.LABEL_ALIASES):
            candidates += [
                osp.join(self.data_root, f'frame_labels_{name}.npy'),
                osp.join(self.data_root, f'{name}.mat')
            ]
        for path in candidates:
            if osp.isfile(path):
                return path
        raise FileNotFoundError(
            f'No frame labels for {self.name}: expected '
            f'{" or ".join(candidates)} (or set label_file). Layout: '
            f'{FRAMES_LAYOUT}')

    def read_ffp_labels(self,
                        videos: List[dict]) -> Dict[str, np.ndarray]:
        """Labels per video from the ``.mat`` ranges or the single ``.npy``."""
        path = self.find_label_file()
        ids = [v['video_id'] for v in videos]
        lengths = [len(v['frame_paths']) for v in videos]
        if path.endswith('.npy'):
            return read_concatenated_npy(path, ids, lengths)
        if path.endswith('.mat'):
            return read_gt_ranges_mat(path, ids, lengths)
        raise ValueError(f'label_file {path}: expected a .mat or .npy file')
