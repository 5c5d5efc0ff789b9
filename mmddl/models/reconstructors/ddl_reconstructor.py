"""The DDL model: a reconstruction backbone trained with the adaptive
pseudo anomaly and the distinction loss (docs/method.md, sections 4-8)."""
import contextlib
import copy
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmddl.models.utils import frozen_bn_stats
from mmddl.registry import MODELS
from mmddl.structures import VADDataSample
from .ddl_health import corrupted_forward_errors, mask_share
from .deployed_reconstructor import DeployedReconstructor, set_predictions
from .inference_backbone import (INFERENCE_OPTIONS, InferenceBackbone,
                                 check_inference_options)

ConfigOrModule = Union[dict, nn.Module]

#: ``test_cfg``: the scoring settings, then the inference options (the
#: options of the deployed model, :class:`DeployedReconstructor`).
DEFAULT_TEST_CFG = dict(patch_size=16, shifted_grid=True,
                        with_pred_frame=False, **INFERENCE_OPTIONS)


def build_part(cfg: Optional[ConfigOrModule], key: str) -> Optional[nn.Module]:
    """Build ``model.<key>`` from its config; errors name the key.

    The config is copied first, so the dict defaults of
    :class:`DDLReconstructor` are never changed by a build.
    """
    if cfg is None or isinstance(cfg, nn.Module):
        return cfg
    try:
        return MODELS.build(copy.deepcopy(cfg))
    except (KeyError, ValueError, TypeError, AssertionError) as err:
        kind = cfg.get('type') if isinstance(cfg, dict) else cfg
        raise ValueError(f'model.{key} (type={kind!r}): {err}') from err


@MODELS.register_module()
class DDLReconstructor(BaseModel):
    """Reconstructs the centre frame of a clip; scores it by its error.

    Training (``mode='loss'``), as in the authors' code, runs the clean and
    the corrupted batch through the backbone in two separate forwards, so
    BatchNorm normalises each on its own:

    - ``loss_recon = L_recon(f(X), X^t)``;
    - ``X_A = pseudo_anomaly(X, M)`` with ``M`` from
      ``data_samples[i].pseudo_mask``, and ``loss_dist = lambda *
      L_dist(f(X_A), X^t, X_A^t, M^t)`` (lambda is ``loss_dist.loss_weight``).

    mmengine sums the keys holding ``'loss'``; the others are logged values
    that say whether DDL works (:mod:`.ddl_health`): ``sigma`` (sigma(l)),
    ``mask_share`` (windows of the batch with a mask) and, when a mask
    exists, ``dist_ratio`` (P / N unweighted) and ``err_masked`` /
    ``err_unmasked`` (the corrupted forward's error against the clean
    frame inside and outside the masks). Samples with an empty mask still train
    ``loss_recon``; a batch without any mask draws no noise, makes no second
    forward and gives ``loss_dist = 0 * sigma(l)`` (zero, still connected to
    ``l`` so that distributed training sees ``l`` used). With
    ``pseudo_anomaly=None`` (the reconstruction-only ablation) there is no
    ``l``, no noise, no second forward and no ``loss_dist``.

    Prediction (``mode='predict'``) sets on each data sample ``error_map``
    (H, W) of the centre frame, ``pred_score`` (the largest mean error over
    ``test_cfg.patch_size`` patches, on the shifted grid too when
    ``test_cfg.shifted_grid``) and, with ``test_cfg.with_pred_frame``, the
    reconstruction ``pred_frame`` (C, H, W). ``mode='tensor'`` returns the
    (N, C, H, W) reconstructions.

    Args:
        backbone (dict | nn.Module): ``C3DSU`` or ``UNet2D`` config.
        pseudo_anomaly (dict | nn.Module | None): The corruption;
            ``dict(type='AdaptivePseudoAnomaly', learnable=False)`` for SDL,
            None for reconstruction only. Defaults to a learnable
            ``AdaptivePseudoAnomaly``.
        loss_recon (dict | nn.Module): Defaults to ``ReconstructionLoss``.
        loss_dist (dict | nn.Module): Defaults to ``DistinctionLoss`` with
            the paper's ``'norm_ratio'`` and lambda 0.01.
        data_preprocessor (dict | nn.Module): Defaults to
            ``VADDataPreprocessor``.
        bn_stats_from_pseudo (bool): Whether the corrupted batch's forward
            also updates BatchNorm's running statistics. Defaults to True,
            as in the authors' code (two plain forwards in training mode);
            the paper is silent. False keeps the statistics to clean
            windows, like the test windows; on the synthetic demo it made
            no clear difference (normal-frame error 0.0248 against 0.0238),
            while recomputing the statistics after training
            (:class:`~mmddl.engine.hooks.PreciseBNHook`) did.
        test_cfg (dict, optional): ``patch_size`` (16), ``shifted_grid``
            (True), ``with_pred_frame`` (False), and the options of the
            deployed model (speed at test time, see below): ``autocast``
            (None, ``'bfloat16'`` or ``'float16'``: the backbone runs under
            ``torch.autocast``; scores within about 1 % of fp32, see the
            tests), ``channels_last`` (False: store the deployed copy's 4-D
            weights channels-last, exact), ``fuse_blocks`` (True: a fused
            copy of each block) and ``compile`` (False, True or a dict of
            ``torch.compile`` arguments such as
            ``dict(backend='inductor', dynamic=False)``).
        init_cfg (dict, optional): mmengine initialisation config.

    Inference has one lifecycle. In eval mode the model holds a
    :class:`DeployedReconstructor` (``model.deployed``), built by
    :meth:`switch_to_deploy` from the current weights and ``test_cfg``;
    ``predict``, streaming and ``score_video`` run it. With
    ``test_cfg.fuse_blocks`` its backbone is a copy whose blocks have eval
    BatchNorm folded into the conv before it, same-kernel branches merged
    into one conv and the pixel (un)shuffles folded into the 1x1 conv
    (:class:`~mmddl.models.backbones.fused_blocks.FusedConvBlock`; scores
    equal to 1e-5, fewer passes over memory); ``test_cfg.channels_last``
    stores that copy's 4-D weights channels-last, ``test_cfg.compile``
    wraps its functions in ``torch.compile`` (compiled on their first
    call) and ``test_cfg.autocast`` runs them under ``torch.autocast``.
    The copy is the deployed model's own: the trained modules, their
    layout, the state dict and checkpoints are never changed by it.

    - Built: by every ``eval()`` (``train(False)``; mmengine's val and test
      loops call it after loading the weights and after hooks such as EMA
      swapped theirs in), by ``load_state_dict`` and by ``to()`` /
      ``cuda()`` / ``half()`` (any ``Module._apply``) while in eval mode,
      when a deep copy or an unpickled model is in eval mode, and by an
      explicit :meth:`switch_to_deploy`.
    - Dropped: by ``train()``, and left out of deep copies and pickles
      (the copy builds its own).
    - Not watched: weights or ``test_cfg`` changed in place while in eval
      mode (an optimiser step, a ``.data`` write) are not seen until the
      next of the events above; call :meth:`switch_to_deploy` (or
      ``eval()``) after such a change.

    Training stays eager and unfused on the trained backbone: BatchNorm
    normalises with batch statistics there, so nothing can be folded, and
    a training step is two backbone forwards of different inputs plus the
    learnable sigma(l) through the pseudo anomaly, whose backward graphs
    would have to be compiled too, for seconds to minutes of compile time
    on the CPUs this runs on. ``predict`` in training mode runs the
    trained backbone as it is, with none of the inference options.

    Examples:
        >>> import torch
        >>> from mmddl.structures import VADDataSample
        >>> model = DDLReconstructor(
        ...     backbone=dict(type='C3DSU', widths=(8, 16, 32, 64)),
        ...     test_cfg=dict(patch_size=8))
        >>> clips = torch.rand(2, 3, 3, 32, 32)
        >>> samples = [VADDataSample().set_pseudo_mask(
        ...     torch.ones(3, 32, 32, dtype=torch.uint8)) for _ in range(2)]
        >>> out = model(clips, samples, mode='loss')
        >>> sorted(k for k in out if 'loss' in k), float(out['mask_share'])
        (['loss_dist', 'loss_recon'], 1.0)
        >>> model.eval()(clips, samples, mode='predict')[0].error_map.shape
        torch.Size([32, 32])
    """

    def __init__(self,
                 backbone: ConfigOrModule,
                 pseudo_anomaly: Optional[ConfigOrModule] = dict(
                     type='AdaptivePseudoAnomaly'),
                 loss_recon: ConfigOrModule = dict(type='ReconstructionLoss'),
                 loss_dist: ConfigOrModule = dict(type='DistinctionLoss'),
                 data_preprocessor: ConfigOrModule = dict(
                     type='VADDataPreprocessor'),
                 bn_stats_from_pseudo: bool = True,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=build_part(data_preprocessor,
                                         'data_preprocessor'),
            init_cfg=init_cfg)
        self.backbone = build_part(backbone, 'backbone')
        if self.backbone is None:
            raise ValueError('model.backbone must be given')
        self.clip_len = getattr(self.backbone, 'clip_len', None)
        if not isinstance(self.clip_len, int) or self.clip_len % 2 == 0:
            raise ValueError('model.backbone must have an odd int clip_len '
                             f'(T), got {self.clip_len!r}')
        self.pseudo_anomaly = build_part(pseudo_anomaly, 'pseudo_anomaly')
        self.loss_recon = build_part(loss_recon, 'loss_recon')
        # Without a pseudo anomaly there is nothing to distinguish.
        self.loss_dist = (
            build_part(loss_dist, 'loss_dist')
            if self.pseudo_anomaly is not None else None)
        if self.loss_recon is None or (self.pseudo_anomaly is not None
                                       and self.loss_dist is None):
            raise ValueError('model.loss_recon is required, and '
                             'model.loss_dist too when model.pseudo_anomaly '
                             'is set')
        self.bn_stats_from_pseudo = bool(bn_stats_from_pseudo)
        self.test_cfg = self._check_test_cfg(test_cfg)
        # test_cfg.channels_last applies to the deployed copy only: the
        # trained backbone keeps its layout. Not an nn.Module, so nothing
        # in it is registered as a parameter, buffer or state-dict key.
        self._deployed: Optional[DeployedReconstructor] = None
        self.register_load_state_dict_post_hook(_redeploy_after_load)

    @staticmethod
    def _check_test_cfg(test_cfg: Optional[dict]) -> dict:
        cfg = dict(DEFAULT_TEST_CFG)
        for key, value in dict(test_cfg or {}).items():
            if key not in cfg:
                raise ValueError(f'model.test_cfg.{key} is not an option; '
                                 f'options: {sorted(cfg)}')
            cfg[key] = value
        if not isinstance(cfg['patch_size'], int) or cfg['patch_size'] < 1:
            raise ValueError('model.test_cfg.patch_size must be a positive '
                             f'int, got {cfg["patch_size"]!r}')
        check_inference_options(cfg)
        return cfg

    def switch_to_deploy(self) -> DeployedReconstructor:
        """Build the deployed model from the current weights and
        ``test_cfg`` now, replacing the one held, and return it.

        The model calls it itself whenever it enters or stays in eval mode
        with possibly new weights (see the class docstring); call it after
        changing weights or ``test_cfg`` in place in eval mode.

        Raises:
            RuntimeError: In training mode (folding reads the running
                statistics, and training runs the trained backbone).
        """
        if self.training:
            raise RuntimeError('switch_to_deploy needs the model in eval '
                               'mode (model.eval())')
        self._deployed = None  # free the old copy before building one
        self._deployed = DeployedReconstructor(self)
        return self._deployed

    @property
    def deployed(self) -> Optional[DeployedReconstructor]:
        """The :class:`DeployedReconstructor` in eval mode, None in training
        mode. Built by ``eval()`` (see the class docstring); one missing in
        eval mode (``training`` set by hand, not through ``eval()``) is
        built here."""
        if self.training:
            return None
        if self.__dict__.get('_deployed') is None:
            self.switch_to_deploy()
        return self._deployed

    def train(self, mode: bool = True) -> 'DDLReconstructor':
        """Set the mode; ``train()`` drops the deployed model, ``eval()``
        builds it again from the current weights (they may have changed
        through ``.data``, which nothing else sees, e.g. an EMA hook
        swapping them in before validation)."""
        super().train(mode)
        if mode:
            self._deployed = None
        elif hasattr(self, 'backbone'):  # not while __init__ runs
            self.switch_to_deploy()
        return self

    def _apply(self, fn, *args, **kwargs):
        # to(), cuda(), half(), ...: a deployed copy is on the old device
        # or dtype, so build it again from the converted weights.
        result = super()._apply(fn, *args, **kwargs)
        if self.__dict__.get('_deployed') is not None:
            self.switch_to_deploy()
        return result

    def __getstate__(self) -> dict:
        # A deep copy or pickle leaves the deployed copy (and compiled
        # functions) out; __setstate__ builds one for an eval-mode model.
        state = super().__getstate__()
        state['_deployed'] = None
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        # a model pickled by an older mmddl: its lazy cache, and no hook
        self.__dict__.pop('_inference_cache', None)
        if _redeploy_after_load not in \
                self._load_state_dict_post_hooks.values():
            self.register_load_state_dict_post_hook(_redeploy_after_load)
        if not self.training and hasattr(self, 'backbone'):
            self.switch_to_deploy()

    def inference_backbone(self) -> Union[nn.Module, InferenceBackbone]:
        """What encodes and decodes at inference: in eval mode the deployed
        model's :class:`InferenceBackbone` (callable, with
        ``encode_frames`` and ``decode``; its ``module`` the eager copy);
        in training mode the trained backbone itself."""
        if self.training:
            return self.backbone
        return self.deployed.backbone

    @property
    def centre(self) -> int:
        """Index of the reconstructed frame in a clip."""
        return (self.clip_len - 1) // 2

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[VADDataSample]] = None,
                mode: str = 'tensor'):
        """Dispatch to :meth:`loss`, :meth:`predict` or the backbone.

        Args:
            inputs (Tensor): (N, C, T, H, W) clips in [0, 1].
            data_samples (list[VADDataSample], optional): One per clip.
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.backbone(inputs)
        raise RuntimeError(f'Invalid mode "{mode}": use "loss", "predict" '
                           'or "tensor"')

    def loss(self, inputs: torch.Tensor,
             data_samples: Optional[List[VADDataSample]]
             ) -> Dict[str, torch.Tensor]:
        """The training losses and sigma(l); see the class docstring."""
        target = inputs[:, :, self.centre]
        losses = dict(loss_recon=self.loss_recon(self.backbone(inputs),
                                                 target))
        if self.pseudo_anomaly is None:
            return losses
        masks = self._stack_masks(inputs, data_samples)
        sigma = self.pseudo_anomaly.sigma
        losses['mask_share'] = mask_share(masks)
        if bool(masks.any()):
            corrupted = self.pseudo_anomaly(inputs, masks)
            with (contextlib.nullcontext() if self.bn_stats_from_pseudo
                  else frozen_bn_stats(self.backbone)):
                recon_corrupted = self.backbone(corrupted)
            losses['loss_dist'] = self.loss_dist(
                recon_corrupted, target,
                corrupted[:, :, self.centre], masks[:, self.centre])
            if self.loss_dist.loss_weight > 0:
                # the unweighted P / N, comparable across lambdas
                losses['dist_ratio'] = (losses['loss_dist'].detach() /
                                        self.loss_dist.loss_weight)
            losses.update(
                corrupted_forward_errors(recon_corrupted.detach(), target,
                                         masks[:, self.centre]))
        else:
            losses['loss_dist'] = sigma * 0.0
        losses['sigma'] = sigma.detach()
        return losses

    def _stack_masks(self, inputs: torch.Tensor,
                     data_samples: Optional[List[VADDataSample]]
                     ) -> torch.Tensor:
        """(N, T, H, W) float masks from ``data_samples[i].pseudo_mask``."""
        if data_samples is None or len(data_samples) != inputs.shape[0]:
            raise ValueError('training with a pseudo anomaly needs one data '
                             'sample with a pseudo_mask per clip')
        masks = []
        for i, sample in enumerate(data_samples):
            if 'pseudo_mask' not in sample:
                raise ValueError(
                    f'data_samples[{i}] has no pseudo_mask; the train '
                    'pipeline must load masks (LoadTrackMasks), or set '
                    'model.pseudo_anomaly=None to train without them')
            masks.append(sample.pseudo_mask)
        masks = torch.stack(masks).to(inputs.device)
        expected = inputs.shape[:1] + inputs.shape[2:]
        if masks.shape != expected:
            raise ValueError(f'pseudo_mask batch {tuple(masks.shape)} does '
                             f'not fit clips {tuple(inputs.shape)} (needs '
                             f'{tuple(expected)})')
        return (masks > 0).to(inputs.dtype)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[VADDataSample]] = None
                ) -> List[VADDataSample]:
        """Error map, score and optionally the reconstruction per clip:
        through the deployed model in eval mode, the trained backbone in
        training mode."""
        if not self.training:
            return self.deployed.predict(inputs, data_samples)
        # Scores and maps are outputs, never differentiated.
        recon = self.backbone(inputs).detach().float()
        return set_predictions(inputs, recon, data_samples, self.centre,
                               self.test_cfg)


def _redeploy_after_load(model: DDLReconstructor, incompatible_keys) -> None:
    """``load_state_dict`` post-hook (torch's and mmengine's loaders run it,
    also for a wrapped model): new weights in eval mode, new deployed
    model."""
    if not model.training:
        model.switch_to_deploy()
