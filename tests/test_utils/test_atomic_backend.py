import os

import pytest
from mmengine.fileio import get_file_backend

from mmddl.utils import AtomicLocalBackend, atomic_write_bytes


def test_backend_is_reachable_by_name(tmp_path):
    backend = get_file_backend(
        str(tmp_path), backend_args=dict(backend='atomic_local'))
    assert isinstance(backend, AtomicLocalBackend)
    backend.put(b'abc', tmp_path / 'x.bin')
    backend.put_text('hello', tmp_path / 'x.txt')
    assert (tmp_path / 'x.bin').read_bytes() == b'abc'
    assert (tmp_path / 'x.txt').read_text() == 'hello'
    assert sorted(os.listdir(tmp_path)) == ['x.bin', 'x.txt']


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / 'epoch_1.pth'
    target.write_bytes(b'old checkpoint')

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'replace', crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(b'new checkpoint, half written', target)
    assert target.read_bytes() == b'old checkpoint'
    assert os.listdir(tmp_path) == ['epoch_1.pth']  # no temporary left


def test_written_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(b'x', tmp_path / 'scores.csv')
    finally:
        os.umask(old)
    assert (tmp_path / 'scores.csv').stat().st_mode & 0o777 == 0o644
