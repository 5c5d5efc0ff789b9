from mmddl.datasets.frame_format import FrameFormat, frame_format_from_config
from .inference import (VideoScores, config_from_checkpoint, init_model,
                        score_video)
from .streaming import StreamChunk, stream_video
from .video_input import VideoSource, open_video
from .video_outputs import save_scores_csv, save_video_outputs

__all__ = [
    'StreamChunk', 'stream_video', 'VideoScores', 'config_from_checkpoint',
    'init_model', 'score_video', 'FrameFormat', 'VideoSource',
    'frame_format_from_config', 'open_video', 'save_scores_csv',
    'save_video_outputs'
]
