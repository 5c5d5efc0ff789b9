import importlib.metadata as md

import pytest

import mmddl


@pytest.mark.parametrize('name,version,message', [
    ('mmcv', '2.0.1', 'needs mmcv>=2.1.0'),
    ('mmcv', '2.2.0', 'known not to work'),
    ('mmengine', '0.9.0', 'needs mmengine>=0.10.0'),
])
def test_clear_message_for_unsupported_versions(monkeypatch, name, version,
                                                message):
    real = md.version

    def fake(dist):
        return version if dist == name else real(dist)

    monkeypatch.setattr(mmddl._md, 'version', fake)
    with pytest.raises(ImportError, match=message):
        mmddl._check_versions()


def test_installed_versions_pass():
    mmddl._check_versions()
