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
import json
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch

from .onnx_export import DEPLOY_FILE


class OnnxBackbone:
    """``encode_frames`` / ``decode`` through ONNX Runtime sessions.

    Args:
        onnx_dir (str): A folder written by :func:`export_onnx`.
        threads (int, optional): Intra-op threads; default ONNX Runtime's.
    """

    def __init__(self, onnx_dir: str, threads: Optional[int] = None):
        try:
            import onnxruntime as ort
        except ImportError:
            raise ImportError('the onnxruntime backend needs `pip install '
                              'onnxruntime`') from None
        deploy = osp.join(onnx_dir, DEPLOY_FILE)
        if not osp.isfile(deploy):
            raise FileNotFoundError(
                f'{deploy} does not exist: export the model with '
                'tools/deployment/export_onnx.py first')
        with open(deploy) as f:
            self.info = json.load(f)
        if self.info.get('format') != 'mmddl-onnx-v1':
            raise ValueError(f'{deploy} is not an mmddl ONNX export')
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
        graphs = self.info['graphs']

        def session(name):
            return ort.InferenceSession(
                osp.join(onnx_dir, graphs[name]['file']), options,
                providers=['CPUExecutionProvider'])

        self._encoder, self._decoder = session('encoder'), session('decoder')
        self._enc_in = graphs['encoder']['inputs'][0]
        self._dec_in = graphs['decoder']['inputs']
        self.clip_len = int(self.info['clip_len'])

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
        out = self._encoder.run(
            None, {self._enc_in: frames.detach().float().cpu().numpy()})
        return tuple(torch.from_numpy(o) for o in out)

    def decode(self, window_feats: Sequence[torch.Tensor]) -> torch.Tensor:
        feed = {
            name: np.ascontiguousarray(w.detach().float().cpu().numpy())
            for name, w in zip(self._dec_in, window_feats)
        }
        return torch.from_numpy(self._decoder.run(None, feed)[0])
