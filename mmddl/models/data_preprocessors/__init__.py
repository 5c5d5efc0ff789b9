from .vad_data_preprocessor import VADDataPreprocessor

__all__ = ['VADDataPreprocessor']
