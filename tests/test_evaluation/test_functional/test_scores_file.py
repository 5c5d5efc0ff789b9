import json
import os

import numpy as np
import pytest

from mmddl.evaluation.functional import dump_scores, load_scores


def scores_dict():
    rng = np.random.default_rng(0)
    videos = {}
    for vid, n in [('01_0014', 6), ('Test/002', 4)]:
        videos[vid] = dict(
            frame_index=np.arange(1, n + 1),
            label=(rng.random(n) < 0.5).astype(int),
            score_raw=rng.random(n),
            score_smoothed=rng.random(n))
    meta = dict(
        smoothing_window=17,
        normalize_per_video=False,
        clip_len=3,
        metrics=dict(auc=0.75, auc_macro=float('nan')))
    return dict(videos=videos, meta=meta)


@pytest.mark.parametrize('ext', ['.pkl', '.json', '.npz'])
def test_round_trip(tmp_path, ext):
    data = scores_dict()
    path = str(tmp_path / f'scores{ext}')
    dump_scores(data, path)
    back = load_scores(path, trust_pickle=ext == '.pkl')
    assert list(back['videos']) == list(data['videos'])
    for vid, fields in data['videos'].items():
        for key, value in fields.items():
            np.testing.assert_array_equal(back['videos'][vid][key], value)
            assert back['videos'][vid][key].dtype.kind == np.asarray(
                value).dtype.kind
    assert back['meta']['smoothing_window'] == 17
    assert back['meta']['metrics']['auc'] == 0.75
    assert np.isnan(back['meta']['metrics']['auc_macro'])
    # Atomic write: nothing but the file itself is left in the folder.
    assert os.listdir(tmp_path) == [f'scores{ext}']


def test_json_is_plain_json(tmp_path):
    path = tmp_path / 'scores.json'
    dump_scores(scores_dict(), str(path))
    raw = json.loads(path.read_text())
    assert raw['videos']['01_0014']['frame_index'] == [1, 2, 3, 4, 5, 6]


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r'scores\.csv.*\.pkl, \.json, \.npz'):
        dump_scores(scores_dict(), str(tmp_path / 'scores.csv'))
    with pytest.raises(ValueError, match='extension'):
        load_scores(str(tmp_path / 'scores.txt'))


def test_missing_field_names_the_file_and_video(tmp_path):
    data = scores_dict()
    del data['videos']['01_0014']['label']
    with pytest.raises(ValueError, match=r'bad\.pkl: video 01_0014 lacks'):
        dump_scores(data, str(tmp_path / 'bad.pkl'))
    assert not os.listdir(tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.npz'):
        load_scores(str(tmp_path / 'nope.npz'))
