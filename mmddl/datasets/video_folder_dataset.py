"""Your own camera's footage as a dataset: video files or frame folders,
with or without a labelled test split."""
import csv
import json
import os
import os.path as osp
from typing import Dict, List, Optional

import numpy as np

from mmddl.registry import DATASETS
from .base_vad_dataset import BaseVADDataset
from .data_root import require_data_root
from .frame_folder_dataset import SPLIT_DIRS
from .vad_layout import FRAME_EXTS, list_frames, list_subdirs, natural_sort_key
from .video_decoding import VIDEO_EXTS, decode_videos

LAYOUT = ('<root>/training/<video>.mp4|.avi|.mkv|.mov (or frame folders '
          '<root>/training/<video>/0000.jpg ...; or the videos directly in '
          '<root>), optional <root>/testing/ the same way with anomalous '
          'frame ranges in <root>/test_labels.json ({"<video>": [[start, '
          'end], ...]}) or <root>/test_labels.csv (video,start,end), frame '
          'indices 0-based and inclusive')
LABEL_FILES = ('test_labels.json', 'test_labels.csv')


class NoTestSplitError(FileNotFoundError):
    """The dataset has no test split: train without validation."""


@DATASETS.register_module()
class VideoFolderVADDataset(BaseVADDataset):
    """Folders of video files (or frame folders) from your own camera.

    .. code-block:: none

        <data_root>/training/cam1_monday.mp4 ...   # normal footage only
        <data_root>/testing/cam1_friday.mp4 ...    # optional
        <data_root>/test_labels.json               # with testing/:
            {"cam1_friday": [[120, 180], [400, 410]]}  # 0-based, inclusive

    A folder that holds the videos directly (no ``training/``) is all
    training footage. Video files (``.mp4``, ``.avi``, ``.mkv``, ``.mov``)
    are decoded once, when the dataset is first built, into
    ``<data_root>/decoded/<split>/<video>/0000.jpg ...`` (written to a
    temporary folder and renamed, so an interrupted decode is redone, never
    half-read), with a progress bar in frames; the frame cache of
    ``LoadFrameWindow`` then resizes them once. Frame folders are read as
    they are. A video id is the file or folder name without extension.

    Without a ``testing/`` folder the test split raises
    :class:`NoTestSplitError`, which ``tools/train.py`` takes as "train
    without validation": DDL learns from normal footage alone.

    Args:
        data_root (str): the folder described above.
        decoded_dir (str): where video files are decoded, relative to
            ``data_root``. Defaults to ``'decoded'``.
        label_file (str, optional): the test labels, relative to
            ``data_root``; defaults to the first of ``test_labels.json``,
            ``test_labels.csv`` that exists.
        **kwargs: :class:`BaseVADDataset` arguments.

    Examples:
        >>> ds = VideoFolderVADDataset(data_root='data/mine')  # doctest: +SKIP
        >>> ds.metainfo['video_lengths']  # doctest: +SKIP
        {'cam1_monday': 9000, 'cam1_tuesday': 8640}
    """

    DATASET_NAME = 'custom'

    def __init__(self,
                 data_root: Optional[str] = None,
                 decoded_dir: str = 'decoded',
                 label_file: Optional[str] = None,
                 **kwargs):
        require_data_root(type(self).__name__, data_root)
        self.decoded_dir = decoded_dir
        self.label_file = label_file
        super().__init__(data_root=data_root, **kwargs)

    # -- listing ----------------------------------------------------------
    def split_dir(self) -> Optional[str]:
        """The folder of the split's videos, or None when there is none."""
        folder = osp.join(self.data_root, SPLIT_DIRS[self.split])
        if osp.isdir(folder):
            return folder
        if self.split == 'train' and not osp.isdir(
                osp.join(self.data_root, SPLIT_DIRS['test'])):
            return self.data_root  # a plain folder of videos
        return None

    def list_videos(self) -> List[dict]:
        folder = self.split_dir()
        if folder is None:
            raise NoTestSplitError(
                f'{self.data_root} has no {SPLIT_DIRS[self.split]}/ folder: '
                f'no {self.split} split. Layout: {LAYOUT}')
        files = sorted((n for n in os.listdir(folder)
                        if osp.splitext(n)[1].lower() in VIDEO_EXTS
                        and not n.startswith('.')), key=natural_sort_key)
        skip = {self.decoded_dir, 'cache', 'boxes', 'training', 'testing'}
        frame_dirs = [d for d in list_subdirs(folder) if d not in skip and
                      _holds_frames(osp.join(folder, d))]
        decoded = osp.join(self.data_root, self.decoded_dir,
                           SPLIT_DIRS[self.split])
        jobs = [(osp.join(folder, n), osp.join(decoded, osp.splitext(n)[0]))
                for n in files]
        decode_videos(jobs)
        videos = {
            osp.basename(out): list_frames(out) for _, out in jobs
        }
        for name in frame_dirs:
            if name in videos:
                raise ValueError(f'{folder} holds both a video file and a '
                                 f'frame folder named {name}; keep one')
            videos[name] = list_frames(osp.join(folder, name))
        if not videos:
            raise FileNotFoundError(
                f'No videos or frame folders in {folder}. Layout: {LAYOUT}')
        out = [dict(video_id=v, frame_paths=videos[v])
               for v in sorted(videos, key=natural_sort_key)]
        if self.split == 'test':
            labels = self.read_labels(
                {v['video_id']: len(v['frame_paths']) for v in out})
            for video in out:
                video['labels'] = labels[video['video_id']]
        return out

    # -- labels -----------------------------------------------------------
    def find_label_file(self) -> str:
        names = [self.label_file] if self.label_file else LABEL_FILES
        for name in names:
            path = name if osp.isabs(name) else osp.join(self.data_root, name)
            if osp.isfile(path):
                return path
        raise FileNotFoundError(
            f'No test labels for {self.data_root}: write '
            f'{" or ".join(osp.join(self.data_root, n) for n in names)} '
            '(anomalous frame ranges per test video), or remove testing/ to '
            f'train without validation. Layout: {LAYOUT}')

    def read_labels(self, lengths: Dict[str, int]) -> Dict[str, np.ndarray]:
        """Per-frame 0/1 labels from the JSON or CSV ranges; videos not
        named are all normal."""
        path = self.find_label_file()
        ranges = read_range_file(path)
        unknown = sorted(set(ranges) - set(lengths))
        if unknown:
            raise ValueError(f'{path} names videos that are not in the test '
                             f'split: {unknown}; test videos: '
                             f'{sorted(lengths)}')
        labels = {}
        for video, count in lengths.items():
            label = np.zeros(count, np.uint8)
            for start, end in ranges.get(video, []):
                if not 0 <= start <= end < count:
                    raise ValueError(
                        f'{path}: range [{start}, {end}] of video {video} '
                        f'does not fit its {count} frames (0-based, '
                        'inclusive)')
                label[start:end + 1] = 1
            labels[video] = label
        return labels


def _holds_frames(folder: str) -> bool:
    return any(osp.splitext(n)[1].lower() in FRAME_EXTS
               for n in os.listdir(folder))


def read_range_file(path: str) -> Dict[str, List[List[int]]]:
    """``{video: [[start, end], ...]}`` from a JSON or CSV range file."""
    try:
        if path.lower().endswith('.json'):
            with open(path) as f:
                data = json.load(f)
            if not isinstance(data, dict):
                raise ValueError('expected {"<video>": [[start, end], ...]}')
            return {
                str(v): [[int(a), int(b)] for a, b in spans]
                for v, spans in data.items()
            }
        ranges: Dict[str, List[List[int]]] = {}
        with open(path, newline='') as f:
            for row in csv.reader(f):
                if not row or row[0].strip().startswith('#') or \
                        row[0].strip().lower() == 'video':
                    continue
                video, start, end = (c.strip() for c in row[:3])
                ranges.setdefault(video, []).append([int(start), int(end)])
        return ranges
    except (ValueError, TypeError, json.JSONDecodeError) as err:
        raise ValueError(f'cannot read test labels {path}: {err}. Expected '
                         f'format: {LAYOUT}') from None
