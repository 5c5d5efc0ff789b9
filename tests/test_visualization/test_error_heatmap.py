import cv2
import numpy as np
import pytest

from mmddl.visualization import (overlay_heatmap, save_heatmap_strip,
                                 write_png_image)


def test_overlay_is_red_where_the_error_is_highest():
    frame = np.full((20, 30, 3), 128, np.uint8)
    error = np.zeros((20, 30), np.float32)
    error[5:10, 5:10] = 2.0
    out = overlay_heatmap(frame, error)
    assert out.shape == (20, 30, 3) and out.dtype == np.uint8
    hot, cold = out[7, 7].astype(int), out[15, 20].astype(int)
    assert hot[0] > hot[2]  # red over blue where the error is max
    assert cold[2] > cold[0]  # blue tint where it is 0
    # The frame still shows where nothing is wrong.
    assert abs(cold - 128).max() < 60


def test_shared_scale_clips_and_dims():
    error = np.full((4, 4), 1.0, np.float32)
    full = overlay_heatmap(None, error, vmax=1.0)
    half = overlay_heatmap(None, error, vmax=2.0)
    assert not np.array_equal(full, half)
    np.testing.assert_array_equal(
        overlay_heatmap(None, error * 5, vmax=1.0), full)


def test_frame_of_another_size_and_grey_frame():
    error = np.random.rand(16, 24).astype(np.float32)
    assert overlay_heatmap(np.zeros((32, 48, 3), np.uint8),
                           error).shape == (16, 24, 3)
    assert overlay_heatmap(np.zeros((16, 24), np.uint8),
                           error).shape == (16, 24, 3)
    with pytest.raises(ValueError, match=r'\(H, W\)'):
        overlay_heatmap(None, np.zeros((1, 2, 3)))


def test_strip_png(tmp_path):
    panels = [
        dict(
            frame=np.zeros((16, 24, 3), np.uint8),
            error_map=np.random.rand(16, 24),
            frame_index=i,
            score=0.5) for i in range(3)
    ]
    path = str(tmp_path / 'strip.png')
    save_heatmap_strip(path, panels, title='v')
    image = cv2.imread(path)
    assert image.shape[1] > image.shape[0]  # a row of panels
    with pytest.raises(ValueError, match='no panels'):
        save_heatmap_strip(path, [])


def test_write_png_image_round_trip(tmp_path):
    image = np.random.default_rng(0).integers(0, 255, (5, 7, 3), np.uint8)
    path = str(tmp_path / 'x.png')
    write_png_image(image, path)
    np.testing.assert_array_equal(
        cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB), image)
