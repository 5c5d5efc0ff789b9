from .streaming import StreamChunk, stream_video

__all__ = ['StreamChunk', 'stream_video']
