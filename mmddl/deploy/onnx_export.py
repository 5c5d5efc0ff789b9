"""Export a trained model's inference backbone as ONNX graphs.

Streaming inference (:func:`mmddl.engine.streaming.stream_video`) runs two
functions of the backbone: ``encode_frames`` (new frames -> per-level
features) and ``decode`` (a window of T frames' features -> the centre
frame). Each becomes a graph with a dynamic batch axis; the whole-window
forward ((N, C, T, H, W) -> (N, C, H, W)) is exported too, for runtimes
that take one clip at a time. What is exported is what ``predict`` runs:
the fused backbone (BatchNorm folded, branches merged) when
``test_cfg.fuse_blocks`` is on, as it is by default.

``deploy.json`` beside the graphs names the frame size, channels, T, the
patch scoring settings and the graphs' inputs and outputs; it is data only.

Example:
    >>> # paths, diffs = export_onnx(model, 'work_dirs/x/onnx')
    >>> # diffs   # largest |onnx - torch| per graph on random input
"""
import json
import os
import os.path as osp
import warnings
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from mmddl.utils.atomic_backend import atomic_output, atomic_write_bytes

GRAPHS = ('encoder', 'decoder', 'window')
DEPLOY_FILE = 'deploy.json'


class _Encoder(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, frames):
        return tuple(self.backbone.encode_frames(frames))


class _Decoder(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, *windows):
        return self.backbone.decode(list(windows))


class _Window(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, clips):
        return self.backbone(clips)


def _module_of(runner) -> nn.Module:
    """The nn.Module behind an InferenceBackbone (or a plain backbone)."""
    module = getattr(runner, 'forward', runner)
    if not isinstance(module, nn.Module):
        raise TypeError('export needs an eager backbone: set '
                        'model.test_cfg.compile=False')
    return module


def _export(module: nn.Module, inputs: Tuple[torch.Tensor, ...], path: str,
            input_names: Sequence[str], output_names: Sequence[str],
            opset: int) -> None:
    axes = {name: {0: 'batch'} for name in list(input_names) +
            list(output_names)}
    with atomic_output(path, '.onnx') as tmp, warnings.catch_warnings():
        # tracing sees the shape checks as constants: right for one size
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        # TorchScript-based exporter: exact for these conv graphs and needs
        # no onnxscript; the graphs are checked against torch below
        torch.onnx.export(module, inputs, tmp, dynamo=False,
                          opset_version=opset, input_names=list(input_names),
                          output_names=list(output_names),
                          dynamic_axes=axes, do_constant_folding=True)


def export_onnx(model: nn.Module,
                out_dir: str,
                frame_size: Optional[Tuple[int, int]] = None,
                opset: int = 17,
                check: bool = True
                ) -> Tuple[Dict[str, str], Dict[str, float]]:
    """Write ``encoder.onnx``, ``decoder.onnx``, ``window.onnx`` and
    ``deploy.json`` into ``out_dir``.

    Args:
        model (DDLReconstructor): Trained, from :func:`init_model`.
        out_dir (str): Output folder.
        frame_size (tuple[int, int], optional): (width, height) of the
            model's frames; default: the test pipeline's.
        opset (int): ONNX opset, at least 17. Defaults to 17.
        check (bool): Run each graph with ONNX Runtime on random input and
            return the largest difference from torch. Defaults to True.

    Returns:
        tuple[dict, dict]: the paths, and per graph the largest absolute
        difference (empty without ``check``).
    """
    from mmddl.datasets.frame_format import frame_format_from_config
    if opset < 17:
        raise ValueError(f'opset must be >= 17, got {opset}')
    fmt = frame_format_from_config(model.cfg) if hasattr(model, 'cfg') \
        else None
    size = frame_size or (fmt.scale if fmt is not None else None)
    if size is None:
        raise ValueError('the frame size is unknown: pass frame_size=(w, h)')
    width, height = int(size[0]), int(size[1])
    model.eval()
    runner = model.inference_backbone()
    module = _module_of(runner)
    channels = (1 if fmt.grayscale else 3) if fmt is not None else int(
        getattr(model.backbone, 'in_channels', 3))
    clip_len = model.clip_len
    gen = torch.Generator().manual_seed(0)
    frames = torch.rand(2, channels, height, width, generator=gen)
    with torch.no_grad():
        feats = _Encoder(module)(frames)
        windows = tuple(
            torch.stack([f[:1]] * clip_len, dim=1).contiguous()
            for f in feats)
        clips = torch.rand(2, channels, clip_len, height, width,
                           generator=gen)
    levels = len(feats)
    names = dict(
        encoder=(['frames'], [f'feat{i}' for i in range(levels)]),
        decoder=([f'window{i}' for i in range(levels)], ['recon']),
        window=(['clips'], ['recon']))
    inputs = dict(encoder=(frames, ), decoder=windows, window=(clips, ))
    modules = dict(encoder=_Encoder(module), decoder=_Decoder(module),
                   window=_Window(module))
    os.makedirs(out_dir, exist_ok=True)
    paths = {g: osp.join(out_dir, f'{g}.onnx') for g in GRAPHS}
    for graph in GRAPHS:
        _export(modules[graph], inputs[graph], paths[graph], *names[graph],
                opset)
    info = dict(
        format='mmddl-onnx-v1',
        opset=opset,
        frame_size=[width, height],
        channels=channels,
        grayscale=channels == 1,
        interpolation=fmt.interpolation if fmt is not None else None,
        clip_len=clip_len,
        levels=levels,
        patch_size=model.test_cfg['patch_size'],
        shifted_grid=model.test_cfg['shifted_grid'],
        fused=bool(model.test_cfg.get('fuse_blocks', False)),
        graphs={g: dict(file=f'{g}.onnx', inputs=names[g][0],
                        outputs=names[g][1]) for g in GRAPHS})
    paths['deploy'] = osp.join(out_dir, DEPLOY_FILE)
    atomic_write_bytes((json.dumps(info, indent=2) + '\n').encode(),
                       paths['deploy'])
    diffs = {}
    if check:
        import onnxruntime as ort
        for graph in GRAPHS:
            session = ort.InferenceSession(
                paths[graph], providers=['CPUExecutionProvider'])
            feed = {n: t.numpy() for n, t in zip(names[graph][0],
                                                 inputs[graph])}
            got = session.run(None, feed)
            with torch.no_grad():
                want = modules[graph](*inputs[graph])
            want = want if isinstance(want, tuple) else (want, )
            diffs[graph] = float(
                max(np.abs(g - w.numpy()).max() for g, w in zip(got, want)))
    return paths, diffs
