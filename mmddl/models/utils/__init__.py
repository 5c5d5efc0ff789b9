from .channels_last import to_channels_last

__all__ = ['to_channels_last']
