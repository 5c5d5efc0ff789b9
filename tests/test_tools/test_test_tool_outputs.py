"""tools/test.py --out and --show-dir: a DumpVADScores metric and a
VADVisualizationHook with the test evaluator's settings (copied by key,
after --cfg-options), not attributes patched into the metric."""
import importlib.util
import os.path as osp
from types import SimpleNamespace

import pytest
from mmengine.config import Config

from mmddl.testing.tools import REPO_ROOT

CONFIG = osp.join(REPO_ROOT, 'configs', 'ddl', 'c3dsu_synthetic.py')


def load_test_tool():
    spec = importlib.util.spec_from_file_location(
        'mmddl_test_tool', osp.join(REPO_ROOT, 'tools', 'test.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def merged(tmp_path, **kwargs):
    ckpt = tmp_path / 'c.pth'
    ckpt.write_bytes(b'')
    values = dict(config=CONFIG, checkpoint=str(ckpt), launcher='none',
                  work_dir=str(tmp_path), non_strict=True, out=None,
                  show_dir=None, cfg_options=None, backend=None,
                  onnx_dir=None)
    values.update(kwargs)
    return load_test_tool().merge_args(Config.fromfile(CONFIG),
                                       SimpleNamespace(**values))


def test_without_out_or_show_dir_nothing_is_added(tmp_path):
    cfg = merged(tmp_path)
    assert cfg.test_evaluator.type == 'FrameAUCMetric'
    assert 'visualization' not in cfg.default_hooks


def test_out_appends_a_dump_metric_with_the_settings(tmp_path):
    cfg = merged(tmp_path, out='s.npz', show_dir='vis',
                 cfg_options={'test_evaluator.smoothing_window': 9,
                              'test_evaluator.per_scene': True})
    metric, dump = cfg.test_evaluator
    # the test config's 'auto' localisation metrics travel with the rest
    auto = dict(pixel_auc='auto', region_auc='auto')
    assert metric == dict(type='FrameAUCMetric', smoothing_window=9,
                          per_scene=True, **auto)
    assert dump == dict(type='DumpVADScores', out_file='s.npz',
                        smoothing_window=9, per_scene=True, **auto)
    assert cfg.default_hooks.visualization == dict(
        type='VADVisualizationHook', show_dir='vis', smoothing_window=9)
    # the rest of the default hooks stay
    assert 'checkpoint' in cfg.default_hooks


def test_a_configured_visualization_hook_keeps_its_settings(tmp_path):
    cfg = merged(tmp_path, show_dir='vis', cfg_options={
        'default_hooks.visualization': dict(type='VADVisualizationHook',
                                            heatmap_topk=5,
                                            smoothing_window=3)})
    assert cfg.default_hooks.visualization == dict(
        type='VADVisualizationHook', show_dir='vis', heatmap_topk=5,
        smoothing_window=3)
    with pytest.raises(ValueError, match='VADVisualizationHook'):
        merged(tmp_path, show_dir='vis', cfg_options={
            'default_hooks.visualization': dict(type='OtherHook')})


def test_bad_out_extension_is_refused_early(tmp_path):
    with pytest.raises(ValueError, match='--out s.csv'):
        merged(tmp_path, out='s.csv')
