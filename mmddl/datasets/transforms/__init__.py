from .track_masks import LoadTrackMasks

__all__ = ['LoadTrackMasks']
