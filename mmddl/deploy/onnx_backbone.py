"""Exported graphs run by ONNX Runtime, with the backbone's interface.

:class:`OnnxBackbone` has ``encode_frames`` and ``decode`` as the torch
backbones do, so :func:`~mmddl.engine.streaming.stream_video` (and
``score_video``, ``tools/infer_video.py --backend onnxruntime``) run the
exported ``encoder.onnx`` / ``decoder.onnx`` with the same ring buffer and
scoring. ONNX Runtime is an optional dependency (``pip install
onnxruntime``).

Example:
    >>> # backbone = OnnxBackbone('work_dirs/x/onnx')
    >>> # score_video(model, 'clip.avi', backbone=backbone)
"""
from typing import Dict, Optional, Sequence

import numpy as np

from .exported_backbone import ExportedBackbone


class OnnxBackbone(ExportedBackbone):
    """``encode_frames`` / ``decode`` through ONNX Runtime sessions.

    Args:
        onnx_dir (str): A folder written by :func:`export_onnx`.
        threads (int, optional): Intra-op threads; default ONNX Runtime's.
    """
    def __init__(self, onnx_dir: str, threads: Optional[int] = None):
        super().__init__(onnx_dir)  # the export first: the likelier fault
        try:
            import onnxruntime as ort
        except ImportError:
            raise ImportError('the onnxruntime backend needs `pip install '
                              'onnxruntime`') from None
        options = ort.SessionOptions()
        # ONNX Runtime's threads spin between runs by default; streaming
        # calls it between torch ops (window stacking, error maps), whose
        # threads they then starve: 4.8x slower streaming on 2 cores
        # (tools/benchmark.py --backends, docs/deploy.md)
        options.add_session_config_entry('session.intra_op.allow_spinning',
                                         '0')
        options.add_session_config_entry('session.inter_op.allow_spinning',
                                         '0')
        if threads:
            options.intra_op_num_threads = int(threads)

        def session(name):
            return ort.InferenceSession(
                self.graph_path(name), options,
                providers=['CPUExecutionProvider'])

        self._encoder, self._decoder = session('encoder'), session('decoder')
        self._enc_in = self.input_names('encoder')[0]

    def _encode(self, frames: np.ndarray) -> Sequence[np.ndarray]:
        return self._encoder.run(None, {self._enc_in: frames})

    def _decode(self, feed: Dict[str, np.ndarray]) -> np.ndarray:
        return self._decoder.run(None, feed)[0]
