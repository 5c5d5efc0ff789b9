"""ShanghaiTech Campus: 13 scenes, training videos decoded to frames."""
import os.path as osp
from typing import List, Optional, Sequence, Union

from mmddl.registry import DATASETS
from .frame_folder_dataset import FrameFolderVADDataset
from .full_counts import check_full_counts
from .pixel_masks import file_masks
from .vad_labels import read_per_video_npy

SHANGHAITECH_LAYOUT = (
    '<root>/training/videos/01_001.avi (decoded by `python tools/'
    'prepare_dataset.py shanghaitech <root>` into <root>/training/frames/'
    '01_001/<NNNN>.jpg), <root>/testing/frames/01_0014/000.jpg, labels '
    '<root>/testing/test_frame_mask/01_0014.npy')


def scene_of(video_id: str) -> str:
    """The scene of a ShanghaiTech video: the part before ``_``."""
    return video_id.split('_')[0]


@DATASETS.register_module()
class ShanghaiTechDataset(FrameFolderVADDataset):
    """ShanghaiTech Campus: 330 training and 107 test videos, 856 x 480.

    .. code-block:: none

        <root>/training/videos/01_001.avi ...  -> training/frames/01_001/...
        <root>/testing/frames/01_0014/000.jpg ...
        <root>/testing/test_frame_mask/01_0014.npy     # 0/1 per frame

    Scenes are the video-id prefixes before ``_``; the paper trains one
    model per scene, which ``scene`` selects. Without a ``test_frame_mask``
    folder the FFP/MNAD label files (``frame_labels_shanghaitech.npy``,
    ``shanghaitech.mat``, ``frame_labels_shanghai.npy`` or
    ``shanghai.mat``) are read instead.

    Args:
        data_root (str): the ShanghaiTech root.
        scene (str | Sequence[str], optional): keep only these scenes
            (e.g. ``'01'``). Defaults to None (all).
        **kwargs: :class:`FrameFolderVADDataset` arguments.

    Examples:
        >>> from mmddl.datasets import ShanghaiTechDataset
        >>> ds = ShanghaiTechDataset(  # doctest: +SKIP
        ...     'data/shanghaitech', split='test', scene='01')
    """

    DATASET_NAME = 'shanghaitech'
    LABEL_ALIASES = ('shanghai', )  # MNAD's frame_labels_shanghai.npy

    def __init__(self,
                 data_root: Optional[str] = None,
                 scene: Optional[Union[str, Sequence[str]]] = None,
                 **kwargs):
        if isinstance(scene, (str, int)):
            scene = [scene]
        # --cfg-options scene=01 arrives as the int 1
        self.scenes = None if scene is None else [
            f'{int(s):02d}' if str(s).isdigit() else str(s) for s in scene
        ]
        self.used_label_source: Optional[str] = None
        super().__init__(data_root=data_root, **kwargs)
        if self.scenes is not None:
            self._metainfo['scenes'] = list(self.scenes)

    def list_videos(self) -> List[dict]:
        frames_dir = self.frames_dir()
        videos_dir = osp.join(self.data_root, 'training'
                              if self.split == 'train' else 'testing',
                              'videos')
        if not osp.isdir(frames_dir):
            hint = (f'the videos in {videos_dir} are not decoded yet; run '
                    f'`python tools/prepare_dataset.py shanghaitech '
                    f'{self.data_root}`' if osp.isdir(videos_dir) else
                    f'expected layout: {SHANGHAITECH_LAYOUT}')
            raise FileNotFoundError(
                f'Missing folder {frames_dir} (ShanghaiTech {self.split} '
                f'frames): {hint}')
        videos = self.list_frame_videos()
        mask_dir = osp.join(self.data_root, 'testing', 'test_frame_mask')
        if self.split == 'test' and not osp.isdir(mask_dir):
            # A single FFP label file covers every video: label them all
            # before the scene filter.
            self.used_label_source = 'ffp'
            labels = self.read_ffp_labels(videos)
            for v in videos:
                v['labels'] = labels[v['video_id']]
        if self.scenes is not None:
            found = sorted({scene_of(v['video_id']) for v in videos})
            videos = [v for v in videos if scene_of(v['video_id'])
                      in self.scenes]
            if not videos:
                raise ValueError(
                    f'scene={self.scenes} selects no {self.split} video in '
                    f'{frames_dir}; scenes there: {found}')
        if self.split == 'test' and self.used_label_source != 'ffp':
            self._label_from_masks(mask_dir, videos)
        if self.split == 'test':  # for the pixel-level criterion, if asked
            pixel_dir = osp.join(self.data_root, 'testing', 'test_pixel_mask')
            for v in videos:
                v['pixel_masks'] = file_masks(
                    osp.join(pixel_dir, v['video_id'] + '.npy'), 'npy')
        return videos

    def _label_from_masks(self, mask_dir: str, videos: List[dict]) -> None:
        self.used_label_source = 'masks'
        for v in videos:
            path = osp.join(mask_dir, v['video_id'] + '.npy')
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'Missing label file {path} for ShanghaiTech test video '
                    f'{v["video_id"]}')
            v['labels'] = read_per_video_npy(path, v['video_id'],
                                             len(v['frame_paths']))

    def check_video_counts(self, videos: List[dict]) -> None:
        if self.scenes is not None:
            return  # the published counts are for all scenes
        lengths = {v['video_id']: len(v['frame_paths']) for v in videos}
        anomalous = (
            int(sum(v['labels'].sum() for v in videos))
            if self.split == 'test' else None)
        check_full_counts('shanghaitech', self.split, lengths, anomalous,
                          self.used_label_source,
                          first_frame=videos[0]['frame_paths'][0])
