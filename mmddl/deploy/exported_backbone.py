"""What every runtime of the ONNX export shares: reading ``deploy.json``,
checking a model and frames against it, and the backbone's interface.

A runtime subclasses :class:`ExportedBackbone` and implements only
``_encode`` and ``_decode`` on numpy arrays; ``encode_frames`` / ``decode``
(the interface :func:`~mmddl.engine.streaming.stream_video` calls) convert
tensors around them, so ONNX Runtime and OpenVINO cannot drift apart.

Example:
    >>> # info = read_deploy_info('work_dirs/x/onnx')
    >>> # info['frame_size'], info['clip_len'], info['graphs']['encoder']
"""
import json
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from .onnx_export import DEPLOY_FILE

DEPLOY_FORMAT = 'mmddl-onnx-v1'


def read_deploy_info(onnx_dir: str) -> dict:
    """``deploy.json`` of an export folder, checked to be mmddl's.

    Example:
        >>> # read_deploy_info('work_dirs/x/onnx')['clip_len']
        >>> # 3
    """
    deploy = osp.join(onnx_dir, DEPLOY_FILE)
    if not osp.isfile(deploy):
        raise FileNotFoundError(
            f'{deploy} does not exist: export the model with '
            'tools/deployment/export_onnx.py first')
    with open(deploy) as f:
        info = json.load(f)
    if not isinstance(info, dict) or info.get('format') != DEPLOY_FORMAT:
        raise ValueError(f'{deploy} is not an mmddl ONNX export (format '
                         f'{DEPLOY_FORMAT})')
    for graph in ('encoder', 'decoder'):
        path = osp.join(onnx_dir, info['graphs'][graph]['file'])
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path}, named by {deploy}, does not '
                                    'exist: export the model again')
    return info


class ExportedBackbone:
    """``encode_frames`` / ``decode`` of an ONNX export, for any runtime.

    Args:
        onnx_dir (str): A folder written by :func:`export_onnx`.

    Attributes:
        info (dict): ``deploy.json``.
        clip_len (int): T, the frames per window.
    """
    def __init__(self, onnx_dir: str):
        self.onnx_dir = onnx_dir
        self.info = read_deploy_info(onnx_dir)
        self.clip_len = int(self.info['clip_len'])
        width, height = self.info['frame_size']
        self._frame_shape = (int(self.info['channels']), int(height),
                             int(width))

    def graph_path(self, name: str) -> str:
        """The .onnx file of graph ``name`` ('encoder', 'decoder')."""
        return osp.join(self.onnx_dir, self.info['graphs'][name]['file'])

    def input_names(self, name: str) -> List[str]:
        return list(self.info['graphs'][name]['inputs'])

    def check_model(self, model) -> None:
        """Raise if ``model``'s window or patch settings differ from the
        export's (the scores would not be the exported model's)."""
        want = (model.clip_len, model.test_cfg['patch_size'],
                model.test_cfg['shifted_grid'])
        got = (self.clip_len, self.info['patch_size'],
               self.info['shifted_grid'])
        if want != got:
            raise ValueError(f'the ONNX export has (T, patch, shifted) = '
                             f'{got}, the model {want}')

    def encode_frames(self, frames: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, C, H, W) frames in [0, 1] -> one (N, ...) tensor per level."""
        if tuple(frames.shape[1:]) != self._frame_shape:
            # the graphs are traced at one size; say so, not the runtime
            raise ValueError(
                f'the ONNX export in {self.onnx_dir} takes (C, H, W) = '
                f'{self._frame_shape} frames, got {tuple(frames.shape[1:])}:'
                ' resize to the export\'s frame size or export again')
        out = self._encode(_numpy(frames))
        return tuple(_tensor(o, frames.device) for o in out)

    def decode(self, window_feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """Per level (N, T, ...) windows -> (N, C, H, W) centre frames."""
        feed = dict(zip(self.input_names('decoder'),
                        (_numpy(w) for w in window_feats)))
        return _tensor(self._decode(feed), window_feats[0].device)

    def _encode(self, frames: np.ndarray) -> Sequence[np.ndarray]:
        raise NotImplementedError

    def _decode(self, feed: Dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    # the runtimes read C-contiguous float32; windows are strided views
    return np.ascontiguousarray(tensor.detach().float().cpu().numpy())


def _tensor(array: np.ndarray, device: torch.device) -> torch.Tensor:
    # back where the model's other tensors are (a no-op on the CPU)
    return torch.from_numpy(array).to(device)
