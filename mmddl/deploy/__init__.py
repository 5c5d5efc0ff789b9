"""Export to ONNX and run exported models (ONNX Runtime).

Example:
    >>> # from mmddl.deploy import export_onnx, OnnxBackbone
    >>> # paths = export_onnx(model, 'deploy/')
    >>> # score_video(model, 'clip.avi', backbone=OnnxBackbone('deploy/'))
"""
from .onnx_backbone import OnnxBackbone
from .onnx_export import export_onnx

__all__ = ['export_onnx', 'OnnxBackbone']
