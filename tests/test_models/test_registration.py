"""Every model-side component is registered in mmddl's registries."""
import pytest

from mmddl.registry import HOOKS, MODELS
from mmddl.setup_env import register_all_modules


@pytest.mark.parametrize('name', [
    'C3DSU', 'UNet2D', 'AdaptivePseudoAnomaly', 'DistinctionLoss',
    'ReconstructionLoss', 'VADDataPreprocessor', 'DDLReconstructor'
])
def test_models_registered(name):
    register_all_modules()
    assert MODELS.get(name) is not None
    assert MODELS.get(f'mmddl.{name}') is MODELS.get(name)


def test_hook_registered():
    register_all_modules()
    assert HOOKS.get('SigmaLoggerHook') is not None
