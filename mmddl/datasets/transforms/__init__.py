from .formatting import PackVADInputs
from .loading import LoadFrameWindow
from .track_masks import LoadTrackMasks

__all__ = ['LoadFrameWindow', 'LoadTrackMasks', 'PackVADInputs']
