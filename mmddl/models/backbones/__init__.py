from .c3dsu import C3DSU
from .unet import UNet2D
from .unet_blocks import ConvBlock, TemporalSkipConv, UNetDecoder, UNetEncoder

__all__ = [
    'C3DSU', 'UNet2D', 'ConvBlock', 'TemporalSkipConv', 'UNetDecoder',
    'UNetEncoder'
]
