"""A local file backend that never leaves a half-written file behind.

mmengine's ``LocalBackend.put`` opens the destination and writes into it, so a
run killed while saving leaves a truncated checkpoint under the real name.
``AtomicLocalBackend`` writes to a temporary file in the same folder and
renames it over the destination (atomic on POSIX), for bytes and text alike.
The default runtime config passes ``backend_args=dict(backend='atomic_local')``
to the checkpoint hook, which covers checkpoints and ``last_checkpoint``.

Example:
    >>> from mmengine.fileio import get_file_backend
    >>> backend = get_file_backend(
    ...     'work_dirs', backend_args=dict(backend='atomic_local'))
    >>> type(backend).__name__
    'AtomicLocalBackend'
"""
import os
import os.path as osp
import tempfile
from contextlib import contextmanager
from typing import Iterator, Union

from mmengine.fileio import LocalBackend, register_backend


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(filepath: Union[str, os.PathLike],
                  suffix: str = '.tmp') -> Iterator[str]:
    """Write a file under a temporary name, then rename it into place.

    Yields a hidden, unique path in the destination's folder; when the block
    ends without error it replaces ``filepath`` (atomic on POSIX), otherwise
    it is removed and ``filepath`` is left as it was. ``suffix`` matters to
    writers that choose the format by extension (cv2's video writer).

    Example:
        >>> import numpy as np
        >>> with atomic_output('/tmp/mmddl_example.npy', '.npy') as tmp:
        ...     np.save(tmp, np.zeros(3))
    """
    filepath = os.fspath(filepath)
    folder = osp.dirname(osp.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix='.' + osp.basename(filepath) + '.', suffix=suffix)
    os.close(fd)
    # mkstemp makes the file private (0600); outputs get the permissions a
    # plain open() would give them.
    os.chmod(tmp, 0o666 & ~_current_umask())
    try:
        yield tmp
        os.replace(tmp, filepath)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def remove_stale_temporaries(folder: str) -> list:
    """Remove the temporary files that :func:`atomic_output` left in
    ``folder`` when a process was killed while writing (``.NAME.XXXX.tmp``).

    Call it only where no other process is writing, e.g. when a run starts
    in its own work dir. Returns the removed paths.

    Example:
        >>> remove_stale_temporaries('/tmp/no_such_folder_for_mmddl')
        []
    """
    if not osp.isdir(folder):
        return []
    removed = []
    for name in sorted(os.listdir(folder)):
        path = osp.join(folder, name)
        # mkstemp's names: '.' + destination + '.' + 8 random chars + suffix
        if (name.startswith('.') and name.endswith('.tmp')
                and name.count('.') >= 3 and osp.isfile(path)):
            os.remove(path)
            removed.append(path)
    return removed


def atomic_write_bytes(data: bytes, filepath: Union[str, os.PathLike]) -> None:
    """Write ``data`` to ``filepath`` through :func:`atomic_output`.

    Example:
        >>> atomic_write_bytes(b'abc', '/tmp/mmddl_atomic_example.bin')
    """
    with atomic_output(filepath) as tmp, open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@register_backend('atomic_local', force=True)
class AtomicLocalBackend(LocalBackend):
    """``LocalBackend`` whose writes are atomic (temporary file + rename)."""

    def put(self, obj: bytes, filepath) -> None:
        atomic_write_bytes(obj, filepath)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write_bytes(obj.encode(encoding), filepath)
