"""UCSD Ped2, in its original release or in the FFP "frames" layout."""
import glob
import os.path as osp
from typing import List, Optional

from mmddl.registry import DATASETS
from .frame_folder_dataset import FrameFolderVADDataset
from .full_counts import check_full_counts
from .pixel_masks import folder_masks
from .vad_labels import (check_label_source, parse_ucsd_m_file,
                         ranges_to_labels, read_mask_folder)
from .vad_layout import list_frames, list_subdirs, require_dir

ORIGINAL_LAYOUT = ('<root>/Train/Train001/001.tif, <root>/Test/Test001/'
                   '001.tif, masks <root>/Test/Test001_gt/001.bmp, ranges in '
                   '<root>/Test/UCSDped2.m (root may also be the folder above '
                   'UCSDped2/)')
LABEL_SOURCES = ('auto', 'ranges', 'masks')


@DATASETS.register_module()
class Ped2Dataset(FrameFolderVADDataset):
    """UCSD Ped2: 16 training and 12 test videos of 360 x 240 frames.

    Two layouts are read; the original one is recognised by its ``Train``
    and ``Test`` folders (``data_root`` may be ``UCSDped2`` or its parent):

    .. code-block:: none

        UCSDped2/Train/Train001/001.tif ...
        UCSDped2/Test/Test001/001.tif ...
        UCSDped2/Test/Test001_gt/001.bmp ...   # pixel masks, not videos
        UCSDped2/Test/UCSDped2.m               # gt_frame = [61:180]; ...

    or the FFP layout of :class:`FrameFolderVADDataset`
    (``training/frames/01/000.jpg``, ``ped2.mat`` or
    ``frame_labels_ped2.npy``).

    Test006 is labelled [1:162] in one source and [1:159] in the FFP/MNAD
    labels. mmddl reads whatever the chosen source says and does not patch
    it: with the ``.m`` ranges (the default) Test006 is what the file holds,
    and the full set then has 1,648 anomalous frames as docs/datasets.md
    gives (that count needs [1:159]); a ``.m`` file with [1:162] gives
    1,651 and a warning. The masks give their own answer.

    Args:
        data_root (str): ``UCSDped2`` (or its parent), or an FFP root.
        label_source (str): original layout only: 'ranges' (the ``.m``
            file's ``gt_frame``), 'masks' (any positive pixel in the ``_gt``
            masks) or 'auto' (ranges when a ``.m`` file exists, else masks).
            Defaults to 'auto'.
        **kwargs: :class:`FrameFolderVADDataset` arguments.

    Examples:
        >>> from mmddl.datasets import Ped2Dataset
        >>> ds = Ped2Dataset('data/ped2', split='test')  # doctest: +SKIP
        >>> ds.get_data_info(0)['frame_inds']  # doctest: +SKIP
        [0, 1, 2]
    """

    DATASET_NAME = 'ped2'
    EXPECTED_IDS = dict(
        train=[f'Train{i:03d}' for i in range(1, 17)],
        test=[f'Test{i:03d}' for i in range(1, 13)])

    def __init__(self,
                 data_root: Optional[str] = None,
                 label_source: str = 'auto',
                 **kwargs):
        self.label_source = check_label_source(label_source, LABEL_SOURCES)
        self.used_label_source: Optional[str] = None
        super().__init__(data_root=data_root, **kwargs)

    def original_root(self) -> Optional[str]:
        """The folder holding ``Train``/``Test``, or None (FFP layout)."""
        for root in (self.data_root, osp.join(self.data_root, 'UCSDped2')):
            if (osp.isdir(osp.join(root, 'Train'))
                    or osp.isdir(osp.join(root, 'Test'))):
                return root
        return None

    def list_videos(self) -> List[dict]:
        root = self.original_root()
        if root is None:
            if not osp.isdir(osp.join(self.data_root, 'training')) and \
                    not osp.isdir(osp.join(self.data_root, 'testing')):
                raise FileNotFoundError(
                    f'{self.data_root} is neither Ped2 layout. Expected '
                    f'the original one ({ORIGINAL_LAYOUT}) or the frames '
                    'one (<root>/{training,testing}/frames/<video>/'
                    '<NNN>.jpg with ped2.mat or frame_labels_ped2.npy)')
            self.used_label_source = 'ranges' if self.split == 'test' else None
            return super().list_videos()
        folder = require_dir(
            osp.join(root, 'Train' if self.split == 'train' else 'Test'),
            f'Ped2 {self.split} videos', ORIGINAL_LAYOUT)
        videos = [
            dict(video_id=vid, frame_paths=list_frames(osp.join(folder, vid)))
            for vid in list_subdirs(folder, skip_suffix=('_gt', ))
        ]
        if self.split == 'test':
            self._label_original(folder, videos)
        return videos

    def _label_original(self, folder: str, videos: List[dict]) -> None:
        for v in videos:  # the pixel-level criterion reads them if asked
            v['pixel_masks'] = folder_masks(
                osp.join(folder, v['video_id'] + '_gt'))
        m_files = sorted(glob.glob(osp.join(folder, '*.m')))
        source = self.label_source
        if source == 'auto':
            source = 'ranges' if m_files else 'masks'
        self.used_label_source = source
        if source == 'masks':
            for v in videos:
                mask_dir = require_dir(
                    osp.join(folder, v['video_id'] + '_gt'),
                    f'pixel masks of {v["video_id"]}', ORIGINAL_LAYOUT)
                v['labels'] = read_mask_folder(mask_dir, v['video_id'],
                                               len(v['frame_paths']))
            return
        if not m_files:
            raise FileNotFoundError(
                f'No .m file with gt_frame ranges in {folder} '
                f'(label_source="ranges"). Expected layout: {ORIGINAL_LAYOUT}')
        m_file = m_files[0]
        ranges = parse_ucsd_m_file(m_file)
        if len(ranges) != len(videos):
            raise ValueError(
                f'{m_file} gives gt_frame ranges for {len(ranges)} videos but '
                f'{folder} holds {len(videos)} test videos')
        for v, video_ranges in zip(videos, ranges):
            v['labels'] = ranges_to_labels(video_ranges,
                                           len(v['frame_paths']),
                                           v['video_id'], m_file)

    def check_video_counts(self, videos: List[dict]) -> None:
        lengths = {v['video_id']: len(v['frame_paths']) for v in videos}
        anomalous = (
            int(sum(v['labels'].sum() for v in videos))
            if self.split == 'test' else None)
        expected = (self.EXPECTED_IDS[self.split]
                    if self.original_root() else None)
        check_full_counts('ped2', self.split, lengths, anomalous,
                          self.used_label_source, expected,
                          first_frame=videos[0]['frame_paths'][0])
