import numpy as np
import pytest

from mmddl.evaluation.functional import minmax_normalize


def test_rescales_to_unit_interval():
    np.testing.assert_allclose(
        minmax_normalize(np.array([2., 6., 4., 3.])), [0., 1., .5, .25])


def test_constant_video_maps_to_zeros():
    np.testing.assert_array_equal(
        minmax_normalize(np.full(4, 7.)), np.zeros(4))


def test_keeps_the_order_within_a_video():
    scores = np.random.default_rng(1).normal(size=50)
    np.testing.assert_array_equal(
        np.argsort(minmax_normalize(scores)), np.argsort(scores))


def test_refuses_2d_input():
    with pytest.raises(ValueError, match='1-D'):
        minmax_normalize(np.zeros((2, 2)))
