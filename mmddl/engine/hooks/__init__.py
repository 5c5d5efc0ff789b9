from .sigma_logger_hook import SigmaLoggerHook

__all__ = ['SigmaLoggerHook']
