import numpy as np
import pytest

from mmddl.evaluation.functional import auc_by_kind


def test_each_kind_is_held_against_the_normal_frames_only():
    scores = {'a': np.array([.1, .2, .9, .05, .3]),
              'b': np.array([.4, .15, .6])}
    labels = {'a': np.array([0, 0, 1, 1, 0]), 'b': np.array([0, 1, 1])}
    kinds = {'a': [(), (), ('fast',), ('shape',), ()],
             'b': [(), ('shape',), ('fast', 'shape')]}
    result = auc_by_kind(scores, labels, kinds)
    assert list(result) == ['fast', 'shape']
    # normal frames: .1 .2 .3 .4; fast: .9 .6 -> above every normal frame
    assert result['fast'] == 1.0
    # shape: .05 (below all 4), .15 (above 1 of 4), .6 (above all 4)
    assert result['shape'] == pytest.approx((0 + 1 + 4) / 12)


def test_mismatches_are_errors():
    scores, labels = {'a': np.array([.1, .9])}, {'a': np.array([0, 1])}
    with pytest.raises(ValueError, match='same videos'):
        auc_by_kind(scores, labels, {'b': [(), ('fast',)]})
    with pytest.raises(ValueError, match='differ'):
        auc_by_kind(scores, labels, {'a': [()]})
    with pytest.raises(ValueError, match='labelled 1'):
        auc_by_kind(scores, labels, {'a': [(), ()]})
