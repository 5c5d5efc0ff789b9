"""Streaming inference: score a whole video encoding each frame once.

Sliding-window inference sees every frame T times, and the encoder is most
of the network's work (docs/method.md, section 6). Both backbones expose
``encode_frames`` (frames -> per-level features) and ``decode`` (a window of
features -> the centre frame), so a video can be scored by encoding new
frames in chunks, keeping the last T-1 frames' features as a ring buffer,
and decoding every window from the buffer plus the chunk. BatchNorm is in
eval mode, so a frame's features do not depend on the rest of the batch:
the scores equal the sliding-window path's.

Example:
    >>> # model: a DDLReconstructor in eval mode; frames: (L, C, H, W) uint8
    >>> # for chunk in stream_video(model, frames, batch_size=8):
    >>> #     chunk.frame_inds, chunk.scores, chunk.error_maps
"""
from dataclasses import dataclass
from typing import Iterable, Iterator, List, Optional, Union

import torch

from mmddl.evaluation.functional.frame_scores import (max_patch_score,
                                                      reconstruction_error_map)


@dataclass
class StreamChunk:
    """Results for consecutive centre frames of one video.

    Attributes:
        frame_inds (Tensor): (n,) indices of the scored (centre) frames.
        scores (Tensor): (n,) anomaly scores.
        error_maps (Tensor): (n, H, W) per-pixel errors.
        frames (Tensor): (n, C, H, W) the scored frames in [0, 1].
        recons (Tensor): (n, C, H, W) their reconstructions.
    """
    frame_inds: torch.Tensor
    scores: torch.Tensor
    error_maps: torch.Tensor
    frames: torch.Tensor
    recons: torch.Tensor


def _chunks(frames: Union[torch.Tensor, Iterable[torch.Tensor]],
            size: int) -> Iterator[torch.Tensor]:
    if isinstance(frames, torch.Tensor):
        if frames.ndim != 4:
            raise ValueError('frames must be (L, C, H, W), got shape '
                             f'{tuple(frames.shape)}')
        yield from torch.split(frames, size)
        return
    batch = []
    for frame in frames:
        batch.append(frame)
        if len(batch) == size:
            yield torch.stack(batch)
            batch = []
    if batch:
        yield torch.stack(batch)


def to_unit_float(frames: torch.Tensor) -> torch.Tensor:
    """uint8 frames -> float in [0, 1]; float frames are kept (as the data
    preprocessor does)."""
    if frames.dtype == torch.uint8:
        return frames.float().div_(255.0)
    if not frames.is_floating_point():
        raise TypeError(f'frames must be uint8 or float, got {frames.dtype}')
    return frames.float()


def window_stack(frames: List[torch.Tensor], clip_len: int,
                 count: int) -> torch.Tensor:
    """(count, T, C, H, W) windows from (1, C, H, W) per-frame features.

    One window (streaming one frame at a time) is stacked straight from the
    frames; more are stacked from T overlapping slices of their
    concatenation. ``torch.stack`` along dim 1 keeps channels-last features
    (N, H, W, T, C) in memory, so the skip conv's (N, T * C, H, W) view of
    them needs no further copy.
    """
    if count == 1:  # exactly T frames
        return torch.stack(frames, dim=1)
    joined = torch.cat(frames)
    return torch.stack([joined[t:t + count] for t in range(clip_len)], dim=1)


@torch.no_grad()
def stream_video(model,
                 frames: Union[torch.Tensor, Iterable[torch.Tensor]],
                 batch_size: int = 8,
                 device: Optional[Union[str, torch.device]] = None,
                 backbone=None) -> Iterator[StreamChunk]:
    """Score every frame of a video that has a full window, in order.

    Args:
        model (DDLReconstructor): In eval mode. Its deployed model
            (``model.deployed``: the fused, channels-last, compiled and
            autocast backbone per ``test_cfg``, and the patch scoring)
            encodes, decodes and scores; a model without one, its
            ``backbone`` and ``test_cfg``.
        frames (Tensor | Iterable[Tensor]): (L, C, H, W) uint8 or [0, 1]
            float, or an iterable of (C, H, W) frames (read lazily).
        batch_size (int): New frames encoded per step. Defaults to 8.
        device (str, optional): Defaults to the model's device.
        backbone (optional): What encodes and decodes instead of the
            model's own (deployed) backbone, e.g. an
            :class:`~mmddl.deploy.OnnxBackbone`; it needs ``encode_frames``
            and ``decode``. The model still gives T and the patch scoring.

    Yields:
        StreamChunk: consecutive centre frames (T-1)/2 .. L-1-(T-1)/2.
    """
    if model.training:
        raise RuntimeError('stream_video needs model.eval(): in training '
                           'mode BatchNorm would mix frames of a batch')
    # an exported backbone refuses a model it was not exported from
    if backbone is not None and hasattr(backbone, 'check_model'):
        backbone.check_model(model)
    # the deployed model (test_cfg's inference options), if it has one
    deployed = getattr(model, 'deployed', None)
    if backbone is None:
        backbone = deployed if deployed is not None else model.backbone
    if deployed is not None:
        score = deployed.score
    else:
        def score(centres, recons):
            error_maps = reconstruction_error_map(centres, recons)
            return error_maps, max_patch_score(
                error_maps, model.test_cfg['patch_size'],
                model.test_cfg['shifted_grid'])
    clip_len = model.clip_len
    half = (clip_len - 1) // 2
    device = device or next(model.parameters()).device

    # Per level, the features of the last T-1 frames, one (1, C, H, W) view
    # each: they are only copied once, when a window is stacked.
    buffer_feats, buffer_pixels = None, None
    seen = 0
    for chunk in _chunks(frames, batch_size):
        pixels = to_unit_float(chunk.to(device))
        feats = [list(f.split(1)) for f in backbone.encode_frames(pixels)]
        first = seen  # index of the first frame in pixels/feats
        if buffer_feats is not None:
            feats = [b + f for b, f in zip(buffer_feats, feats)]
            pixels = torch.cat([buffer_pixels, pixels])
            first -= len(buffer_pixels)
        seen += len(chunk)
        count = len(pixels) - clip_len + 1
        if count > 0:
            windows = [window_stack(f, clip_len, count) for f in feats]
            recons = backbone.decode(windows).float()
            centres = pixels[half:half + count]
            error_maps, scores = score(centres, recons)
            yield StreamChunk(
                frame_inds=torch.arange(first + half,
                                        first + half + count),
                scores=scores,
                error_maps=error_maps,
                frames=centres,
                recons=recons)
        if clip_len > 1:
            keep = clip_len - 1
            buffer_feats = [f[-keep:] for f in feats]  # lists of views
            buffer_pixels = pixels[-keep:]
