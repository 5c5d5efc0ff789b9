"""Micro, macro and per-scene AUC against scikit-learn on hand-made cases."""
import numpy as np
import pytest
from scipy.ndimage import median_filter
from sklearn.metrics import roc_auc_score

from mmddl.evaluation.functional import (frame_auc_report, macro_auc,
                                         median_of, micro_auc, per_scene_auc,
                                         scene_of)


def hand_made():
    scores = {
        'a': np.array([.1, .8, .3, .9, .2]),
        'b': np.array([.3, .35, .7, .1]),
        'c': np.array([.5, .6, .55]),  # all anomalous
        'd': np.array([.2, .45]),  # all normal
    }
    labels = {
        'a': np.array([0, 1, 0, 1, 0]),
        'b': np.array([1, 0, 1, 0]),
        'c': np.array([1, 1, 1]),
        'd': np.array([0, 0]),
    }
    return scores, labels


def test_micro_is_sklearn_on_the_concatenation():
    scores, labels = hand_made()
    want = roc_auc_score(
        np.concatenate([labels[v] for v in 'abcd']),
        np.concatenate([scores[v] for v in 'abcd']))
    assert micro_auc(scores, labels) == pytest.approx(want)
    # By hand: 7 positives x 7 negatives; every positive but 0.3 beats all
    # 7 negatives; 0.3 beats 4, ties 1 (half) and loses to 2: 46.5 / 49.
    assert want == pytest.approx(46.5 / 49)


def test_macro_leaves_out_all_one_class_videos():
    scores, labels = hand_made()
    macro = macro_auc(scores, labels)
    assert macro.left_out == ['c', 'd']
    assert macro.per_group == pytest.approx({
        'a':
        roc_auc_score(labels['a'], scores['a']),
        'b':
        roc_auc_score(labels['b'], scores['b'])
    })
    assert macro.per_group['a'] == 1.0
    assert macro.per_group['b'] == 0.75  # .3 < .35 is the one wrong pair
    assert macro.mean == pytest.approx(0.875)


def test_macro_with_every_video_one_class_is_nan():
    macro = macro_auc({'x': np.array([.1, .2])}, {'x': np.array([1, 1])})
    assert np.isnan(macro.mean) and macro.left_out == ['x']


def test_micro_with_one_class_raises():
    with pytest.raises(ValueError, match='one class'):
        micro_auc({'x': np.array([.1, .2])}, {'x': np.array([1, 1])})


def test_mismatched_inputs_raise():
    with pytest.raises(ValueError, match='different videos'):
        micro_auc({'x': np.zeros(2)}, {'y': np.zeros(2)})
    with pytest.raises(ValueError, match='video x'):
        micro_auc({'x': np.zeros(2)}, {'x': np.zeros(3)})
    with pytest.raises(ValueError, match='0 or 1'):
        micro_auc({'x': np.zeros(2)}, {'x': np.array([0, -1])})


def test_per_scene_pools_the_videos_of_each_scene():
    rng = np.random.default_rng(3)
    scores, labels = {}, {}
    for vid in ['01_0014', '01_0015', '02_0001', '03_0031', '03_0032']:
        labels[vid] = (rng.random(30) < 0.4).astype(int)
        scores[vid] = labels[vid] * 0.3 + rng.random(30)
    scenes = per_scene_auc(scores, labels)
    assert sorted(scenes.per_group) == ['01', '02', '03']
    for scene in ['01', '02', '03']:
        vids = [v for v in scores if v.startswith(scene)]
        want = roc_auc_score(
            np.concatenate([labels[v] for v in vids]),
            np.concatenate([scores[v] for v in vids]))
        assert scenes.per_group[scene] == pytest.approx(want)
    assert median_of(scenes.per_group) == pytest.approx(
        np.median(list(scenes.per_group.values())))


def test_scene_of():
    assert scene_of('01_0014') == '01'
    assert scene_of('Test001') == 'Test001'


@pytest.mark.parametrize('normalize', [False, True])
def test_report_equals_a_direct_computation(normalize):
    rng = np.random.default_rng(7)
    scores, labels = {}, {}
    for vid in ['01_0001', '01_0002', '02_0001']:
        labels[vid] = np.zeros(40, int)
        labels[vid][10:25] = 1
        # Different offsets per video: normalisation must matter.
        scores[vid] = rng.random(40) + labels[vid] * 0.5 + len(scores) * 0.7
    labels['02_0002'] = np.ones(20, int)
    scores['02_0002'] = rng.random(20)

    metrics, processed = frame_auc_report(
        scores,
        labels,
        smoothing_window=5,
        normalize_per_video=normalize,
        per_scene=True)

    def prep(s, window):
        s = median_filter(s, size=window, mode='nearest') if window else s
        return (s - s.min()) / (s.max() - s.min()) if normalize else s

    vids = sorted(scores)
    y = np.concatenate([labels[v] for v in vids])
    smooth = {v: prep(scores[v], 5) for v in vids}
    assert metrics['auc'] == pytest.approx(
        roc_auc_score(y, np.concatenate([smooth[v] for v in vids])))
    assert metrics['auc_unsmoothed'] == pytest.approx(
        roc_auc_score(y, np.concatenate([prep(scores[v], 0) for v in vids])))
    assert metrics['auc_macro'] == pytest.approx(
        np.mean([roc_auc_score(labels[v], smooth[v]) for v in vids[:3]]))
    assert metrics['auc_macro_left_out'] == 1
    scene2 = roc_auc_score(
        np.concatenate([labels['02_0001'], labels['02_0002']]),
        np.concatenate([smooth['02_0001'], smooth['02_0002']]))
    assert metrics['auc_scene02'] == pytest.approx(scene2)
    assert metrics['auc_scene_median'] == pytest.approx(
        np.median([metrics['auc_scene01'], scene2]))
    for vid in vids:
        np.testing.assert_allclose(processed[vid], smooth[vid])
    assert metrics['auc'] != metrics['auc_unsmoothed']
