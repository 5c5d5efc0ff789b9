from .resumable_train_loop import ResumableEpochBasedTrainLoop
from .streaming_loops import StreamingTestLoop, StreamingValLoop

__all__ = [
    'ResumableEpochBasedTrainLoop', 'StreamingTestLoop', 'StreamingValLoop'
]
