from .config_check_hook import ConfigMismatchError, VADConfigCheckHook
from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .sigma_logger_hook import SigmaLoggerHook

__all__ = [
    'ConfigMismatchError', 'VADConfigCheckHook', 'NaNGuardHook',
    'NonFiniteLossError', 'SigmaLoggerHook'
]
