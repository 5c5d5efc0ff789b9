"""Damaged JPEGs are refused, naming the file, instead of decoding with a
libjpeg warning into a partly wrong frame."""
import cv2
import numpy as np
import pytest

from mmddl.datasets.frame_decoding import decode_frame
from mmddl.datasets.image_integrity import CorruptImageError, check_jpeg
from mmddl.tracking.video_frames import VideoFrames


def _jpeg(params=(), seed=0):
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(rng.integers(0, 256, (96, 128, 3), np.uint8),
                           (5, 5), 0)
    ok, data = cv2.imencode('.jpg', img, list(params))
    assert ok
    return data.tobytes()


@pytest.mark.parametrize('params', [
    (), (cv2.IMWRITE_JPEG_PROGRESSIVE, 1), (cv2.IMWRITE_JPEG_RST_INTERVAL, 1),
    (cv2.IMWRITE_JPEG_OPTIMIZE, 1)
])
def test_whole_jpegs_pass(params):
    check_jpeg(_jpeg(params), 'f.jpg')
    check_jpeg(_jpeg(params) + bytes(64), 'padded.jpg')


@pytest.mark.parametrize('seed', range(5))
@pytest.mark.parametrize('progressive', [0, 1])
def test_second_half_garbage_is_found(seed, progressive):
    data = bytearray(_jpeg((cv2.IMWRITE_JPEG_PROGRESSIVE, progressive)))
    half = len(data) // 2
    data[half:] = np.random.default_rng(seed).integers(
        0, 256, len(data) - half, np.uint8).tobytes()
    with pytest.raises(CorruptImageError, match='g.jpg is a damaged JPEG'):
        check_jpeg(bytes(data), 'g.jpg')


@pytest.mark.parametrize('keep', [0.3, 0.6, 0.99])
def test_cut_short_is_found(keep):
    data = _jpeg()
    with pytest.raises(CorruptImageError):
        check_jpeg(data[:int(len(data) * keep)], 'h.jpg')


def test_decode_frame_and_the_mask_builder_refuse_a_damaged_frame(tmp_path):
    data = bytearray(_jpeg())
    half = len(data) // 2
    data[half:] = np.random.default_rng(1).integers(
        0, 256, len(data) - half, np.uint8).tobytes()
    path = str(tmp_path / '000123.jpg')
    with open(path, 'wb') as f:
        f.write(bytes(data))
    # what libjpeg does on its own: an image, and only a warning on stderr
    assert cv2.imread(path) is not None
    with pytest.raises(CorruptImageError, match='000123.jpg'):
        decode_frame(path, scale=(64, 48))
    with pytest.raises(CorruptImageError, match='000123.jpg'):
        VideoFrames([path])[0]
    good = str(tmp_path / 'good.jpg')
    with open(good, 'wb') as f:
        f.write(_jpeg())
    assert decode_frame(good).shape == (96, 128, 3)
