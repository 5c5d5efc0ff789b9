"""OpenVINO on the ONNX export gives torch's scores (streaming, any batch
size), refuses a model of other settings and frames of another size."""
import numpy as np
import pytest
import torch

from mmddl.apis import init_model, score_video

pytest.importorskip('onnx')  # the export: requirements/deploy.txt
pytest.importorskip('openvino')  # optional: requirements/openvino.txt
from mmddl.deploy import (OpenVinoBackbone, build_backbone,  # noqa: E402
                          export_onnx)
from mmddl.deploy.openvino_backbone import openvino_config  # noqa: E402

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    torch.manual_seed(0)
    model = init_model(CONFIG)
    out = str(tmp_path_factory.mktemp('onnx'))
    export_onnx(model, out, check=False)
    return model, out


@pytest.mark.parametrize('batch_size', [1, 3, 8])
def test_openvino_scores_equal_torch(exported, batch_size):
    model, out = exported
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (13, 32, 32, 3), dtype=np.uint8)
    want = score_video(model, frames, batch_size=batch_size)
    got = score_video(model, frames, batch_size=batch_size,
                      backbone=build_backbone('openvino', out, threads=1))
    np.testing.assert_array_equal(got.frame_inds, want.frame_inds)
    np.testing.assert_allclose(got.scores_raw, want.scores_raw, rtol=1e-4,
                               atol=1e-7)


def test_graph_outputs_equal_torch_and_survive_the_next_call(exported):
    model, out = exported
    backbone = OpenVinoBackbone(out)
    torch_backbone = model.inference_backbone()
    frames = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        want = torch_backbone.encode_frames(frames)
    got = backbone.encode_frames(frames)
    assert len(got) == len(want)
    kept = [g.clone() for g in got]
    backbone.encode_frames(torch.rand(2, 3, 32, 32))
    for g, k, w in zip(got, kept, want):
        # the ring buffer keeps these: the next call must not rewrite them
        torch.testing.assert_close(g, k, rtol=0, atol=0)
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-5)


def test_a_model_or_frames_of_other_settings_are_refused(exported):
    _, out = exported
    other = init_model(CONFIG, cfg_options=dict(
        model=dict(test_cfg=dict(patch_size=16))))
    with pytest.raises(ValueError, match='ONNX export has'):
        score_video(other, np.zeros((5, 32, 32, 3), np.uint8),
                    backbone=OpenVinoBackbone(out))
    with pytest.raises(ValueError, match=r'takes \(C, H, W\) = \(3, 32, 32\)'
                       r' frames, got \(3, 48, 32\)'):
        OpenVinoBackbone(out).encode_frames(torch.zeros(1, 3, 48, 32))


def test_float32_is_asked_for():
    # OpenVINO picks bfloat16 by default on CPUs with AVX512_BF16 / AMX
    assert openvino_config()['INFERENCE_PRECISION_HINT'] == 'f32'
    assert 'INFERENCE_NUM_THREADS' not in openvino_config()


def test_benchmark_tool_compares_the_three_backends():
    import json

    from mmddl.testing.tools import run_tool
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py', '--size',
        '32', '32', '--frames', '2', '--repeats', '1', '--json',
        '--backends', 'torch', 'onnxruntime', 'openvino', '--cfg-options',
        'model.backbone.widths=[8,16,32,64]'
    ])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ('torch', 'onnxruntime', 'openvino'):
        assert report[f'streaming_fps_{name}'] > 0
    assert report['openvino_vs_torch'] > 0
