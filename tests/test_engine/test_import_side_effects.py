"""Importing the library patches nothing: torch's checkpoint loading is
changed by register_all_modules or by the loops that precede a checkpoint
load, not as a side effect of ``import mmddl.engine``."""
import subprocess
import sys

PROBE = ('from mmengine.runner.checkpoint import CheckpointLoader; '
         "print(CheckpointLoader._schemes[''].__module__)")


def loader_module(statements: str) -> str:
    out = subprocess.run([sys.executable, '-c', statements + '; ' + PROBE],
                         capture_output=True, text=True, timeout=120,
                         check=True)
    return out.stdout.strip().splitlines()[-1]


def test_importing_the_packages_leaves_mmengines_loader():
    assert loader_module(
        'import mmddl.engine, mmddl.models, mmddl.datasets, '
        'mmddl.evaluation') == 'mmengine.runner.checkpoint'


def test_register_all_modules_installs_the_safe_loader():
    assert loader_module(
        'from mmddl.setup_env import register_all_modules; '
        'register_all_modules()') == 'mmddl.utils.checkpoint_loading'


def test_the_train_loop_installs_it_before_a_checkpoint_loads():
    assert loader_module(
        'from unittest import mock; '
        'from mmddl.engine.runner import ResumableEpochBasedTrainLoop as L; '
        'import mmengine.runner.loops as loops; '
        'mock.patch.object(loops.EpochBasedTrainLoop, "__init__", '
        'lambda self, *a, **k: None).start(); '
        'L(None, None, 1)') == 'mmddl.utils.checkpoint_loading'
