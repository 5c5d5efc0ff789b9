"""Decoding dataset videos to frame folders, resumably and atomically.

Each video is decoded into a hidden temporary folder beside its target and
renamed into place when complete, so a target folder that exists is a
complete video: a rerun skips it, and an interrupted run leaves only a
temporary folder, which the next run removes.

Example:
    >>> prepare_dataset('avenue', 'data/avenue')  # doctest: +SKIP
    {'decoded': 37, 'skipped': 0}
"""
import glob
import logging
import os
import os.path as osp
import shutil
import tempfile
from typing import Callable, Dict, List, Optional, Tuple

import cv2

PARTIAL_TAG = '.partial-'
VIDEO_EXTS = ('.avi', '.mp4', '.mov', '.mkv')


def _write_frame(path: str, frame, params) -> None:
    if not cv2.imwrite(path, frame, params):
        raise OSError(f'Cannot write frame {path}')


def decode_video(video_path: str,
                 out_dir: str,
                 ext: str = '.jpg',
                 jpeg_quality: int = 95,
                 write_frame: Callable = _write_frame,
                 on_frame: Optional[Callable[[], None]] = None) -> int:
    """Decode one video into ``out_dir/0000.jpg ...`` (0-based).

    Args:
        video_path (str): the video file.
        out_dir (str): the frame folder to create; must not exist.
        ext (str): '.jpg' or '.png'. Defaults to '.jpg'.
        jpeg_quality (int): JPEG quality. Defaults to 95.
        write_frame (Callable): writes one frame (a test seam).
        on_frame (Callable, optional): called after each frame (progress).

    Returns:
        int: the number of frames written.
    """
    parent = osp.dirname(osp.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(
        dir=parent, prefix='.' + osp.basename(out_dir) + PARTIAL_TAG)
    params = [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)] \
        if ext == '.jpg' else []
    cap = cv2.VideoCapture(video_path)
    try:
        if not cap.isOpened():
            raise ValueError(f'Cannot open video {video_path}')
        count = 0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            write_frame(osp.join(tmp, f'{count:04d}{ext}'), frame, params)
            count += 1
            if on_frame is not None:
                on_frame()
        if count == 0:
            raise ValueError(f'No frame could be decoded from {video_path}')
        os.rename(tmp, out_dir)
        return count
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        cap.release()


def remove_partials(folder: str) -> List[str]:
    """Remove temporary folders left by an interrupted run in ``folder``."""
    removed = []
    for path in glob.glob(osp.join(folder, '.*' + PARTIAL_TAG + '*')):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def video_jobs(dataset: str, data_root: str) -> List[Tuple[str, str]]:
    """(video file, frame folder) pairs to decode for a dataset.

    Avenue: ``{training,testing}_videos/*.avi`` ->
    ``{training,testing}/frames/<stem>``. ShanghaiTech:
    ``{training,testing}/videos/*.avi`` -> ``{training,testing}/frames/
    <stem>`` (its test set already ships as frames).
    """
    if dataset == 'avenue':
        sources = [(osp.join(data_root, 'training_videos'),
                    osp.join(data_root, 'training', 'frames')),
                   (osp.join(data_root, 'testing_videos'),
                    osp.join(data_root, 'testing', 'frames'))]
    elif dataset == 'shanghaitech':
        sources = [(osp.join(data_root, split, 'videos'),
                    osp.join(data_root, split, 'frames'))
                   for split in ('training', 'testing')]
    else:
        raise ValueError(f'Unknown dataset {dataset!r}; expected avenue or '
                         'shanghaitech')
    jobs = []
    for video_dir, frames_dir in sources:
        if not osp.isdir(video_dir):
            continue
        for name in sorted(os.listdir(video_dir)):
            stem, ext = osp.splitext(name)
            if ext.lower() in VIDEO_EXTS and not name.startswith('.'):
                jobs.append((osp.join(video_dir, name),
                             osp.join(frames_dir, stem)))
    if not jobs:
        expected = ', '.join(d for d, _ in sources)
        raise FileNotFoundError(
            f'No videos ({", ".join(VIDEO_EXTS)}) found for {dataset} under '
            f'{data_root}; expected them in: {expected}')
    return jobs


def prepare_dataset(dataset: str,
                    data_root: str,
                    ext: str = '.jpg',
                    jpeg_quality: int = 95,
                    progress: bool = True,
                    write_frame: Optional[Callable] = None) -> Dict[str, int]:
    """Decode every video of a dataset that is not decoded yet.

    Args:
        dataset (str): 'avenue' or 'shanghaitech'.
        data_root (str): the dataset root.
        ext (str): frame file extension, '.jpg' or '.png'.
        jpeg_quality (int): JPEG quality. Defaults to 95.
        progress (bool): show a progress bar. Defaults to True.
        write_frame (Callable, optional): writes one frame (a test seam).

    Returns:
        dict: ``decoded``, ``skipped`` (already complete) and ``frames``
        (written now).
    """
    if ext not in ('.jpg', '.png'):
        raise ValueError(f'ext must be .jpg or .png, got {ext!r}')
    jobs = video_jobs(dataset, data_root)
    for frames_dir in sorted({osp.dirname(out) for _, out in jobs}):
        if osp.isdir(frames_dir):
            remove_partials(frames_dir)
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(len(jobs))
    stats = dict(decoded=0, skipped=0, frames=0)
    for video, out_dir in jobs:
        if osp.isdir(out_dir):
            stats['skipped'] += 1
        else:
            stats['frames'] += decode_video(
                video, out_dir, ext, jpeg_quality,
                **({} if write_frame is None else dict(
                    write_frame=write_frame)))
            stats['decoded'] += 1
        if bar is not None:
            bar.update()
    return stats


def container_frame_count(video_path: str) -> int:
    """The frame count a video's container reports (an estimate for some
    formats; 0 when it says nothing)."""
    cap = cv2.VideoCapture(video_path)
    try:
        return max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
    finally:
        cap.release()


def decode_videos(jobs: List[Tuple[str, str]],
                  progress: bool = True) -> Dict[str, int]:
    """Decode each ``(video file, frame folder)`` job whose folder does not
    exist yet, with one progress bar over all their frames.

    The number of frames decoded is compared with the container's count;
    a difference is printed as a warning (the decoded frames are what the
    dataset uses).

    Returns:
        dict: frame folder -> frames decoded now.
    """
    todo = [(video, out) for video, out in jobs if not osp.isdir(out)]
    for parent in sorted({osp.dirname(out) for _, out in todo}):
        if osp.isdir(parent):
            remove_partials(parent)
    if not todo:
        return {}
    from mmengine.logging import print_log
    from mmengine.utils import ProgressBar
    expected = {video: container_frame_count(video) for video, _ in todo}
    bar = ProgressBar(sum(expected.values())) if progress and sum(
        expected.values()) else None
    print_log(f'decoding {len(todo)} videos ({sum(expected.values())} '
              'frames) once into frame folders', logger='current')
    done = {}
    for video, out in todo:
        done[out] = decode_video(
            video, out, on_frame=None if bar is None else bar.update)
        if expected[video] and done[out] != expected[video]:
            print_log(
                f'{video}: decoded {done[out]} frames, its container says '
                f'{expected[video]}; using the {done[out]} decoded',
                logger='current', level=logging.WARNING)
    if bar is not None:
        print()
    return done
