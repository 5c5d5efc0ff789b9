"""The ONNX export run by OpenVINO on the CPU, with the backbone's interface.

OpenVINO reads the ``encoder.onnx`` / ``decoder.onnx`` of
:func:`~mmddl.deploy.export_onnx` directly (no conversion step), so the
same export folder serves ``--backend onnxruntime`` and ``--backend
openvino``. OpenVINO is an optional dependency (``pip install -r
requirements/openvino.txt``).

Example:
    >>> # backbone = OpenVinoBackbone('work_dirs/x/onnx')
    >>> # score_video(model, 'clip.avi', backbone=backbone)
"""
from typing import Dict, Optional, Sequence

import numpy as np

from .exported_backbone import ExportedBackbone


def openvino_config(threads: Optional[int] = None) -> Dict[str, str]:
    """``compile_model`` settings for streaming on the CPU.

    Example:
        >>> openvino_config(2)['INFERENCE_NUM_THREADS']
        '2'
    """
    config = {
        # on CPUs with AVX512_BF16 or AMX OpenVINO runs bfloat16 unless
        # told otherwise (it did on this AMD EPYC): torch runs float32
        # (test_cfg.autocast is the opt-in for lower precision)
        'INFERENCE_PRECISION_HINT': 'f32',
        # one request at a time, each as soon as possible (live scoring)
        'PERFORMANCE_HINT': 'LATENCY',
    }
    if threads:
        config['INFERENCE_NUM_THREADS'] = str(int(threads))
    return config


class OpenVinoBackbone(ExportedBackbone):
    """``encode_frames`` / ``decode`` through OpenVINO compiled models.

    Args:
        onnx_dir (str): A folder written by :func:`export_onnx`.
        threads (int, optional): Inference threads; default OpenVINO's.
    """
    def __init__(self, onnx_dir: str, threads: Optional[int] = None):
        super().__init__(onnx_dir)  # the export first: the likelier fault
        try:
            import openvino as ov
        except ImportError:
            raise ImportError('the openvino backend needs `pip install -r '
                              'requirements/openvino.txt` (openvino)') \
                from None
        core = ov.Core()
        config = openvino_config(threads)

        def request(name):
            model = core.read_model(self.graph_path(name))
            return core.compile_model(model, 'CPU',
                                      config).create_infer_request()

        self._encoder, self._decoder = request('encoder'), request('decoder')
        self._enc_in = self.input_names('encoder')[0]

    def _encode(self, frames: np.ndarray) -> Sequence[np.ndarray]:
        # share_outputs=False copies: the request's output buffers are
        # rewritten by the next call, while the ring buffer keeps views
        # of earlier frames' features
        out = self._encoder.infer({self._enc_in: frames}, share_inputs=True,
                                  share_outputs=False)
        return [out[i] for i in range(len(out))]

    def _decode(self, feed: Dict[str, np.ndarray]) -> np.ndarray:
        return self._decoder.infer(feed, share_inputs=True,
                                   share_outputs=False)[0]
