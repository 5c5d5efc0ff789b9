from .avenue_dataset import AvenueDataset
from .base_vad_dataset import BaseVADDataset
from .box_cache import BoxCache
from .frame_cache import FrameCache
from .frame_folder_dataset import FrameFolderVADDataset
from .ped2_dataset import Ped2Dataset
from .shanghaitech_dataset import ShanghaiTechDataset
from .transforms import *  # noqa: F401,F403
from .video_folder_dataset import NoTestSplitError, VideoFolderVADDataset

__all__ = [
    'BaseVADDataset', 'FrameFolderVADDataset', 'Ped2Dataset', 'AvenueDataset',
    'ShanghaiTechDataset', 'FrameCache', 'VideoFolderVADDataset',
    'NoTestSplitError', 'BoxCache'
]
