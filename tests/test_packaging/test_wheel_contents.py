"""A non-editable install ships the configs and tools in ``mmddl/.mim``
(what ``mim train mmddl CONFIG`` runs), as the OpenMMLab codebases do."""
import glob
import os
import os.path as osp
import subprocess
import sys
import zipfile

import pytest

from mmddl.testing.tools import REPO_ROOT


@pytest.fixture(scope='module')
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp('wheel')
    subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', REPO_ROOT, '--no-deps',
        '--no-build-isolation', '-q', '-w', str(out)
    ], check=True, timeout=300)
    wheels = glob.glob(osp.join(out, 'mmddl-*.whl'))
    assert len(wheels) == 1, wheels
    return set(zipfile.ZipFile(wheels[0]).namelist())


def repo_files(folder, suffixes):
    for dirpath, _, files in os.walk(osp.join(REPO_ROOT, folder)):
        if '__pycache__' in dirpath:
            continue
        for name in files:
            if name.endswith(suffixes):
                yield osp.relpath(osp.join(dirpath, name), REPO_ROOT)


def test_wheel_ships_every_config_and_tool(wheel_names):
    expected = list(repo_files('configs', ('.py', ))) + list(
        repo_files('tools', ('.py', '.sh')))
    assert 'configs/ddl/c3dsu_ped2.py' in expected
    missing = [p for p in expected if f'mmddl/.mim/{p}' not in wheel_names]
    assert not missing, missing


def test_wheel_ships_no_caches(wheel_names):
    assert not [n for n in wheel_names if '__pycache__' in n]
