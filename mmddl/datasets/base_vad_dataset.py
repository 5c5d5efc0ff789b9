"""The shared base of mmddl's video anomaly detection datasets.

A subclass lists the videos of a split (id, frame paths, per-frame labels);
this base checks them and indexes the T-frame windows.

Windows: a video of N frames has windows centred on frames
(T-1)/2 .. N-1-(T-1)/2; the first and last (T-1)/2 frames get no window and
their labels are dropped with them. Test windows take every centre, training
windows every ``train_stride``-th.

``data_list`` stays light (ShanghaiTech has 270k training frames): each
window holds only its video index, centre index and label; the frame paths
of a video are held once, in :attr:`videos`, and joined in by
:meth:`get_data_info`.
"""
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.registry import DefaultScope

from .data_root import require_data_root, resolve_pipeline_paths

SPLITS = ('train', 'test')


class BaseVADDataset(BaseDataset):
    """Base of the VAD datasets: videos -> T-frame windows.

    Each item of the dataset (before the pipeline) is a dict with
    ``video_id``, ``frame_index`` (centre), ``frame_inds`` (the T indices),
    ``frame_paths`` (all frames of the video, shared, not to be modified),
    ``gt_label`` (1/0 in test, -1 in training) and ``clip_len``.

    ``metainfo`` holds ``dataset_name``, ``clip_len`` and ``video_lengths``
    (video id -> number of frames).

    Args:
        data_root (str): root folder of the dataset. The pipeline's
            ``cache_dir`` and ``box_cache`` paths, when relative, are
            resolved under it (:mod:`mmddl.datasets.data_root`).
        split (str): 'train' or 'test'. Defaults to 'train'.
        clip_len (int): T, frames per window; odd. Defaults to 3.
        train_stride (int): step between training window centres; test
            windows always take every frame. Defaults to 1.
        pipeline (Sequence[dict | Callable]): transforms. Defaults to ().
        test_mode (bool): as in mmengine. Defaults to False.
        check_counts (bool): compare a copy that looks full with the
            published counts and warn on differences. Defaults to True.
        dataset_name (str, optional): the name in ``metainfo``. Defaults
            to the class's ``DATASET_NAME``.
        **kwargs: other :class:`mmengine.dataset.BaseDataset` arguments.
    """

    DATASET_NAME = 'vad'

    def __init__(self,
                 data_root: Optional[str] = None,
                 split: str = 'train',
                 clip_len: int = 3,
                 train_stride: int = 1,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 check_counts: bool = True,
                 dataset_name: Optional[str] = None,
                 **kwargs):
        require_data_root(type(self).__name__, data_root)
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
        if (not isinstance(clip_len, int) or isinstance(clip_len, bool)
                or clip_len < 1 or clip_len % 2 == 0):
            raise ValueError(
                'clip_len must be a positive odd integer (the window is '
                f'centred on a frame), got {clip_len!r}')
        if (not isinstance(train_stride, int) or train_stride < 1):
            raise ValueError('train_stride must be a positive integer, got '
                             f'{train_stride!r}')
        self.split = split
        self.clip_len = clip_len
        self.train_stride = train_stride
        self.check_counts = check_counts
        self.dataset_name = dataset_name or self.DATASET_NAME
        self.videos: List[dict] = []
        # Transforms are looked up in mmddl's registry (which falls back on
        # mmcv's and mmengine's) even when no default scope is set.
        with DefaultScope.overwrite_default_scope('mmddl'):
            super().__init__(
                data_root=data_root,
                # caches are named relative to the root (.data_root)
                pipeline=resolve_pipeline_paths(pipeline, data_root),
                test_mode=test_mode,
                **kwargs)
        # Set here, not through ``metainfo=``: mmengine takes a string value
        # there for a file to read.
        self._metainfo.update(
            dataset_name=self.dataset_name, clip_len=self.clip_len)

    # -- to implement ---------------------------------------------------
    def list_videos(self) -> List[dict]:
        """The videos of ``self.split`` in sorted order.

        Returns:
            list[dict]: each with ``video_id`` (str), ``frame_paths``
            (list[str]) and, for the test split, ``labels`` (uint8 array,
            one 0/1 per frame).
        """
        raise NotImplementedError

    def check_video_counts(self, videos: List[dict]) -> None:
        """Hook to compare a full copy with the published counts."""

    # -- shared ---------------------------------------------------------
    def load_data_list(self) -> List[dict]:
        videos = self.list_videos()
        if not videos:
            raise FileNotFoundError(
                f'No {self.split} videos found under {self.data_root}')
        half = (self.clip_len - 1) // 2
        stride = self.train_stride if self.split == 'train' else 1
        data_list = []
        for index, video in enumerate(videos):
            n = len(video['frame_paths'])
            if n < self.clip_len:
                raise ValueError(
                    f'Video {video["video_id"]} of {self.data_root} has {n} '
                    f'frames, fewer than clip_len={self.clip_len}')
            labels = video.get('labels')
            if self.split == 'test':
                if labels is None:
                    raise ValueError(
                        f'No frame labels for test video {video["video_id"]}')
                if len(labels) != n:
                    raise ValueError(
                        f'Video {video["video_id"]} has {len(labels)} labels '
                        f'for {n} frames')
            for centre in range(half, n - half, stride):
                label = -1 if labels is None else int(labels[centre])
                data_list.append(
                    dict(video_index=index, frame_index=centre,
                         gt_label=label))
        self.videos = videos
        self._metainfo.update(
            dataset_name=self.dataset_name, clip_len=self.clip_len)
        self._metainfo['video_lengths'] = {
            v['video_id']: len(v['frame_paths'])
            for v in videos
        }
        if self.check_counts:
            self.check_video_counts(videos)
        return data_list

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        video = self.videos[info['video_index']]
        half = (self.clip_len - 1) // 2
        centre = info['frame_index']
        info.update(
            video_id=video['video_id'],
            frame_paths=video['frame_paths'],
            frame_inds=list(range(centre - half, centre + half + 1)),
            clip_len=self.clip_len)
        return info

    def frame_labels(self) -> np.ndarray:
        """Labels of the windowed frames, in dataset order when the whole
        test split is used (no ``indices``): the first and last (T-1)/2
        labels of each video are dropped."""
        if self.split != 'test':
            raise ValueError('frame_labels() needs split="test"')
        self.full_init()
        half = (self.clip_len - 1) // 2
        return np.concatenate([
            np.asarray(v['labels'][half:len(v['labels']) - half], np.int64)
            for v in self.videos
        ])
