"""The calibrated alert threshold, kept as JSON beside its checkpoint.

``epoch_8.pth`` -> ``epoch_8.threshold.json``: data only (nothing in it is
executed), written atomically, and tied to the checkpoint by its SHA-256,
so a threshold calibrated for other weights is never used silently.

Example:
    >>> threshold_path('work_dirs/x/epoch_8.pth')
    'work_dirs/x/epoch_8.threshold.json'
"""
import hashlib
import json
import os.path as osp
from typing import Optional

from mmddl.utils.atomic_backend import atomic_write_bytes
from .calibration import THRESHOLD_FORMAT


class ThresholdMismatchError(ValueError):
    """Raised when a threshold file belongs to other weights or is bad."""


def threshold_path(checkpoint: str) -> str:
    """Where the threshold of ``checkpoint`` is kept by default."""
    return osp.splitext(checkpoint)[0] + '.threshold.json'


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def save_threshold(result: dict, checkpoint: str,
                   path: Optional[str] = None) -> str:
    """Write a :func:`calibrate_threshold` result for ``checkpoint``."""
    path = path or threshold_path(checkpoint)
    data = dict(result, checkpoint=osp.basename(checkpoint),
                checkpoint_sha256=file_sha256(checkpoint))
    atomic_write_bytes(
        (json.dumps(data, indent=2) + '\n').encode('utf-8'), path)
    return path


def load_threshold(checkpoint: str, path: Optional[str] = None
                   ) -> Optional[dict]:
    """The threshold calibrated for ``checkpoint``; None when there is no
    file (and no ``path`` was given).

    Raises:
        FileNotFoundError: ``path`` was given and does not exist.
        ThresholdMismatchError: The file is not a threshold file, or was
            calibrated for other weights.
    """
    explicit = path is not None
    path = path or threshold_path(checkpoint)
    if not osp.isfile(path):
        if explicit:
            raise FileNotFoundError(f'threshold file {path} does not exist')
        return None
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError) as err:
        raise ThresholdMismatchError(
            f'{path} is not a threshold file ({err})') from None
    if not isinstance(data, dict) or data.get('format') != THRESHOLD_FORMAT \
            or not isinstance(data.get('threshold'), (int, float)):
        raise ThresholdMismatchError(
            f'{path} is not an mmddl threshold file (format '
            f'{THRESHOLD_FORMAT}); write one with '
            'tools/calibrate_threshold.py')
    if data.get('checkpoint_sha256') != file_sha256(checkpoint):
        raise ThresholdMismatchError(
            f'{path} was calibrated for other weights '
            f'({data.get("checkpoint")}), not for {checkpoint}; run '
            'tools/calibrate_threshold.py for this checkpoint, or pass '
            '--threshold')
    return data
