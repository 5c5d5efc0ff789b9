from .streaming_loops import StreamingTestLoop, StreamingValLoop

__all__ = ['StreamingTestLoop', 'StreamingValLoop']
