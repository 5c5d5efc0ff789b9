from .auc import (MacroAUC, grouped_auc, macro_auc, macro_auc_padded,
                  median_of, micro_auc, per_scene_auc, scene_of)
from .auc_report import frame_auc_report, postprocess_scores
from .frame_scores import max_patch_score, reconstruction_error_map
from .kind_auc import auc_by_kind
from .normalization import minmax_normalize
from .region_detection import (RegionDetectionAccumulator, area_up_to_fpr,
                               boxes_by_frame, downsample_for_regions,
                               sweep_thresholds)
from .scores_file import dump_scores, load_scores
from .smoothing import check_smoothing, median_smooth, smooth_scores

__all__ = [
    'MacroAUC', 'grouped_auc', 'macro_auc', 'macro_auc_padded', 'median_of',
    'micro_auc',
    'per_scene_auc', 'scene_of', 'frame_auc_report', 'postprocess_scores',
    'auc_by_kind', 'max_patch_score', 'reconstruction_error_map',
    'minmax_normalize', 'RegionDetectionAccumulator', 'area_up_to_fpr',
    'boxes_by_frame', 'downsample_for_regions', 'sweep_thresholds',
    'dump_scores', 'load_scores', 'median_smooth', 'check_smoothing',
    'smooth_scores'
]
