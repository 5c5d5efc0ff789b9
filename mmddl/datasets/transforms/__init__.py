from .formatting import PackVADInputs
from .loading import LoadFrameWindow

__all__ = ['LoadFrameWindow', 'PackVADInputs']
