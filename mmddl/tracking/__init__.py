from mmddl.datasets.box_cache import BoxCache
from .build_box_cache import build_box_cache, track_video
from .mmdet_detector import MMDetDetector
from .motion_blob_detector import MotionBlobDetector
from .ocsort import DEFAULT_OCSORT, OCSORTVideoTracker
from .video_frames import VideoFrames

__all__ = [
    'BoxCache', 'build_box_cache', 'track_video', 'MMDetDetector',
    'MotionBlobDetector', 'DEFAULT_OCSORT', 'OCSORTVideoTracker',
    'VideoFrames'
]
