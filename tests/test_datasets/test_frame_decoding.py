"""The shared resize: antialiased by default, the authors' aliased
bilinear by name, and caches that never serve one for the other."""
import cv2
import numpy as np
import pytest

from mmddl.datasets.frame_cache import FrameCache
from mmddl.datasets.frame_decoding import (DEFAULT_INTERPOLATION, decode_frame,
                                           resize_frame)
from mmddl.datasets.frame_format import FrameFormat, frame_format_from_config
from mmddl.datasets.transforms import LoadFrameWindow


def stripes(height=96, width=96, period=3):
    """Vertical and horizontal 1-px lines every ``period`` px: texture a
    6x downscale cannot represent, so a good resize leaves a flat grey."""
    img = np.zeros((height, width, 3), np.uint8)
    img[:, ::period] = 255
    img[::period, :] = 255
    return img


def test_antialias_is_the_default_everywhere():
    assert DEFAULT_INTERPOLATION == 'antialias'
    assert LoadFrameWindow(scale=(8, 8)).interpolation == 'antialias'
    assert FrameFormat().interpolation == 'antialias'
    assert FrameCache('/tmp/x', (8, 8)).interpolation == 'antialias'
    # a stored config whose LoadFrameWindow names no interpolation
    cfg = dict(test_pipeline=[dict(type='LoadFrameWindow', scale=(8, 8))])
    assert frame_format_from_config(cfg).interpolation == 'antialias'


def test_antialias_averages_what_bilinear_aliases():
    # lines every 3 px, 6x down: bilinear hits the lines at every sample
    img = stripes(period=3)
    smooth = resize_frame(img, (16, 16))
    aliased = resize_frame(img, (16, 16), 'bilinear')
    assert abs(smooth.mean() - img.mean()) < 1
    assert aliased.mean() - img.mean() > 40  # far brighter than the scene
    # lines every 7 px: bilinear turns them into a coarse false pattern
    img = stripes(period=7)
    smooth = resize_frame(img, (16, 16))
    aliased = resize_frame(img, (16, 16), 'bilinear')
    assert abs(smooth.mean() - img.mean()) < 1
    assert aliased.std() > 3 * smooth.std()
    np.testing.assert_array_equal(
        aliased, cv2.resize(img, (16, 16), interpolation=cv2.INTER_LINEAR))


def test_antialias_shrinks_one_axis_while_growing_the_other():
    # Ped2-like: 360 -> 256 wide (shrink), 24 -> 48 high (grow)
    img = stripes(24, 360, period=7)
    out = resize_frame(img, (60, 48))
    assert out.shape == (48, 60, 3)
    # OpenCV's own INTER_AREA falls back to interpolation here and aliases
    plain_area = cv2.resize(img, (60, 48), interpolation=cv2.INTER_AREA)
    column_means = out.mean(axis=(0, 2))
    assert 3 * column_means.std() < plain_area.mean(axis=(0, 2)).std()


def test_same_size_is_returned_unchanged():
    img = stripes(8, 8)
    assert resize_frame(img, (8, 8)) is img


def test_unknown_interpolation_names_the_choices():
    with pytest.raises(ValueError, match='antialias'):
        resize_frame(stripes(), (8, 8), 'lanczos9')
    with pytest.raises(ValueError, match='interpolation'):
        FrameFormat(interpolation='lanczos9')


def test_decode_frame_and_frame_cache_follow_the_interpolation(tmp_path):
    paths = []
    for i in range(2):
        path = str(tmp_path / f'{i:03d}.png')
        cv2.imwrite(path, stripes())
        paths.append(path)
    smooth = decode_frame(paths[0], (16, 16))
    aliased = decode_frame(paths[0], (16, 16), interpolation='bilinear')
    assert not np.array_equal(smooth, aliased)
    cache_dir = str(tmp_path / 'cache')
    old = FrameCache(cache_dir, (16, 16), interpolation='bilinear')
    new = FrameCache(cache_dir, (16, 16))
    # a cache built with the authors' resize is never read for the new one
    assert old.path_of(paths) != new.path_of(paths)
    np.testing.assert_array_equal(old.video(paths)[0], aliased)
    np.testing.assert_array_equal(new.video(paths)[0], smooth)
