from .dump_vad_scores import (DumpVADScores, settings_from_evaluator,
                              with_dump_metric)
from .frame_auc_metric import FrameAUCMetric
from .top_scoring_frames import TopScoringFrames

__all__ = [
    'DumpVADScores', 'FrameAUCMetric', 'TopScoringFrames',
    'settings_from_evaluator', 'with_dump_metric'
]
