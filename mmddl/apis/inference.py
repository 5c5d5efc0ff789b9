"""Score one video with a trained model: the Python side of
``tools/infer_video.py``.

:func:`init_model` builds a model from its config and checkpoint;
:func:`score_video` reads a video file, a frame folder or an array at the
size the model was trained at and scores every frame that has a full
window, encoding each frame once (:func:`mmddl.apis.stream_video`).

Example:
    >>> from mmddl.apis import init_model, score_video
    >>> model = init_model('configs/ddl/c3dsu_ped2.py',  # doctest: +SKIP
    ...                    'work_dirs/c3dsu_ped2/epoch_10.pth')
    >>> result = score_video(model, 'my_video.avi')  # doctest: +SKIP
    >>> result.frame_inds[:3], result.scores_smoothed[:3]  # doctest: +SKIP
    (array([1, 2, 3]), array([0.031, 0.031, 0.030]))
    >>> result.top_frames(3)  # doctest: +SKIP
    [(412, 0.087), (398, 0.081), (430, 0.079)]
"""
import copy
import logging
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import CheckpointLoader, load_checkpoint

from mmddl.datasets.frame_decoding import pin_interpolation
from mmddl.datasets.frame_format import frame_format_from_config
from mmddl.evaluation.functional.smoothing import median_smooth
from mmddl.utils.config_text import UnsafeConfigError, config_from_text
from .streaming import stream_video
from .video_input import VideoLike, open_video


def _require_checkpoint(checkpoint: str, config_hint: str) -> None:
    if not osp.isfile(osp.expanduser(checkpoint)):
        raise FileNotFoundError(
            f'checkpoint {checkpoint} does not exist; train one with '
            f'python tools/train.py {config_hint}')


def config_from_checkpoint(checkpoint: str) -> Config:
    """The training config that mmengine's runner stores in a checkpoint
    (``meta['cfg']``, the config's text).

    Args:
        checkpoint (str): a checkpoint written by ``tools/train.py``.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the checkpoint holds no config.
    """
    _require_checkpoint(checkpoint, 'CONFIG')
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    text = ckpt.get('meta', {}).get('cfg') if isinstance(ckpt, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f'checkpoint {checkpoint} holds no config '
                         "(meta['cfg']); pass the config file too")
    try:
        # read as data: Config.fromstring would run the stored text
        config = config_from_text(text)
    except UnsafeConfigError as err:
        raise UnsafeConfigError(
            f'checkpoint {checkpoint}: the config stored in it is not plain '
            f'data ({err}), so it is not run; pass the config file as '
            'CONFIG') from None
    # trained before mmddl pinned the resize into stored configs, when the
    # default was the authors' aliased bilinear
    if pin_interpolation(config._cfg_dict, 'bilinear'):
        print_log(f'checkpoint {checkpoint}: its config names no '
                  "interpolation (trained before the 'antialias' default); "
                  "scoring with 'bilinear', as it was trained",
                  logger='current', level=logging.WARNING)
    return config


def init_model(config: Optional[Union[str, Config]],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu',
               cfg_options: Optional[dict] = None) -> torch.nn.Module:
    """Build a model from its config and load its checkpoint.

    Args:
        config (str | Config | None): a config file or Config; None reads
            the config stored in ``checkpoint`` (``meta['cfg']``, written
            by ``tools/train.py``).
        checkpoint (str, optional): weights to load (through mmengine's
            ``load_checkpoint``, so mmddl's safe loader applies; see
            :func:`mmddl.utils.trust_checkpoints`). None leaves the model
            as initialised.
        device (str | torch.device): Defaults to 'cpu'.
        cfg_options (dict, optional): config overrides, as
            ``--cfg-options`` gives them.

    Returns:
        nn.Module: the model in eval mode on ``device``, its config on
        ``model.cfg``.

    Raises:
        FileNotFoundError: the checkpoint does not exist.

    Examples:
        >>> model = init_model('configs/ddl/c3dsu_ped2.py')
        >>> model.training, model.cfg.model.type
        (False, 'DDLReconstructor')
    """
    from mmddl.registry import MODELS
    from mmddl.setup_env import register_all_modules
    from mmddl.utils import fill_dataset_defaults
    register_all_modules(init_default_scope=False)
    if checkpoint is not None:  # fail before building anything
        _require_checkpoint(
            checkpoint, config if isinstance(config, str) else
            getattr(config, 'filename', None) or 'CONFIG')
    if config is None:
        if checkpoint is None:
            raise ValueError('init_model needs a config or a checkpoint '
                             'that holds one')
        config = config_from_checkpoint(checkpoint)
    elif isinstance(config, str):
        config = Config.fromfile(config)
    elif not isinstance(config, Config):
        raise TypeError('config must be a path or a Config, got '
                        f'{type(config).__name__}')
    else:
        config = copy.deepcopy(config)
    if cfg_options:
        config.merge_from_dict(cfg_options)
    fill_dataset_defaults(config)
    if 'model' not in config:
        raise ValueError(f'config {config.filename} has no model')
    # build in the config's scope even when another library's is current
    with DefaultScope.overwrite_default_scope(
            config.get('default_scope', 'mmddl')):
        model = MODELS.build(config.model)
    if checkpoint is not None:
        # strict: a config that does not match the weights must fail here,
        # not score with half-initialised layers
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    model.cfg = config
    return model.to(device).eval()


@dataclass
class VideoScores:
    """Frame scores of one video.

    Attributes:
        name (str): the video's file or folder name (``'video'`` for an
            array).
        num_frames (int): frames read (L).
        clip_len (int): the model's window T.
        frame_inds (np.ndarray): (n,) scored frames, (T-1)/2 ..
            L-1-(T-1)/2.
        scores_raw (np.ndarray): (n,) patch-max reconstruction errors.
        scores_smoothed (np.ndarray): (n,) median-filtered scores.
        smoothing_window (int, optional): the filter's window.
        smoothing (str): what smoothed the scores: ``'median'`` (centred,
            the metric's) unless replaced, e.g. ``'trailing median'``.
        fps (float, optional): a video file's frame rate.
        error_maps (np.ndarray, optional): (n, H, W) float32 per-pixel
            errors, kept only with ``keep_maps=True``.
        frames (np.ndarray, optional): (n, H, W, C) uint8 scored frames at
            the model's size, kept only with ``keep_maps=True``.
    """
    name: str
    num_frames: int
    clip_len: int
    frame_inds: np.ndarray
    scores_raw: np.ndarray
    scores_smoothed: np.ndarray
    smoothing_window: Optional[int] = None
    fps: Optional[float] = None
    smoothing: str = 'median'
    error_maps: Optional[np.ndarray] = None
    frames: Optional[np.ndarray] = None

    def top_frames(self,
                   k: int = 5,
                   smoothed: bool = True,
                   min_gap: int = 0) -> List[Tuple[int, float]]:
        """The ``k`` highest-scoring frames, (frame index, score), best
        first (ties broken by the raw score).

        With ``min_gap``, each frame is more than ``min_gap`` frames from
        every better one, so one event gives one peak, not k neighbours.
        """
        scores = self.scores_smoothed if smoothed else self.scores_raw
        # the median filter makes plateaus: ties go to the higher raw score
        order = np.lexsort((-self.scores_raw, -scores))
        picked: List[int] = []
        for i in order:
            if len(picked) == k:
                break
            frame = int(self.frame_inds[i])
            if all(abs(frame - int(self.frame_inds[j])) > min_gap
                   for j in picked):
                picked.append(i)
        return [(int(self.frame_inds[i]), float(scores[i])) for i in picked]


def _frame_tensors(source, progress: bool) -> Iterator[torch.Tensor]:
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(source.length or 0, file=sys.stdout)
    for frame in source:
        # (C, H, W) in the usual contiguous layout, as the window path's
        # inputs are (not a channels-last strided view of the HWC frame)
        yield torch.from_numpy(np.ascontiguousarray(frame.transpose(2, 0, 1)))
        if bar is not None:
            bar.update()
    if bar is not None:
        sys.stdout.write('\n')


def score_video(model: torch.nn.Module,
                video: VideoLike,
                batch_size: int = 8,
                smoothing_window: Optional[int] = 17,
                keep_maps: bool = False,
                progress: bool = False,
                backbone=None) -> VideoScores:
    """Score every frame of one video that has a full window.

    Frames are resized (and made grey) as the model's test pipeline does
    (``LoadFrameWindow`` of ``model.cfg``; see
    :func:`mmddl.datasets.frame_format.frame_format_from_config`) and read
    lazily, so a long video is never held in memory unless ``keep_maps``.

    Args:
        model (nn.Module): from :func:`init_model` (a ``DDLReconstructor``
            in eval mode; ``model.cfg`` gives the frame size, without it
            frames keep their size).
        video (str | np.ndarray | Tensor): a video file (.avi, .mp4, ...),
            a folder of frames (sorted naturally), or an (L, H, W, C)
            uint8 RGB array or tensor.
        batch_size (int): new frames encoded per step. Defaults to 8.
        smoothing_window (int, optional): odd median-filter window in
            frames; None or 1 for none. Defaults to 17 (the metric's).
        keep_maps (bool): also return the error maps and frames of the
            scored frames (memory: n x H x W floats and frames).
            Defaults to False.
        progress (bool): show a progress bar over frames. Defaults to
            False.
        backbone (optional): run these ``encode_frames`` / ``decode``
            instead of the model's, e.g. ``mmddl.deploy.OnnxBackbone`` for
            ONNX Runtime. Defaults to None (the model's fused backbone).

    Returns:
        VideoScores: scores of frames (T-1)/2 .. L-1-(T-1)/2.

    Raises:
        ValueError: the video has fewer than T frames, or cannot be read.
        FileNotFoundError: the path does not exist.

    Examples:
        >>> import numpy as np
        >>> model = init_model('configs/ddl/c3dsu_ped2.py')  # untrained
        >>> frames = np.zeros((5, 64, 64, 3), np.uint8)
        >>> result = score_video(model, frames, smoothing_window=3)
        >>> result.frame_inds.tolist()
        [1, 2, 3]
    """
    # validate the window before reading anything
    median_smooth(np.zeros(1), smoothing_window)
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    cfg = getattr(model, 'cfg', None)
    fmt = frame_format_from_config(cfg) if cfg is not None else None
    source = open_video(video, fmt)
    inds, scores, maps, frames = [], [], [], []
    frames_read = 0

    def counted(tensors):
        nonlocal frames_read
        for tensor in tensors:
            frames_read += 1
            yield tensor

    tensors = counted(_frame_tensors(source, progress))
    for chunk in stream_video(model, tensors, batch_size=batch_size,
                              backbone=backbone):
        inds.append(chunk.frame_inds.cpu())
        scores.append(chunk.scores.detach().float().cpu())
        if keep_maps:
            maps.append(chunk.error_maps.detach().float().cpu().numpy())
            frames.append(
                (chunk.frames.detach().float().cpu() * 255).round().clamp(
                    0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy())
    clip_len = model.clip_len
    if not scores:
        what = 'the video array' if isinstance(
            video, (np.ndarray, torch.Tensor)) else f'video {video}'
        raise ValueError(f'{what} has {frames_read} frames, fewer '
                         f'than the model\'s window T={clip_len}: no frame '
                         'can be scored')
    raw = torch.cat(scores).numpy().astype(np.float64)
    return VideoScores(
        name=source.name,
        num_frames=frames_read,
        clip_len=clip_len,
        frame_inds=torch.cat(inds).numpy().astype(np.int64),
        scores_raw=raw,
        scores_smoothed=median_smooth(raw, smoothing_window),
        smoothing_window=smoothing_window,
        fps=source.fps,
        error_maps=np.concatenate(maps) if keep_maps else None,
        frames=np.concatenate(frames) if keep_maps else None)
