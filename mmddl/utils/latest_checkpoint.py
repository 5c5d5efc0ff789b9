"""The checkpoint a run resumes from, also when a kill cut ``last_checkpoint``.

mmengine writes ``<work_dir>/last_checkpoint`` in place after each save; a run
killed in that moment leaves it empty, and resuming then fails on the empty
path. Here the file is trusted only when it names a checkpoint that exists;
otherwise the newest ``iter_N.pth`` / ``epoch_N.pth`` of the work dir is taken.

Example:
    >>> find_resumable_checkpoint('/nonexistent') is None
    True
"""
import os
import os.path as osp
import re
from typing import Optional

CHECKPOINT_NAME = re.compile(r'^(iter|epoch)_(\d+)\.pth$')


def find_resumable_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume ``work_dir``'s run from, or None."""
    if not osp.isdir(work_dir):
        return None
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if named and osp.isfile(named):
            return named
    found = [osp.join(work_dir, name) for name in os.listdir(work_dir)
             if CHECKPOINT_NAME.match(name)]
    return max(found, key=osp.getmtime) if found else None
