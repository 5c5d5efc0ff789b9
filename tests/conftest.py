import os.path as osp

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def repo_root():
    return REPO_ROOT


@pytest.fixture(autouse=True)
def _no_trusted_checkpoints(monkeypatch):
    """Every test starts with untrusted checkpoints, whatever ran before."""
    from mmddl.utils import checkpoint_loading
    monkeypatch.delenv(checkpoint_loading.TRUST_ENV_VAR, raising=False)
    monkeypatch.setattr(checkpoint_loading, '_trusted', False)
