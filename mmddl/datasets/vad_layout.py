"""Finding videos and frames on disk, with errors that say what was expected.

Example:
    >>> natural_sort_key('10.jpg') > natural_sort_key('9.jpg')
    True
"""
import os
import os.path as osp
import re
from typing import List, Sequence

FRAME_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff')


def natural_sort_key(name: str):
    """Sort key that orders ``'9.jpg'`` before ``'10.jpg'``.

    Frame names are zero padded in the public copies, but decoded videos may
    not be; splitting digits from text keeps both in frame order.
    """
    return [(0, int(part), '') if part.isdigit() else (1, 0, part)
            for part in re.split(r'(\d+)', name) if part]


def require_dir(path: str, what: str, layout: str) -> str:
    """Return ``path`` if it is a folder, else raise naming what is missing.

    Args:
        path (str): the folder that must exist.
        what (str): what the folder holds, e.g. ``'Ped2 test videos'``.
        layout (str): the layout that was expected, shown to the user.
    """
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'Missing folder {path} ({what}). Expected layout: {layout}')
    return path


def list_subdirs(folder: str, skip_suffix: Sequence[str] = ()) -> List[str]:
    """Sorted names of the sub-folders of ``folder``, minus hidden ones and
    those ending with one of ``skip_suffix`` (e.g. Ped2's ``_gt``)."""
    names = [
        n for n in os.listdir(folder)
        if osp.isdir(osp.join(folder, n)) and not n.startswith('.')
        and not any(n.endswith(s) for s in skip_suffix)
    ]
    return sorted(names, key=natural_sort_key)


def list_frames(video_dir: str, exts: Sequence[str] = FRAME_EXTS) -> List[str]:
    """Full paths of the frames of one video, in frame order.

    Raises:
        FileNotFoundError: when the folder holds no frame file.
    """
    names = [
        n for n in os.listdir(video_dir)
        if osp.splitext(n)[1].lower() in exts and not n.startswith('.')
    ]
    if not names:
        raise FileNotFoundError(
            f'No frames ({", ".join(exts)}) in video folder {video_dir}')
    names.sort(key=natural_sort_key)
    return [osp.join(video_dir, n) for n in names]
