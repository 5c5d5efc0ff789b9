from .frame_auc_metric import FrameAUCMetric
from .top_scoring_frames import TopScoringFrames

__all__ = ['FrameAUCMetric', 'TopScoringFrames']
