"""One place that maps a backend name to what runs the network.

Example:
    >>> build_backbone('torch', None) is None   # the model's own backbone
    True
    >>> # build_backbone('openvino', 'work_dirs/x/onnx', threads=2)
"""
from typing import Optional

#: the names ``--backend`` / ``--backends`` of the tools accept
BACKENDS = ('torch', 'onnxruntime', 'openvino')


def build_backbone(backend: str, onnx_dir: Optional[str] = None,
                   threads: Optional[int] = None):
    """The backbone that ``stream_video(..., backbone=...)`` takes.

    Args:
        backend (str): 'torch' (None: the model's own, fused backbone),
            'onnxruntime' or 'openvino'.
        onnx_dir (str, optional): The folder of
            ``tools/deployment/export_onnx.py``; needed by all but 'torch'.
        threads (int, optional): The runtime's threads; default its own.

    Returns:
        None | OnnxBackbone | OpenVinoBackbone
    """
    if backend not in BACKENDS:
        raise ValueError(f'unknown backend {backend!r}: choose one of '
                         f'{", ".join(BACKENDS)}')
    if backend == 'torch':
        return None
    if not onnx_dir:
        raise ValueError(f'backend {backend} runs an ONNX export: give '
                         'onnx_dir, the folder '
                         'tools/deployment/export_onnx.py wrote')
    if backend == 'onnxruntime':
        from .onnx_backbone import OnnxBackbone
        return OnnxBackbone(onnx_dir, threads=threads)
    from .openvino_backbone import OpenVinoBackbone
    return OpenVinoBackbone(onnx_dir, threads=threads)
