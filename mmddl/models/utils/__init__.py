from .channels_last import to_channels_last
from .frozen_bn_stats import frozen_bn_stats, tracking_bn_layers

__all__ = ['to_channels_last', 'frozen_bn_stats', 'tracking_bn_layers']
