from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .sigma_logger_hook import SigmaLoggerHook

__all__ = ['NaNGuardHook', 'NonFiniteLossError', 'SigmaLoggerHook']
