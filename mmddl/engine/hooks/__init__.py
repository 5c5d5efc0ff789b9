from .channels_last_hook import ChannelsLastHook
from .checkpoint_fit_hook import CheckpointFitHook
from .config_check_hook import ConfigMismatchError, VADConfigCheckHook
from .ddl_monitor_hook import DDLMonitorHook, NoTrainingMasksError
from .exact_resume_hook import ExactResumeHook
from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .precise_bn_hook import PreciseBNHook, recompute_bn_stats
from .sigma_logger_hook import SigmaLoggerHook
from .vad_visualization_hook import VADVisualizationHook

__all__ = [
    'ChannelsLastHook', 'CheckpointFitHook', 'ConfigMismatchError',
    'VADConfigCheckHook',
    'DDLMonitorHook', 'ExactResumeHook',
    'NoTrainingMasksError', 'NaNGuardHook',
    'NonFiniteLossError', 'PreciseBNHook', 'recompute_bn_stats',
    'SigmaLoggerHook', 'VADVisualizationHook'
]
