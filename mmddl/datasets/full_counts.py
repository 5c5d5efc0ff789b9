"""The sizes of the full public datasets (docs/datasets.md) and a check that
compares a copy on disk against them.

A copy with about as many videos as the full set is checked; a much smaller
one (a subset, a test fixture) is not. Differences are warnings: a variant
copy may still be usable, but the user should know before trusting an AUC.

Example:
    >>> FULL_COUNTS['ped2']['test_frames']
    2010
"""
import warnings
from typing import Dict, Optional, Sequence

FULL_COUNTS = {
    'ped2':
    dict(
        train_videos=16,
        test_videos=12,
        test_frames=2010,
        frame_size=(360, 240),
        anomalous_frames=dict(ranges=1648)),
    'avenue':
    dict(
        train_videos=16,
        test_videos=21,
        test_frames=15324,
        frame_size=(640, 360),
        anomalous_frames=dict(ffp=3867, masks=3712)),
    'shanghaitech':
    dict(
        train_videos=330,
        test_videos=107,
        test_frames=40791,
        frame_size=(856, 480),
        anomalous_frames=dict(masks=17326)),
}

# A copy with at least this share of the full video count is taken for a
# full copy with something missing, and checked.
FULL_COPY_SHARE = 0.75


def check_full_counts(name: str,
                      split: str,
                      lengths: Dict[str, int],
                      num_anomalous: Optional[int] = None,
                      label_source: Optional[str] = None,
                      expected_ids: Optional[Sequence[str]] = None,
                      first_frame: Optional[str] = None) -> list:
    """Warn when a copy that looks full differs from the published counts.

    Args:
        name (str): key of :data:`FULL_COUNTS`.
        split (str): 'train' or 'test'.
        lengths (dict): video id -> number of frames found.
        num_anomalous (int, optional): anomalous frames found (test only).
        label_source (str, optional): which labels were read, a key of
            ``anomalous_frames``; other sources are not checked.
        expected_ids (Sequence[str], optional): the full set's video ids,
            to name the missing ones.
        first_frame (str, optional): a frame whose size is compared with
            the published one.

    Returns:
        list[str]: the problems found (also issued as warnings).
    """
    full = FULL_COUNTS[name]
    want_videos = full[f'{split}_videos']
    found = len(lengths)
    problems = []
    if found < FULL_COPY_SHARE * want_videos:
        return problems
    if found != want_videos:
        msg = (f'{name} {split}: found {found} videos, the full set has '
               f'{want_videos}')
        if expected_ids is not None:
            missing = sorted(set(expected_ids) - set(lengths))
            extra = sorted(set(lengths) - set(expected_ids))
            if missing:
                msg += f'; missing: {", ".join(missing)}'
            if extra:
                msg += f'; unexpected: {", ".join(extra)}'
        problems.append(msg)
    elif split == 'test':
        frames = sum(lengths.values())
        if frames != full['test_frames']:
            problems.append(f'{name} test: found {frames} frames, the full '
                            f'set has {full["test_frames"]}')
        want_anomalous = full['anomalous_frames'].get(label_source)
        if (num_anomalous is not None and want_anomalous is not None
                and num_anomalous != want_anomalous):
            problems.append(
                f'{name} test: {num_anomalous} anomalous frames from the '
                f'{label_source} labels, the published count is '
                f'{want_anomalous}')
    if first_frame is not None:
        import cv2
        img = cv2.imread(first_frame, cv2.IMREAD_UNCHANGED)
        size = None if img is None else (img.shape[1], img.shape[0])
        if size is not None and size != full['frame_size']:
            problems.append(
                f'{name} {split}: frames are {size[0]} x {size[1]} '
                f'({first_frame}), the published set has '
                f'{full["frame_size"][0]} x {full["frame_size"][1]}')
    for msg in problems:
        warnings.warn(msg + ' (docs: docs/datasets.md)', stacklevel=3)
    return problems
