"""DumpVADScores: the scores file of tools/test.py --out, its round trip,
the settings it shares with FrameAUCMetric, and the config helpers that
copy them by key."""
import inspect

import numpy as np
import pytest
from mmengine.config import ConfigDict
from scipy.ndimage import median_filter

from mmddl.evaluation import (DumpVADScores, FrameAUCMetric,
                              settings_from_evaluator, with_dump_metric)
from mmddl.evaluation.functional import load_scores
from mmddl.registry import METRICS
from test_frame_auc_metric import (CLIP_LEN, LENGTHS, make_samples,
                                   masked_samples, new_metric, run)


def new_dump(out_file, **kwargs):
    dump = METRICS.build(dict(type='DumpVADScores', out_file=out_file,
                              **kwargs))
    dump.dataset_meta = dict(clip_len=CLIP_LEN, video_lengths=LENGTHS)
    return dump


@pytest.mark.parametrize('ext', ['.pkl', '.json', '.npz'])
def test_round_trip(tmp_path, ext):
    samples = make_samples()
    out_file = str(tmp_path / f'scores{ext}')
    assert run(new_dump(out_file), samples[::-1]) == {}
    metrics = run(new_metric(), samples)
    data = load_scores(out_file, trust_pickle=ext == '.pkl')
    assert sorted(data['videos']) == sorted(LENGTHS)
    video = data['videos']['01_0002']
    np.testing.assert_array_equal(video['frame_index'], np.arange(1, 47))
    want_raw = [s.pred_score for s in samples if s.video_id == '01_0002']
    np.testing.assert_array_equal(video['score_raw'], want_raw)
    np.testing.assert_allclose(
        video['score_smoothed'],
        median_filter(np.array(want_raw), 17, mode='nearest'))
    np.testing.assert_array_equal(
        video['label'],
        [s.gt_label for s in samples if s.video_id == '01_0002'])
    # the layout of mmddl/evaluation/functional/scores_file.py, in order
    assert list(data['meta']) == [
        'smoothing_window', 'smoothing', 'smoothing_sigma',
        'normalize_per_video', 'per_scene', 'clip_len', 'metrics'
    ]
    assert data['meta']['smoothing_window'] == 17
    assert data['meta']['clip_len'] == CLIP_LEN
    # the metrics of FrameAUCMetric with the same settings, unprefixed
    assert data['meta']['metrics'] == pytest.approx(
        {k[len('vad/'):]: v for k, v in metrics.items()}, rel=1e-15)


def test_settings_reach_the_file_and_the_metrics(tmp_path):
    samples = masked_samples()
    options = dict(per_scene=True, normalize_per_video=True,
                   smoothing='gaussian', smoothing_sigma=2.0,
                   smoothing_window=None, pixel_auc=True, region_auc=True,
                   region_size=16)
    out_file = str(tmp_path / 'scores.json')
    run(new_dump(out_file, **options), samples)
    metrics = run(new_metric(**options), samples)
    data = load_scores(out_file)
    assert data['meta']['metrics'] == pytest.approx(
        {k[len('vad/'):]: v for k, v in metrics.items()}, rel=1e-15)
    for key in ('per_scene', 'normalize_per_video', 'smoothing',
                'smoothing_sigma', 'smoothing_window'):
        assert data['meta'][key] == options[key]
    for fields in data['videos'].values():
        assert fields['score_smoothed'].min() == 0.0
        assert fields['score_smoothed'].max() == 1.0


def test_shares_the_metrics_checks(tmp_path):
    samples = make_samples()[1:]
    with pytest.raises(ValueError, match='(?s)DumpVADScores: the scores do '
                       r'not cover .*01_0001: no score for frames \[1\]'):
        run(new_dump(str(tmp_path / 's.npz')), samples)
    with pytest.raises(ValueError, match='DumpVADScores got no scores'):
        new_dump(str(tmp_path / 's.npz')).compute_metrics([None, None])


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"out_file='s.csv'"):
        DumpVADScores(out_file='s.csv')
    with pytest.raises(ValueError, match='odd positive'):
        DumpVADScores(out_file='s.json', smoothing_window=16)
    with pytest.raises(TypeError):
        DumpVADScores()


def test_same_settings_and_defaults_as_the_metric():
    """tools/test.py copies the keys the test evaluator sets, so the keys
    it does not set must mean the same in both."""
    metric = inspect.signature(FrameAUCMetric).parameters
    dump = inspect.signature(DumpVADScores).parameters
    assert set(DumpVADScores.SETTING_KEYS) <= set(dump)
    for key in DumpVADScores.SETTING_KEYS:
        assert dump[key].default == metric[key].default, key


def test_settings_are_copied_by_key_whatever_the_type():
    evaluator = [
        dict(type='SomeOtherMetric', smoothing_window=9, unrelated=1),
        dict(type='FrameAUCMetric', smoothing_window=9, per_scene=True),
    ]
    keys = DumpVADScores.SETTING_KEYS
    assert settings_from_evaluator(evaluator, keys) == dict(
        smoothing_window=9, per_scene=True)
    assert settings_from_evaluator(
        dict(type='Evaluator', metrics=evaluator), keys) == dict(
            smoothing_window=9, per_scene=True)
    assert settings_from_evaluator(None, keys) == {}
    evaluator[0]['smoothing_window'] = 5
    with pytest.raises(ValueError, match='smoothing_window to 5 and 9'):
        settings_from_evaluator(evaluator, keys)


def test_with_dump_metric_appends_to_every_evaluator_form():
    single = ConfigDict(type='FrameAUCMetric', smoothing_window=9)
    got = with_dump_metric(single, 'a.npz')
    assert got == [single, dict(type='DumpVADScores', out_file='a.npz',
                                smoothing_window=9)]
    assert with_dump_metric([single], 'a.npz') == got
    wrapped = with_dump_metric(dict(type='Evaluator', metrics=[single]),
                               'a.npz')
    assert wrapped == dict(type='Evaluator', metrics=got)
    # and the result builds
    for cfg in got:
        METRICS.build(cfg)
