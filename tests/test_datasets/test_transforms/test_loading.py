"""LoadFrameWindow: direct decoding, the frame cache, grayscale."""
import glob
import multiprocessing as mp
import os
import os.path as osp
import time

import cv2
import numpy as np
import pytest

from mmddl.datasets.frame_cache import FrameCache
from mmddl.datasets.transforms import LoadFrameWindow
from mmddl.registry import TRANSFORMS


def video_paths(root, split='testing', video='01'):
    return sorted(glob.glob(osp.join(root, split, 'frames', video, '*')))


def load(transform, paths, inds):
    return transform(dict(frame_paths=paths, frame_inds=inds))['imgs']


def test_registered():
    assert TRANSFORMS.get('LoadFrameWindow') is LoadFrameWindow


def test_direct_decoding_resizes_to_rgb(frames_root):
    paths = video_paths(frames_root)
    out = LoadFrameWindow(scale=(12, 8))(
        dict(frame_paths=paths, frame_inds=[0, 1, 2]))
    assert out['imgs'].shape == (3, 8, 12, 3)
    assert out['imgs'].dtype == np.uint8
    assert out['img_shape'] == (8, 12)
    full = load(LoadFrameWindow(), paths, [1])
    bgr = cv2.imread(paths[1])
    np.testing.assert_array_equal(full[0], bgr[..., ::-1])


def test_grayscale_has_one_channel(frames_root):
    imgs = load(LoadFrameWindow(scale=(12, 8), grayscale=True),
                video_paths(frames_root), [0, 1, 2])
    assert imgs.shape == (3, 8, 12, 1)


@pytest.mark.parametrize('grayscale', [False, True])
def test_cache_gives_the_pixels_of_direct_decoding(frames_root, tmp_path,
                                                   grayscale):
    paths = video_paths(frames_root)
    direct = LoadFrameWindow(scale=(10, 6), grayscale=grayscale)
    cached = LoadFrameWindow(
        scale=(10, 6), grayscale=grayscale, cache_dir=str(tmp_path / 'c'))
    for inds in ([0, 1, 2], [5, 6, 7], [3, 4, 5]):
        a, b = load(direct, paths, inds), load(cached, paths, inds)
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    files = glob.glob(str(tmp_path / 'c' / '*.npy'))
    assert len(files) == 1
    assert np.load(files[0], mmap_mode='r').shape[0] == len(paths)


def test_cache_is_reused_not_rebuilt(frames_root, tmp_path, monkeypatch):
    paths = video_paths(frames_root)
    cache_dir = str(tmp_path / 'c')
    first = load(LoadFrameWindow(scale=(10, 6), cache_dir=cache_dir), paths,
                 [0, 1, 2])
    # A new loader (another worker, another run) must not decode again.
    monkeypatch.setattr(FrameCache, '_decode', lambda *a: 1 / 0)
    again = load(LoadFrameWindow(scale=(10, 6), cache_dir=cache_dir), paths,
                 [0, 1, 2])
    np.testing.assert_array_equal(first, again)


def test_cache_is_invalidated_by_a_changed_source_or_size(
        frames_root, tmp_path):
    paths = video_paths(frames_root)
    cache_dir = str(tmp_path / 'c')
    before = load(LoadFrameWindow(scale=(10, 6), cache_dir=cache_dir),
                  paths, [0, 1, 2])
    # rewrite frame 1 with other content (new size and mtime)
    time.sleep(0.01)
    cv2.imwrite(paths[1], np.full((16, 24, 3), 200, np.uint8))
    after = load(LoadFrameWindow(scale=(10, 6), cache_dir=cache_dir), paths,
                 [0, 1, 2])
    assert abs(int(after[1, 3, 5, 0]) - 200) <= 2
    assert int(before[1, 3, 5, 0]) != int(after[1, 3, 5, 0])
    np.testing.assert_array_equal(after[0], before[0])
    # the stale version was removed
    assert len(glob.glob(osp.join(cache_dir, '*.npy'))) == 1
    # another size is another cache file
    small = load(LoadFrameWindow(scale=(5, 3), cache_dir=cache_dir), paths,
                 [0, 1, 2])
    assert small.shape == (3, 3, 5, 3)
    assert len(glob.glob(osp.join(cache_dir, '*.npy'))) == 2


def _build_in_process(args):
    paths, cache_dir = args
    return np.array(FrameCache(cache_dir, (10, 6)).video(paths))


def test_racing_workers_build_the_same_cache(frames_root, tmp_path):
    paths = video_paths(frames_root)
    cache_dir = str(tmp_path / 'c')
    with mp.get_context('fork').Pool(2) as pool:
        a, b = pool.map(_build_in_process, [(paths, cache_dir)] * 2)
    np.testing.assert_array_equal(a, b)
    assert os.listdir(cache_dir) == [osp.basename(
        FrameCache(cache_dir, (10, 6)).path_of(paths))]  # no temp files


def test_missing_frame_in_cache_build_is_named(frames_root, tmp_path):
    paths = video_paths(frames_root)
    os.remove(paths[4])
    with pytest.raises(FileNotFoundError, match='004.jpg'):
        LoadFrameWindow(cache_dir=str(tmp_path))(
            dict(frame_paths=paths, frame_inds=[0, 1, 2]))


def test_bad_arguments():
    with pytest.raises(ValueError, match='scale'):
        LoadFrameWindow(scale=(10, ))
    with pytest.raises(ValueError, match='interpolation'):
        LoadFrameWindow(interpolation='lanczos9')
