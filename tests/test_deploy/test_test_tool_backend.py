"""tools/test.py --backend onnxruntime scores the test set through the
exported graphs (the streaming test loop's backbone), as torch does; a
config whose test loop is not the streaming one is refused."""
import importlib.util
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmddl.apis import init_model
from mmddl.data_generation import make_synthetic_dataset
from mmddl.evaluation.functional.scores_file import load_scores
from mmddl.testing.tools import REPO_ROOT, run_tool

pytest.importorskip('onnxruntime')  # requirements/deploy.txt (make install)
from mmddl.deploy import export_onnx  # noqa: E402

CONFIG = 'configs/ddl/c3dsu_synthetic.py'
WIDTHS = [8, 16, 32, 64]


def load_test_tool():
    spec = importlib.util.spec_from_file_location(
        'mmddl_test_tool', osp.join(REPO_ROOT, 'tools', 'test.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    """Two short test videos, a random model's checkpoint and its export."""
    base = tmp_path_factory.mktemp('test_tool')
    root = str(base / 'synthetic')
    make_synthetic_dataset(root, seed=5, train_videos=1, test_videos=2,
                           frames=16)
    torch.manual_seed(0)
    model = init_model(CONFIG, cfg_options=dict(
        model=dict(backbone=dict(widths=WIDTHS))))
    ckpt = str(base / 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=model.cfg.pretty_text)), ckpt)
    onnx_dir = str(base / 'onnx')
    export_onnx(model, onnx_dir, check=False)
    options = [f'test_dataloader.dataset.data_root={root}',
               f'model.backbone.widths=[{",".join(map(str, WIDTHS))}]']
    return base, ckpt, onnx_dir, options


def test_onnxruntime_test_run_gives_torchs_scores(exported):
    base, ckpt, onnx_dir, options = exported
    videos = {}
    for backend in ('torch', 'onnxruntime'):
        out = str(base / f'{backend}.npz')
        result = run_tool(['tools/test.py', CONFIG, ckpt, '--work-dir',
                           str(base / 'work'), '--out', out, '--backend',
                           backend] +
                          (['--onnx-dir', onnx_dir]
                           if backend != 'torch' else []) +
                          ['--cfg-options'] + options)
        assert 'vad/auc' in result.stdout
        videos[backend] = load_scores(out)['videos']
    assert sorted(videos['onnxruntime']) == sorted(videos['torch'])
    for vid, want in videos['torch'].items():
        got = videos['onnxruntime'][vid]
        np.testing.assert_array_equal(got['frame_index'],
                                      want['frame_index'])
        np.testing.assert_allclose(got['score_raw'], want['score_raw'],
                                   rtol=1e-4, atol=1e-7)


def args_of(**kwargs):
    values = dict(config='c.py', backend=None, onnx_dir=None)
    values.update(kwargs)
    return SimpleNamespace(**values)


def test_backend_options_are_checked_before_the_run():
    from mmddl.setup_env import register_all_modules
    register_all_modules(init_default_scope=False)
    tool = load_test_tool()
    plain = Config(dict(test_cfg=dict(type='TestLoop')))
    with pytest.raises(ValueError, match='--backend openvino needs '
                       'test_cfg.type=StreamingTestLoop, and c.py has '
                       'TestLoop'):
        tool.set_backend(plain, args_of(backend='openvino', onnx_dir='d'))
    streaming = Config(dict(test_cfg=dict(type='StreamingTestLoop')))
    with pytest.raises(ValueError, match='--backend onnxruntime needs '
                       '--onnx-dir'):
        tool.set_backend(streaming, args_of(backend='onnxruntime'))
    with pytest.raises(ValueError, match='--onnx-dir needs --backend'):
        tool.set_backend(streaming, args_of(onnx_dir='d'))
    # torch on any loop changes nothing; a runtime goes into test_cfg
    tool.set_backend(plain, args_of(backend='torch'))
    assert 'backend' not in plain.test_cfg
    tool.set_backend(streaming, args_of(backend='openvino', onnx_dir='d'))
    assert streaming.test_cfg.backend == 'openvino'
    assert streaming.test_cfg.onnx_dir == 'd'
    tool.set_backend(streaming, args_of(backend='torch'))
    assert streaming.test_cfg.backend == 'torch'


def test_the_streaming_loop_names_its_config_keys():
    from mmddl.engine.runner.streaming_loops import StreamingTestLoop

    def loop(**kwargs):
        # built objects instead of configs: mmengine's loop takes them as is
        return StreamingTestLoop(
            SimpleNamespace(), SimpleNamespace(dataset=None),
            SimpleNamespace(), **kwargs)

    assert loop().backbone is None
    with pytest.raises(ValueError, match='test_cfg.backend / '
                       'test_cfg.onnx_dir: backend openvino runs an ONNX '
                       'export: give onnx_dir'):
        loop(backend='openvino')
    with pytest.raises(ValueError, match="test_cfg.backend / "
                       "test_cfg.onnx_dir: unknown backend 'trt'"):
        loop(backend='trt', onnx_dir='d')
