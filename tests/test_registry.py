"""The registries: scope, parents, locations, and what each one holds."""
import importlib

import pytest
from mmengine import DefaultScope
from mmengine import registry as mmengine_registry

import mmddl.registry as registry
from mmddl.setup_env import register_all_modules

# What each registry must hold once everything is registered. Components are
# added here as they land, so a missing registration fails loudly.
EXPECTED = {
    'OPTIM_WRAPPERS': ['AutocastOptimWrapper'],
    'TASK_UTILS': ['MotionBlobDetector', 'MMDetDetector'],
    'TRANSFORMS': ['LoadTrackMasks'],
    'HOOKS': ['NaNGuardHook'],
}


@pytest.mark.parametrize('name', registry.__all__)
def test_child_of_mmengine_with_scope_and_importable_locations(name):
    child = getattr(registry, name)
    assert child.scope == 'mmddl'
    assert child.parent is getattr(mmengine_registry, name)
    assert child._locations, f'{name} has no locations'
    for location in child._locations:
        importlib.import_module(location)


@pytest.mark.parametrize('name,members', sorted(EXPECTED.items()))
def test_registries_hold_their_components(name, members):
    register_all_modules()
    child = getattr(registry, name)
    for member in members:
        assert member in child.module_dict, f'{member} not in {name}'


def test_register_all_modules_sets_default_scope():
    register_all_modules()
    assert DefaultScope.get_current_instance().scope_name == 'mmddl'


def test_types_resolve_from_another_scope():
    register_all_modules(init_default_scope=False)
    with DefaultScope.overwrite_default_scope('mmengine'):
        wrapper = mmengine_registry.OPTIM_WRAPPERS.get(
            'mmddl.AutocastOptimWrapper')
    assert wrapper.__name__ == 'AutocastOptimWrapper'
