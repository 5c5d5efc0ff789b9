from .vad_data_sample import VADDataSample

__all__ = ['VADDataSample']
