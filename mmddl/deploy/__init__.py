"""Export to ONNX and run exported models (ONNX Runtime, OpenVINO).

Example:
    >>> # from mmddl.deploy import build_backbone, export_onnx
    >>> # paths = export_onnx(model, 'deploy/')
    >>> # backbone = build_backbone('openvino', 'deploy/')
    >>> # score_video(model, 'clip.avi', backbone=backbone)
"""
from .build import BACKENDS, build_backbone
from .exported_backbone import ExportedBackbone, read_deploy_info
from .onnx_backbone import OnnxBackbone
from .onnx_export import export_onnx
from .openvino_backbone import OpenVinoBackbone

__all__ = [
    'BACKENDS', 'build_backbone', 'export_onnx', 'ExportedBackbone',
    'OnnxBackbone', 'OpenVinoBackbone', 'read_deploy_info'
]
