"""ONNX export: the graphs equal torch, and scoring through ONNX Runtime
gives torch's scores (offline and streaming, any batch size)."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmddl.apis import init_model, score_video
from mmddl.testing.tools import run_tool

pytest.importorskip('onnxruntime')  # requirements/deploy.txt (make install)
from mmddl.deploy import OnnxBackbone, export_onnx  # noqa: E402

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    torch.manual_seed(0)
    model = init_model(CONFIG)
    out = str(tmp_path_factory.mktemp('onnx'))
    paths, diffs = export_onnx(model, out)
    return model, out, paths, diffs


def test_graphs_equal_torch_and_deploy_json_is_data(exported):
    model, out, paths, diffs = exported
    assert set(diffs) == {'encoder', 'decoder', 'window'}
    assert max(diffs.values()) < 1e-5
    info = json.load(open(paths['deploy']))
    assert info['frame_size'] == [32, 32] and info['clip_len'] == 3
    assert info['opset'] >= 17 and info['fused'] is True
    import onnx
    for graph in ('encoder', 'decoder', 'window'):
        proto = onnx.load(paths[graph])
        assert proto.opset_import[0].version >= 17
        onnx.checker.check_model(proto)


@pytest.mark.parametrize('batch_size', [1, 3, 8])
def test_onnxruntime_scores_equal_torch(exported, batch_size):
    model, out, _, _ = exported
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (13, 32, 32, 3), dtype=np.uint8)
    want = score_video(model, frames, batch_size=batch_size)
    got = score_video(model, frames, batch_size=batch_size,
                      backbone=OnnxBackbone(out))
    np.testing.assert_array_equal(got.frame_inds, want.frame_inds)
    np.testing.assert_allclose(got.scores_raw, want.scores_raw, rtol=1e-4,
                               atol=1e-7)


def test_a_model_of_other_settings_is_refused(exported):
    _, out, _, _ = exported
    other = init_model(CONFIG, cfg_options=dict(
        model=dict(test_cfg=dict(patch_size=16))))
    with pytest.raises(ValueError, match='ONNX export has'):
        score_video(other, np.zeros((5, 32, 32, 3), np.uint8),
                    backbone=OnnxBackbone(out))
    # the live path streams through the same check
    from mmddl.apis.live_scoring import score_live
    from mmddl.apis.live_source import LiveFrame
    live = (LiveFrame(np.zeros((32, 32, 3), np.uint8), float(i), 0, i)
            for i in range(5))
    with pytest.raises(ValueError, match='ONNX export has'):
        score_live(other, live, backbone=OnnxBackbone(out))
    with pytest.raises(FileNotFoundError, match='export_onnx.py'):
        OnnxBackbone(osp.dirname(out))


def test_export_tool_and_infer_video_backend(tmp_path):
    import cv2
    torch.manual_seed(0)
    model = init_model(CONFIG)
    ckpt = str(tmp_path / 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=Config.fromfile(CONFIG).pretty_text)), ckpt)
    out = str(tmp_path / 'onnx')
    result = run_tool(['tools/deployment/export_onnx.py', CONFIG, ckpt, out])
    assert 'largest |onnx - torch|' in result.stdout
    rng = np.random.default_rng(1)
    frames = rng.integers(0, 256, (12, 32, 32, 3), dtype=np.uint8)
    folder = tmp_path / 'clip'
    folder.mkdir()
    for i, frame in enumerate(frames):
        cv2.imwrite(str(folder / f'{i}.png'), frame)
    csvs = {}
    for backend in ('torch', 'onnxruntime'):
        vis = str(tmp_path / backend)
        run_tool(['tools/infer_video.py', CONFIG, ckpt, str(folder),
                  '--out-dir', vis, '--no-video', '--backend', backend,
                  '--onnx-dir', out])
        csvs[backend] = np.loadtxt(osp.join(vis, 'clip_scores.csv'),
                                   delimiter=',', skiprows=1)
    np.testing.assert_allclose(csvs['onnxruntime'], csvs['torch'],
                               rtol=1e-4, atol=1e-7)
