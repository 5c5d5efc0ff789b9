"""A trained :class:`~.DDLReconstructor` as inference runs it.

:class:`DeployedReconstructor` is built once from a trained model in eval
mode, with the model's ``test_cfg``: the backbone as an
:class:`~.inference_backbone.InferenceBackbone` (fused, channels-last,
compiled and under autocast per the inference options) and the patch
scoring. ``predict``, streaming (:func:`mmddl.engine.streaming.stream_video`)
and :func:`mmddl.apis.score_video` run it; the model builds it in
:meth:`~.DDLReconstructor.switch_to_deploy` (see there for when).

Example:
    >>> from mmddl.models.reconstructors import DDLReconstructor
    >>> model = DDLReconstructor(backbone=dict(type='C3DSU', widths=(8, 16)),
    ...                          test_cfg=dict(patch_size=8)).eval()
    >>> deployed = DeployedReconstructor(model)  # what model.eval() built
    >>> samples = deployed.predict(torch.rand(2, 3, 3, 32, 32))
    >>> samples[0].error_map.shape
    torch.Size([32, 32])
"""
from typing import List, Optional, Tuple

import torch

from mmddl.evaluation.functional.frame_scores import (max_patch_score,
                                                      reconstruction_error_map)
from mmddl.structures import VADDataSample
from .inference_backbone import INFERENCE_OPTIONS, InferenceBackbone


def set_predictions(inputs: torch.Tensor, recons: torch.Tensor,
                    data_samples: Optional[List[VADDataSample]], centre: int,
                    test_cfg: dict) -> List[VADDataSample]:
    """``pred_score``, ``error_map`` and, with ``test_cfg.with_pred_frame``,
    ``pred_frame`` of each clip on its data sample (new ones if None)."""
    error_maps, scores = score_frames(inputs[:, :, centre], recons,
                                      test_cfg)
    if data_samples is None:
        data_samples = [VADDataSample() for _ in range(inputs.shape[0])]
    for i, sample in enumerate(data_samples):
        sample.set_pred_score(scores[i])
        sample.error_map = error_maps[i]
        if test_cfg['with_pred_frame']:
            sample.pred_frame = recons[i]
    return data_samples


def score_frames(frames: torch.Tensor, recons: torch.Tensor,
                 test_cfg: dict) -> Tuple[torch.Tensor, torch.Tensor]:
    """(N, H, W) error maps and (N,) patch-max scores of (N, C, H, W)
    frames against their reconstructions, per ``test_cfg.patch_size`` and
    ``test_cfg.shifted_grid``."""
    error_maps = reconstruction_error_map(frames, recons)
    scores = max_patch_score(error_maps, test_cfg['patch_size'],
                             test_cfg['shifted_grid'])
    return error_maps, scores


class DeployedReconstructor:
    """The inference side of a trained reconstructor, built once.

    A snapshot of the model's weights and ``test_cfg`` when it is built:
    it holds its own backbone copy, so changing the model afterwards
    (weights, ``test_cfg``) changes nothing here, and nothing here is a
    parameter, a state-dict key or a checkpoint entry of the model. Not an
    ``nn.Module``.

    Args:
        model (DDLReconstructor): Trained, in eval mode; its ``backbone``,
            ``clip_len`` and ``test_cfg`` are read.

    Attributes:
        backbone (InferenceBackbone): What encodes and decodes.
        clip_len (int): T.
        test_cfg (dict): A copy of the model's ``test_cfg``.
    """

    def __init__(self, model):
        if model.training:
            raise RuntimeError('DeployedReconstructor needs the model in '
                               'eval mode (model.eval())')
        self.test_cfg = dict(model.test_cfg)
        self.clip_len = model.clip_len
        self.backbone = InferenceBackbone(
            model.backbone,
            **{key: self.test_cfg[key]
               for key in INFERENCE_OPTIONS})

    @property
    def centre(self) -> int:
        """Index of the reconstructed frame in a clip."""
        return (self.clip_len - 1) // 2

    @torch.no_grad()
    def __call__(self, clips: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) clips in [0, 1] -> float32 (N, C, H, W)
        reconstructions of their centre frames."""
        return self.backbone(clips).float()

    def encode_frames(self, frames: torch.Tensor) -> List[torch.Tensor]:
        """Per-level features of (L, C, H, W) frames (streaming)."""
        return self.backbone.encode_frames(frames)

    def decode(self, windows: List[torch.Tensor]) -> torch.Tensor:
        """Reconstructions from per-level (N, T, C, H, W) features."""
        return self.backbone.decode(windows)

    def score(self, frames: torch.Tensor, recons: torch.Tensor
              ) -> Tuple[torch.Tensor, torch.Tensor]:
        """(N, H, W) error maps and (N,) scores, as :meth:`predict` gives
        them."""
        return score_frames(frames, recons, self.test_cfg)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[VADDataSample]] = None
                ) -> List[VADDataSample]:
        """What :meth:`DDLReconstructor.predict` returns in eval mode."""
        return set_predictions(inputs, self(inputs), data_samples,
                               self.centre, self.test_cfg)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(clip_len={self.clip_len}, '
                f'backbone={self.backbone!r})')
