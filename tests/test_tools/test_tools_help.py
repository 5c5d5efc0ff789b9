"""Each tool answers --help, and the launch scripts explain their usage."""
import glob
import os.path as osp

import pytest

from mmddl.testing.tools import REPO_ROOT, run_tool

PY_TOOLS = sorted(
    osp.relpath(p, REPO_ROOT) for p in glob.glob(
        osp.join(REPO_ROOT, 'tools', '**', '*.py'), recursive=True))
SH_TOOLS = sorted(
    osp.relpath(p, REPO_ROOT)
    for p in glob.glob(osp.join(REPO_ROOT, 'tools', '*.sh')))


@pytest.mark.parametrize('tool', PY_TOOLS)
def test_python_tool_answers_help(tool):
    result = run_tool([tool, '--help'], timeout=120)
    assert 'usage' in result.stdout.lower()


@pytest.mark.parametrize('tool', SH_TOOLS)
def test_shell_tool_prints_usage_without_arguments(tool):
    result = run_tool(['bash', tool], timeout=60, check=False)
    assert result.returncode == 2
    assert 'usage' in result.stderr


def test_train_tool_knows_the_openmmlab_arguments():
    result = run_tool(['tools/train.py', '--help'], timeout=120)
    for flag in ('--work-dir', '--resume', '--amp', '--cfg-options',
                 '--launcher', '--local-rank'):
        assert flag in result.stdout


def test_test_tool_knows_its_arguments():
    result = run_tool(['tools/test.py', '--help'], timeout=120)
    for flag in ('checkpoint', '--out', '--show-dir', '--cfg-options',
                 '--launcher'):
        assert flag in result.stdout
