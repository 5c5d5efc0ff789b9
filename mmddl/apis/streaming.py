"""Streaming inference, re-exported for users of :mod:`mmddl.apis`.

It lives in :mod:`mmddl.engine.streaming`, so that the engine's streaming
test loop does not import the API layer above it.
"""
from mmddl.engine.streaming import (StreamChunk, stream_video, to_unit_float,
                                    window_stack)

__all__ = ['StreamChunk', 'stream_video', 'to_unit_float', 'window_stack']
