"""CUHK Avenue: videos decoded to frames, labels from masks or FFP files."""
import os.path as osp
from typing import List, Optional

from mmddl.registry import DATASETS
from .frame_folder_dataset import FrameFolderVADDataset
from .full_counts import check_full_counts
from .pixel_masks import file_masks
from .vad_labels import check_label_source, read_vol_label_mat

AVENUE_LAYOUT = ('<root>/training_videos/01.avi, <root>/testing_videos/'
                 '01.avi, <root>/ground_truth_demo/testing_label_mask/'
                 '1_label.mat (key volLabel), decoded by `python tools/'
                 'prepare_dataset.py avenue <root>` into <root>/{training,'
                 'testing}/frames/<video>/<NNNN>.jpg')
MASK_DIR = osp.join('ground_truth_demo', 'testing_label_mask')
LABEL_SOURCES = ('auto', 'masks', 'ffp')


@DATASETS.register_module()
class AvenueDataset(FrameFolderVADDataset):
    """CUHK Avenue: 16 training and 21 test videos of 640 x 360 frames.

    The ``.avi`` videos are decoded once to frames with
    ``python tools/prepare_dataset.py avenue <data_root>``, which writes the
    "frames" layout beside them; an FFP copy that already has frames works
    as is.

    .. code-block:: none

        <root>/training_videos/01.avi ...  -> <root>/training/frames/01/...
        <root>/testing_videos/01.avi ...   -> <root>/testing/frames/01/...
        <root>/ground_truth_demo/testing_label_mask/1_label.mat ...
        <root>/avenue.mat or <root>/frame_labels_avenue.npy   (FFP labels)

    Labels: 'masks' reads ``volLabel`` (a 1 x N cell of per-frame masks; a
    frame is anomalous when any pixel is positive; 3,712 anomalous frames in
    the full set); 'ffp' reads the FFP ranges or ``.npy`` (3,867). The two
    differ, so say which one a result uses.

    Args:
        data_root (str): the Avenue root.
        label_source (str): 'masks', 'ffp' or 'auto' (masks when
            ``ground_truth_demo/testing_label_mask`` exists, else ffp).
            Defaults to 'auto'.
        **kwargs: :class:`FrameFolderVADDataset` arguments.

    Examples:
        >>> from mmddl.datasets import AvenueDataset
        >>> ds = AvenueDataset('data/avenue', split='test',  # doctest: +SKIP
        ...                    label_source='masks')
    """

    DATASET_NAME = 'avenue'
    EXPECTED_IDS = dict(
        train=[f'{i:02d}' for i in range(1, 17)],
        test=[f'{i:02d}' for i in range(1, 22)])

    def __init__(self,
                 data_root: Optional[str] = None,
                 label_source: str = 'auto',
                 **kwargs):
        self.label_source = check_label_source(label_source, LABEL_SOURCES)
        self.used_label_source: Optional[str] = None
        super().__init__(data_root=data_root, **kwargs)

    def list_videos(self) -> List[dict]:
        frames_dir = self.frames_dir()
        videos_dir = osp.join(
            self.data_root,
            'training_videos' if self.split == 'train' else 'testing_videos')
        if not osp.isdir(frames_dir):
            if osp.isdir(videos_dir):
                raise FileNotFoundError(
                    f'Missing folder {frames_dir}: the Avenue videos in '
                    f'{videos_dir} are not decoded yet; run `python tools/'
                    f'prepare_dataset.py avenue {self.data_root}`')
            raise FileNotFoundError(
                f'Missing folder {frames_dir} (Avenue {self.split} frames). '
                f'Expected layout: {AVENUE_LAYOUT}')
        videos = self.list_frame_videos()
        if self.split == 'test':
            self._label(videos)
        return videos

    def _label(self, videos: List[dict]) -> None:
        mask_dir = osp.join(self.data_root, MASK_DIR)
        for v in videos:  # the pixel-level criterion reads them if asked
            vid = v['video_id']
            name = f'{int(vid)}_label.mat' if vid.isdigit() else \
                f'{vid}_label.mat'
            v['pixel_masks'] = file_masks(osp.join(mask_dir, name),
                                          'vol_label')
        source = self.label_source
        if source == 'auto':
            source = 'masks' if osp.isdir(mask_dir) else 'ffp'
        self.used_label_source = source
        if source == 'ffp':
            labels = self.read_ffp_labels(videos)
            for v in videos:
                v['labels'] = labels[v['video_id']]
            return
        if not osp.isdir(mask_dir):
            raise FileNotFoundError(
                f'Missing folder {mask_dir} (Avenue volLabel masks, '
                f'label_source="masks"). Expected layout: {AVENUE_LAYOUT}')
        for v in videos:
            vid = v['video_id']
            # The mask files are not zero padded: video 01 -> 1_label.mat.
            name = f'{int(vid)}_label.mat' if vid.isdigit() else \
                f'{vid}_label.mat'
            path = osp.join(mask_dir, name)
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'Missing label file {path} for Avenue test video {vid}')
            v['labels'] = read_vol_label_mat(path, vid, len(v['frame_paths']))

    def check_video_counts(self, videos: List[dict]) -> None:
        lengths = {v['video_id']: len(v['frame_paths']) for v in videos}
        anomalous = (
            int(sum(v['labels'].sum() for v in videos))
            if self.split == 'test' else None)
        check_full_counts('avenue', self.split, lengths, anomalous,
                          self.used_label_source,
                          self.EXPECTED_IDS[self.split],
                          first_frame=videos[0]['frame_paths'][0])
