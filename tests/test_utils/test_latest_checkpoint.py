"""Resuming finds the checkpoint even when a kill left last_checkpoint
empty (mmengine writes it in place after each save)."""
import os
import time

from mmddl.utils.latest_checkpoint import find_resumable_checkpoint


def test_named_checkpoint_wins(tmp_path):
    for name in ('iter_4.pth', 'iter_8.pth'):
        (tmp_path / name).write_bytes(b'x')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    assert find_resumable_checkpoint(str(tmp_path)) == str(
        tmp_path / 'iter_4.pth')


def test_empty_pointer_falls_back_to_the_newest(tmp_path):
    old, new = tmp_path / 'iter_4.pth', tmp_path / 'iter_8.pth'
    old.write_bytes(b'x')
    new.write_bytes(b'x')
    past = time.time() - 100
    os.utime(old, (past, past))
    (tmp_path / 'last_checkpoint').write_text('')  # killed mid-write
    (tmp_path / '.iter_9.pth.x.tmp').write_bytes(b'\0')
    assert find_resumable_checkpoint(str(tmp_path)) == str(new)


def test_nothing_to_resume(tmp_path):
    assert find_resumable_checkpoint(str(tmp_path)) is None
    assert find_resumable_checkpoint(str(tmp_path / 'absent')) is None
