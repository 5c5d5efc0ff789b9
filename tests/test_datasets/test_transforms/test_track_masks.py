import numpy as np
import pytest

from mmddl.datasets.transforms.track_masks import (LoadTrackMasks,
                                                   rasterise_box)
from mmddl.datasets import BoxCache


@pytest.mark.parametrize('height,width', [(8, 8), (16, 16), (32, 64),
                                          (240, 360)])
def test_rasterised_area_follows_the_resize(height, width):
    mask = np.zeros((height, width), np.uint8)
    rasterise_box(mask, [0.25, 0.5, 0.75, 1.0], height, width)
    ys, xs = np.nonzero(mask)
    assert (ys.min(), ys.max() + 1) == (height // 2, height)
    assert (xs.min(), xs.max() + 1) == (width // 4, 3 * width // 4)


def test_rasterised_edges_round_outwards_and_never_vanish():
    mask = np.zeros((10, 10), np.uint8)
    rasterise_box(mask, [0.31, 0.31, 0.32, 0.32], 10, 10)
    assert mask.sum() == 1 and mask[3, 3] == 1
    mask[:] = 0
    rasterise_box(mask, [0.95, 0.95, 1.2, 1.2], 10, 10)  # clipped
    assert mask.sum() == 1 and mask[9, 9] == 1


def make_transform(tmp_path):
    cache = BoxCache()
    cache.set_video('v', [
        {1: [0.0, 0.0, 0.5, 0.5], 2: [0.5, 0.5, 1.0, 1.0]},
        {1: [0.0, 0.0, 0.5, 0.5], 2: [0.5, 0.5, 1.0, 1.0]},
        {1: [0.25, 0.0, 0.75, 0.5]},  # track 2 left the scene
        {},
    ])
    path = str(tmp_path / 'boxes.json')
    cache.save(path)
    return LoadTrackMasks(box_cache=path)


def results(frame_inds):
    return dict(video_id='v', frame_inds=frame_inds, img_shape=(4, 4))


def test_only_tracks_present_in_every_frame_qualify(tmp_path):
    transform = make_transform(tmp_path)
    np.random.seed(0)
    drawn = {transform(results([0, 1, 2]))['track_id'] for _ in range(20)}
    assert drawn == {1}
    out = transform(results([0, 1, 2]))
    expected = np.zeros((3, 4, 4), np.uint8)
    expected[0, :2, :2] = expected[1, :2, :2] = expected[2, :2, 1:3] = 1
    np.testing.assert_array_equal(out['pseudo_mask'], expected)


def test_both_tracks_are_drawn_uniformly(tmp_path):
    transform = make_transform(tmp_path)
    np.random.seed(0)
    drawn = [transform(results([0, 1]))['track_id'] for _ in range(400)]
    assert set(drawn) == {1, 2}
    assert 0.4 < drawn.count(1) / len(drawn) < 0.6


def test_draw_is_reproducible_from_the_numpy_seed(tmp_path):
    transform = make_transform(tmp_path)
    np.random.seed(3)
    first = [transform(results([0, 1]))['track_id'] for _ in range(10)]
    np.random.seed(3)
    assert [transform(results([0, 1]))['track_id']
            for _ in range(10)] == first


def test_window_without_a_full_track_gets_an_empty_mask(tmp_path):
    out = make_transform(tmp_path)(results([2, 3]))
    assert out['track_id'] == -1
    assert out['pseudo_mask'].shape == (2, 4, 4)
    assert not out['pseudo_mask'].any()


def test_missing_cache_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        LoadTrackMasks(
            box_cache=str(tmp_path / 'none.json'),
            mask_config='configs/masks/motion_ocsort_synthetic.py')
    assert ('python tools/build_masks.py '
            'configs/masks/motion_ocsort_synthetic.py') in str(err.value)
