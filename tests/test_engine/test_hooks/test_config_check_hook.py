from unittest.mock import MagicMock

import pytest
from mmengine.config import Config

from mmddl.engine.hooks import ConfigMismatchError, VADConfigCheckHook
from mmddl.registry import MODELS
from mmddl.setup_env import register_all_modules


def runner_for(cfg_overrides):
    register_all_modules()
    cfg = Config.fromfile('configs/ddl/c3dsu_synthetic.py')
    cfg.merge_from_dict(cfg_overrides)
    runner = MagicMock()
    runner.cfg = cfg
    runner.model = MODELS.build(cfg.model)
    return runner


def test_consistent_config_passes(repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    VADConfigCheckHook().before_run(runner_for({}))


@pytest.mark.parametrize('overrides,key', [
    ({'train_dataloader.dataset.clip_len': 5},
     'train_dataloader.dataset.clip_len=5'),
    ({'model.test_cfg.patch_size': 96}, 'model.test_cfg.patch_size=96'),
    ({'test_dataloader.dataset.pipeline.0.scale': (60, 60)},
     'do not divide by 16'),
])
def test_mismatch_names_the_key(repo_root, monkeypatch, overrides, key):
    monkeypatch.chdir(repo_root)
    with pytest.raises(ConfigMismatchError, match=key.replace('.', r'\.')):
        VADConfigCheckHook().before_run(runner_for(overrides))


def test_other_models_are_left_alone():
    runner = MagicMock()
    runner.model = object()
    VADConfigCheckHook().before_run(runner)
