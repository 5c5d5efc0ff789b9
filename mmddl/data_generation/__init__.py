"""Data generation: the synthetic VAD set the demo and the tests train on.

Not a dataset class: it writes frames, labels and object boxes to disk in
the layout :class:`mmddl.datasets.FrameFolderVADDataset` reads.
"""
from .synthetic_scenes import (ANOMALY_KINDS, draw_exposed, generate_videos,
                               make_scene, make_synthetic_dataset,
                               read_frame_kinds, render_video)

__all__ = [
    'ANOMALY_KINDS', 'draw_exposed', 'generate_videos', 'make_scene',
    'make_synthetic_dataset', 'read_frame_kinds', 'render_video'
]
