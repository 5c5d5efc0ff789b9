"""RBDC / TBDC from their definitions, on hand-made frames whose values are
worked out in the comments."""
import math

import numpy as np
import pytest
from scipy.ndimage import label

from mmddl.evaluation.functional import (RegionDetectionAccumulator,
                                         area_up_to_fpr, boxes_by_frame,
                                         downsample_for_regions,
                                         sweep_thresholds)


def block(shape, rows, cols, value=1.0):
    """A float map with ``value`` on rows x cols (slices), 0 elsewhere."""
    out = np.zeros(shape)
    out[rows, cols] = value
    return out


# ------------------------------------------------------------ whole curves
def test_perfect_detector_scores_one():
    acc = RegionDetectionAccumulator([0.5])
    for i in range(4):  # an object moving right by one pixel a frame
        gt = block((8, 8), slice(2, 4), slice(i, i + 2)) > 0
        acc.add(gt * 0.9, gt, video_id='v', frame_index=i)
    acc.add(np.zeros((8, 8)), np.zeros((8, 8), bool), 'v', 4)  # normal
    assert acc.num_tracks == 1
    assert acc.rbdc() == 1.0 and acc.tbdc() == 1.0


def test_detector_firing_only_elsewhere_scores_zero():
    acc = RegionDetectionAccumulator([0.5])
    gt = block((8, 8), slice(1, 3), slice(1, 3)) > 0
    err = block((8, 8), slice(6, 8), slice(6, 8))  # far from the object
    for i in range(3):
        acc.add(err, gt, 'v', i)
    curve = acc.curve()
    # one false region per frame: (0, 0) -> (1, 0)
    assert curve['fpr'].tolist() == [1.0]
    assert acc.rbdc() == 0.0 and acc.tbdc() == 0.0


def test_partial_case_by_hand():
    # Track A (frames 0-1) scores 0.9 then 0.5, track B (frames 2-3)
    # 0.5 then nothing; false regions: 0.8 in frame 1, 0.5 in frame 3.
    # t = 0.7: A0 found, one false region -> FPR 1/4, RBDR 1/4, TBDR 1/2
    # t = 0.3: A0, A1, B2 found, two false -> FPR 2/4, RBDR 3/4, TBDR 1
    # RBDC = .25*.25/2 + .25*(.25+.75)/2 + .5*.75         = 0.53125
    # TBDC = .25*.5/2  + .25*(.5+1)/2    + .5*1           = 0.75
    a = block((8, 8), slice(1, 3), slice(1, 3))
    b = block((8, 8), slice(5, 7), slice(5, 7))
    frames = [(0.9 * a, a), (0.5 * a + block((8, 8), 7, 0, 0.8), a),
              (0.5 * b, b), (block((8, 8), 0, 7, 0.5), b)]
    acc = RegionDetectionAccumulator([0.3, 0.7])  # any order
    for i, (err, gt) in enumerate(frames):
        acc.add(err, gt > 0, 'v', i)
    curve = acc.curve()
    assert curve['thresholds'].tolist() == [0.7, 0.3]
    assert curve['fpr'].tolist() == [0.25, 0.5]
    assert curve['rbdr'].tolist() == [0.25, 0.75]
    assert curve['tbdr'].tolist() == [0.5, 1.0]
    assert acc.num_tracks == 2
    assert acc.rbdc() == pytest.approx(0.53125)
    assert acc.tbdc() == pytest.approx(0.75)


def brute_force_curve(frames, thresholds, beta=0.1, alpha=0.1):
    """The definitions, region pair by region pair, with scipy's labels."""
    eight = np.ones((3, 3))
    rows = []
    for t in thresholds:
        false = found = total = 0
        tracks, previous = [], None  # track id per region of last frame
        for err, gt in frames:
            det, m = label(err > t, eight)
            lab, n = label(gt, eight)
            ids = []
            for j in range(1, n + 1):
                g = lab == j
                over = [] if previous is None else [
                    (int(((previous[0] == p) & g).sum()), i)
                    for p, i in enumerate(previous[1], start=1)]
                # the first of equal overlaps, as argmax takes it
                best = max(over, key=lambda x: x[0], default=(0, None))
                ids.append(best[1] if best[0] > 0 else len(tracks))
                if ids[-1] == len(tracks):
                    tracks.append([0, 0])
            previous = (lab, ids)
            hit = [False] * n
            for d in range(1, m + 1):
                region = det == d
                ious = [(region & (lab == j)).sum() /
                        (region | (lab == j)).sum() for j in range(1, n + 1)]
                matched = [iou >= beta for iou in ious]
                false += not any(matched)
                hit = [h or x for h, x in zip(hit, matched)]
            for j, h in zip(ids, hit):
                tracks[j][0] += 1
                tracks[j][1] += h
            found += sum(hit)
            total += n
        counted = sum(h >= alpha * size - 1e-9 for size, h in tracks)
        rows.append(
            (false / len(frames), found / total, counted / len(tracks)))
    return np.array(rows).T


def test_counts_equal_the_definitions_on_random_maps():
    rng = np.random.default_rng(3)
    frames = []
    for i in range(12):
        gt = np.zeros((10, 12), bool)
        gt[2:5, i % 6:i % 6 + 4] = True  # a track that moves and wraps
        if i % 4 == 1:
            gt[7:9, 9:11] = True  # a short second object
        err = rng.random((10, 12)) * 0.6 + gt * rng.random() * 0.5
        frames.append((err, gt))
    thresholds = np.quantile([e for e, _ in frames], np.linspace(0.5, 1, 9))
    acc = RegionDetectionAccumulator(thresholds)
    for i, (err, gt) in enumerate(frames):
        acc.add(err, gt, 'v', i)
    curve = acc.curve()
    fpr, rbdr, tbdr = brute_force_curve(frames, curve['thresholds'])
    np.testing.assert_allclose(curve['fpr'], fpr)
    np.testing.assert_allclose(curve['rbdr'], rbdr)
    np.testing.assert_allclose(curve['tbdr'], tbdr)


# ------------------------------------------------------------ matching
@pytest.mark.parametrize('length, detected', [(9, True), (10, True),
                                              (11, False)])
def test_iou_at_beta(length, detected):
    # one detected pixel inside a 1 x length object: IoU = 1 / length, just
    # above (1/9), at (1/10, a true positive) and just below (1/11) beta
    gt = block((3, 12), 1, slice(0, length)) > 0
    err = block((3, 12), 1, 0)
    acc = RegionDetectionAccumulator([0.5], beta=0.1)
    acc.add(err, gt)
    curve = acc.curve()
    assert curve['rbdr'].tolist() == [1.0 if detected else 0.0]
    # an unmatched detected region is a false positive
    assert curve['fpr'].tolist() == [0.0 if detected else 1.0]


def test_iou_counts_a_region_larger_than_the_object():
    # a 10-pixel detection over a 1-pixel object: IoU = 1/10 = beta
    gt = block((3, 12), 1, 0) > 0
    acc = RegionDetectionAccumulator([0.5])
    acc.add(block((3, 12), 1, slice(0, 10)), gt)
    assert acc.curve()['rbdr'].tolist() == [1.0]


def test_fpr_is_per_frame():
    # two false regions in one of four frames: 2 / 4 = 0.5 per frame
    acc = RegionDetectionAccumulator([0.5])
    empty = np.zeros((6, 6), bool)
    acc.add(block((6, 6), 0, 0) + block((6, 6), 5, 5), empty, 'v', 0)
    for i in range(1, 4):
        acc.add(np.zeros((6, 6)), empty, 'v', i)
    curve = acc.curve()
    assert curve['fpr'].tolist() == [0.5]
    assert math.isnan(acc.rbdc()) and math.isnan(acc.tbdc())  # no gt


def test_merging_regions_lower_the_false_count():
    # two peaks (0.9) joined by a 0.6 ridge: two regions at 0.8, one at 0.5
    err = np.array([[0.9, 0.6, 0.9]])
    acc = RegionDetectionAccumulator([0.8, 0.5])
    acc.add(err, np.zeros(err.shape, bool))
    assert acc.curve()['fpr'].tolist() == [2.0, 1.0]


# ------------------------------------------------------------ tracks
def test_track_needs_alpha_of_its_regions():
    # track A: 10 regions, 1 detected = alpha -> counts;
    # track B: 11 regions, 1 detected < alpha -> does not
    acc = RegionDetectionAccumulator([0.5], alpha=0.1)
    gt = block((4, 4), slice(1, 3), slice(1, 3)) > 0
    for vid, length in (('a', 10), ('b', 11)):
        for i in range(length):
            acc.add(gt * (0.9 if i == 0 else 0.0), gt, vid, i)
    assert acc.num_tracks == 2
    assert acc.curve()['tbdr'].tolist() == [0.5]
    assert acc.curve()['rbdr'].tolist() == [2 / 21]


def test_tracks_link_by_overlap_and_break_at_gaps():
    acc = RegionDetectionAccumulator([0.5])
    left = block((6, 12), slice(1, 3), slice(0, 2)) > 0
    shifted = block((6, 12), slice(1, 3), slice(1, 3)) > 0  # overlaps left
    right = block((6, 12), slice(1, 3), slice(8, 10)) > 0
    acc.add(np.zeros((6, 12)), left | right, 'v', 0)  # two tracks
    acc.add(np.zeros((6, 12)), shifted | right, 'v', 1)  # both go on
    assert acc.num_tracks == 2
    acc.add(np.zeros((6, 12)), shifted, 'v', 3)  # frame 2 skipped: new
    assert acc.num_tracks == 3
    acc.add(np.zeros((6, 12)), shifted, 'w')  # another video: new
    acc.add(np.zeros((6, 12)), shifted, 'w')  # follows without an index
    assert acc.num_tracks == 4
    with pytest.raises(ValueError, match='increasing frame order'):
        acc.add(np.zeros((6, 12)), shifted, 'v', 2)


def test_street_scene_boxes():
    # track 7 found in one of its two frames (>= alpha), track 8 never
    rows = [(0, 7, (2, 1, 5, 3)), (1, 7, (3, 1, 6, 3)), (1, 8, (0, 4, 2, 6))]
    frames = boxes_by_frame(rows)
    assert frames == {0: [(7, (2, 1, 5, 3))],
                      1: [(7, (3, 1, 6, 3)), (8, (0, 4, 2, 6))]}
    acc = RegionDetectionAccumulator([0.5])
    acc.add_boxes(block((6, 8), slice(1, 3), slice(2, 5)), frames[0], 'v')
    acc.add_boxes(np.zeros((6, 8)), frames[1], 'v')
    curve = acc.curve()
    assert acc.num_tracks == 2
    assert curve['rbdr'].tolist() == [1 / 3]
    assert curve['tbdr'].tolist() == [0.5]
    assert curve['fpr'].tolist() == [0.0]
    with pytest.raises(ValueError, match='empty box'):
        acc.add_boxes(np.zeros((6, 8)), [(9, (2, 2, 2, 4))], 'v')
    with pytest.raises(ValueError, match='x0, y0, x1, y1'):
        boxes_by_frame([(0, 1, (0, 0, 1))])


def test_boxes_follow_the_downsampling():
    # a 16 x 16 box on a 32 x 32 map is 4 x 4 pixels at max_side 8
    err = block((32, 32), slice(8, 24), slice(8, 24))
    acc = RegionDetectionAccumulator([0.5], max_side=8)
    acc.add_boxes(err, [('t', (8, 8, 24, 24))])
    assert acc.curve()['rbdr'].tolist() == [1.0]


# ------------------------------------------------------------ resolution
def test_downsampled_maps_keep_aligned_regions():
    gt = block((32, 48), slice(8, 16), slice(16, 24)) > 0
    err, mask = downsample_for_regions(gt * 0.9, gt, max_side=12)
    assert err.shape == mask.shape == (8, 12)
    assert mask.sum() == 4 and err.max() == pytest.approx(0.9)
    acc = RegionDetectionAccumulator([0.5], max_side=12)
    acc.add(gt * 0.9, gt)
    assert acc.rbdc() == 1.0
    small, _ = downsample_for_regions(np.ones((4, 4)), np.ones((4, 4)), 16)
    assert small.shape == (4, 4)  # never enlarged


# ------------------------------------------------------------ area
def test_area_cuts_at_fpr_one_and_extends_flat():
    # cut between (0.5, 0.5) and (1.5, 1): rate 0.75 at FPR 1
    assert area_up_to_fpr([0, 0.5, 1.5], [0, 0.5, 1]) == 0.125 + 0.3125
    # ends at FPR 0.5: flat at 1 up to FPR 1
    assert area_up_to_fpr([0, 0.5], [0, 1]) == 0.25 + 0.5
    # starts above 0: from (0, 0); a dip in FPR is its running maximum
    assert area_up_to_fpr([0.5, 0.25, 1.0], [1, 1, 1]) == 0.25 + 0.5
    with pytest.raises(ValueError, match='fpr and rate'):
        area_up_to_fpr([0, 1], [0])
    with pytest.raises(ValueError, match='max_fpr'):
        area_up_to_fpr([0], [0], max_fpr=0)


def test_sweep_thresholds_spread_high_to_low():
    rng = np.random.default_rng(0)
    maps = [rng.random((5, 7)) * (i + 1) for i in range(20)]
    t = sweep_thresholds(maps, num=16)
    assert len(t) == 16 and (np.diff(t) < 0).all()
    assert t[0] == max(m.max() for m in maps)
    assert t[-1] == min(m.min() for m in maps)
    with pytest.raises(ValueError, match='num'):
        sweep_thresholds(maps, num=1)
    with pytest.raises(ValueError, match='error_maps'):
        sweep_thresholds([])


# ------------------------------------------------------------ arguments
@pytest.mark.parametrize('kwargs, name', [
    (dict(thresholds=[]), 'thresholds'),
    (dict(thresholds=[np.inf]), 'thresholds'),
    (dict(thresholds=[0.5], beta=0), 'beta'),
    (dict(thresholds=[0.5], alpha=1.5), 'alpha'),
    (dict(thresholds=[0.5], max_side=0), 'max_side'),
])
def test_bad_arguments_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RegionDetectionAccumulator(**kwargs)


def test_bad_frames_are_named():
    acc = RegionDetectionAccumulator([0.5])
    with pytest.raises(ValueError, match='gt_mask'):
        acc.add(np.zeros((4, 4)), np.zeros((4, 5), bool))
    with pytest.raises(ValueError, match='non-finite'):
        acc.add(np.full((4, 4), np.nan), np.zeros((4, 4), bool))
    with pytest.raises(ValueError, match='no frames'):
        RegionDetectionAccumulator([0.5]).curve()
