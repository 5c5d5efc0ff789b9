"""FrameAUCMetric: registration, ordering across batches and ranks,
coverage checks, metric values unchanged by the refactor of issue 19, the
deprecated out_file and the removed drawing arguments."""
import os

import numpy as np
import pytest
import torch
from scipy.ndimage import median_filter
from sklearn.metrics import roc_auc_score

from mmddl.evaluation import FrameAUCMetric
from mmddl.evaluation.functional import frame_auc_report, load_scores
from mmddl.registry import METRICS
from mmddl.structures import VADDataSample

CLIP_LEN = 3
LENGTHS = {'01_0001': 60, '01_0002': 48, '02_0001': 40, '02_0002': 12}


def make_samples(lengths=LENGTHS, seed=0, error_maps=False):
    """One data sample per frame with a full window; 02_0002 entirely
    anomalous, the others anomalous in their middle third."""
    rng = np.random.default_rng(seed)
    samples = []
    for vid, n in lengths.items():
        for i in range(1, n - 1):
            label = 1 if vid == '02_0002' or n // 3 <= i < 2 * n // 3 else 0
            sample = VADDataSample(
                metainfo=dict(
                    video_id=vid, frame_index=i, frame_inds=[i - 1, i, i + 1]))
            sample.set_gt_label(label)
            sample.set_pred_score(float(rng.random() + 0.6 * label))
            if error_maps:
                sample.error_map = torch.rand(16, 24) * sample.pred_score
            samples.append(sample)
    return samples


def reference_metrics(samples, window=17):
    """The AUCs computed directly from in-order samples with scikit-learn."""
    by_video = {}
    for s in samples:
        by_video.setdefault(s.video_id, []).append(
            (s.frame_index, s.gt_label, s.pred_score))
    smooth, raw, labels = {}, {}, {}
    for vid, rows in by_video.items():
        rows = np.array(sorted(rows))
        labels[vid], raw[vid] = rows[:, 1], rows[:, 2]
        smooth[vid] = median_filter(rows[:, 2], window, mode='nearest')
    vids = sorted(by_video)
    y = np.concatenate([labels[v] for v in vids])
    two_class = [v for v in vids if len(set(labels[v])) == 2]
    return {
        'vad/auc':
        roc_auc_score(y, np.concatenate([smooth[v] for v in vids])),
        'vad/auc_unsmoothed':
        roc_auc_score(y, np.concatenate([raw[v] for v in vids])),
        'vad/auc_macro':
        np.mean([roc_auc_score(labels[v], smooth[v]) for v in two_class]),
        'vad/auc_macro_left_out':
        len(vids) - len(two_class),
    }


def new_metric(**kwargs):
    metric = METRICS.build(dict(type='FrameAUCMetric', **kwargs))
    metric.dataset_meta = dict(clip_len=CLIP_LEN, video_lengths=LENGTHS)
    return metric


def run(metric, samples, batch_size=5, as_dicts=True):
    """Feed ``samples`` in batches as mmengine's Evaluator does (data
    samples converted to dicts), or as the data samples themselves."""
    for start in range(0, len(samples), batch_size):
        batch = samples[start:start + batch_size]
        metric.process({}, [s.to_dict() for s in batch] if as_dicts else batch)
    return metric.evaluate(len(samples))


def assert_same(got, want):
    assert set(want) <= set(got)
    for key, value in want.items():
        assert got[key] == pytest.approx(value), key


def test_registered_with_vad_prefix():
    metric = METRICS.build(dict(type='mmddl.FrameAUCMetric'))
    assert isinstance(metric, FrameAUCMetric)
    assert metric.prefix == 'vad'
    assert metric.smoothing_window == 17
    assert metric.normalize_per_video is False


def test_in_order_equals_scikit_learn():
    samples = make_samples()
    got = run(new_metric(), samples)
    want = reference_metrics(samples)
    assert_same(got, want)
    assert got['vad/auc_macro_left_out'] == 1
    assert 0.5 < got['vad/auc'] < 1.0  # a real, non-trivial value


def test_shuffled_batches_give_the_in_order_result():
    samples = make_samples()
    in_order = run(new_metric(), samples)
    order = np.random.default_rng(1).permutation(len(samples))
    shuffled = run(
        new_metric(), [samples[i] for i in order],
        batch_size=7,
        as_dicts=False)
    assert shuffled == in_order


@pytest.mark.parametrize('world_size', [2, 3])
def test_simulated_ranks_give_the_in_order_result(world_size):
    """Ranks as mmengine's DefaultSampler and collect_results see them: the
    shuffled index list is padded with its first items to a multiple of the
    world size, rank r processes items r, r + world_size, ...; gathering
    interleaves the ranks' results and cuts them to the dataset size."""
    samples = make_samples()
    samples = [
        samples[i] for i in np.random.default_rng(2).permutation(len(samples))
    ]
    pad = -len(samples) % world_size
    assert pad > 0 or world_size == 2  # 152 samples: 3 ranks need padding
    padded = samples + samples[:pad]
    ranks = [new_metric() for _ in range(world_size)]
    for rank, metric in enumerate(ranks):
        part = padded[rank::world_size]
        for start in range(0, len(part), 4):
            metric.process({}, [s.to_dict() for s in part[start:start + 4]])
    interleaved = [
        r for group in zip(*(m.results for m in ranks)) for r in group
    ]
    got = ranks[0].compute_metrics(interleaved[:len(samples)])
    assert_same({
        f'vad/{k}': v
        for k, v in got.items()
    }, reference_metrics(samples))
    if pad:  # the padding duplicates would be caught if not dropped
        with pytest.raises(ValueError, match='duplicated scores'):
            ranks[0].compute_metrics(interleaved)


def test_missing_frame_fails_loudly():
    samples = [
        s for s in make_samples()
        if not (s.video_id == '01_0002' and s.frame_index in (5, 9))
    ]
    with pytest.raises(
            ValueError, match=r'video 01_0002: no score for frames \[5, 9\]'):
        run(new_metric(), samples)


def test_duplicated_frame_fails_loudly():
    samples = make_samples()
    samples.append(samples[3])
    with pytest.raises(
            ValueError,
            match=r'video 01_0001: duplicated scores for frames '
            r'\[4\]'):
        run(new_metric(), samples)


def test_missing_video_and_edge_frames_fail_loudly():
    samples = [s for s in make_samples() if s.video_id != '02_0001']
    with pytest.raises(
            ValueError,
            match=r'video 02_0001: no score for '
            r'frames \[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, '
            r'\.\.\. and 26 more\]'):
        run(new_metric(), samples)
    edge = VADDataSample(metainfo=dict(video_id='02_0002', frame_index=0))
    samples = make_samples() + [edge.set_gt_label(1).set_pred_score(0.5)]
    with pytest.raises(
            ValueError,
            match='02_0002: scores for frames '
            r'\[0\] outside the full-window range 1..10'):
        run(new_metric(), samples)


def test_unknown_labels_fail_loudly():
    samples = make_samples()
    samples[0].set_gt_label(-1)
    with pytest.raises(ValueError, match='01_0001: labels must be 0 or 1'):
        run(new_metric(), samples)


def test_without_video_lengths_warns_and_still_scores(monkeypatch):
    logged = []
    monkeypatch.setattr('mmddl.evaluation.functional.vad_results.print_log',
                        lambda msg, **kw: logged.append(msg))
    metric = FrameAUCMetric()
    metric.dataset_meta = dict(clip_len=CLIP_LEN)
    samples = make_samples()
    assert_same(run(metric, samples), reference_metrics(samples))
    assert any('no video_lengths' in m for m in logged)


def test_per_scene_and_normalisation_options():
    samples = make_samples()
    got = run(
        new_metric(
            per_scene=True, normalize_per_video=True, smoothing_window=5),
        samples)
    by_video = {}
    for s in samples:
        by_video.setdefault(s.video_id, []).append(
            (s.frame_index, s.gt_label, s.pred_score))
    scene_y, scene_s = {}, {}
    for vid, rows in by_video.items():
        rows = np.array(sorted(rows))
        s = median_filter(rows[:, 2], 5, mode='nearest')
        s = (s - s.min()) / (s.max() - s.min())
        scene_y.setdefault(vid[:2], []).append(rows[:, 1])
        scene_s.setdefault(vid[:2], []).append(s)
    want = {
        scene:
        roc_auc_score(
            np.concatenate(scene_y[scene]), np.concatenate(scene_s[scene]))
        for scene in ('01', '02')
    }
    assert got['vad/auc_scene01'] == pytest.approx(want['01'])
    assert got['vad/auc_scene02'] == pytest.approx(want['02'])
    assert got['vad/auc_scene_median'] == pytest.approx(
        np.median(list(want.values())))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"out_file='s.csv'"):
        FrameAUCMetric(out_file='s.csv')
    with pytest.raises(ValueError, match='odd positive'):
        FrameAUCMetric(smoothing_window=16)


@pytest.mark.parametrize('ext', ['.pkl', '.json', '.npz'])
def test_deprecated_out_file_still_writes_the_scores_file(tmp_path, ext):
    """An old config's FrameAUCMetric(out_file=...) warns, naming the
    DumpVADScores that replaces it, and writes what that metric writes."""
    samples = make_samples()
    old = str(tmp_path / f'old{ext}')
    with pytest.warns(DeprecationWarning) as warned:
        metric = new_metric(out_file=old, smoothing_window=5)
    message = str(warned[0].message)
    assert "dict(type='DumpVADScores', out_file=" in message
    assert 'smoothing_window=5' in message and '--out' in message
    start = message.index("dict(type='DumpVADScores'")
    METRICS.build(eval(message[start:message.index(')', start) + 1]))
    metrics = run(metric, samples[::-1])
    new = str(tmp_path / f'new{ext}')
    dump = METRICS.build(
        dict(type='DumpVADScores', out_file=new, smoothing_window=5))
    dump.dataset_meta = dict(clip_len=CLIP_LEN, video_lengths=LENGTHS)
    assert run(dump, samples) == {}
    trust = ext == '.pkl'
    got, want = load_scores(old, trust), load_scores(new, trust)
    assert got['meta'] == want['meta']
    assert got['meta']['metrics']['auc'] == pytest.approx(metrics['vad/auc'])
    for vid, fields in want['videos'].items():
        for key, array in fields.items():
            np.testing.assert_array_equal(got['videos'][vid][key], array)


@pytest.mark.parametrize('kwargs', [
    dict(show_dir='vis'),
    dict(show_dir='vis', heatmap_topk=2, heatmap_size=64),
    dict(heatmap_topk=3)
])
def test_drawing_arguments_name_the_visualization_hook(kwargs):
    """The metric no longer gets the frames, so it cannot draw: an old
    config that asks it to is an error giving the replacement hook."""
    with pytest.raises(ValueError) as error:
        FrameAUCMetric(smoothing_window=9, **kwargs)
    message = str(error.value)
    assert "custom_hooks = [dict(type='VADVisualizationHook'" in message
    assert '--show-dir' in message and 'smoothing_window=9' in message
    for key, value in kwargs.items():
        assert f'{key}={value!r}' in message
    # the replacement given builds
    from mmddl.registry import HOOKS
    start = message.index("dict(type='VADVisualizationHook'")
    hook = eval(message[start:message.index(')]', start) + 1])
    HOOKS.build(dict(hook, type='mmddl.VADVisualizationHook'))


# Values of FrameAUCMetric before the refactor of issue 19 (scores file and
# plots moved out of the metric), on make_samples() (and, for pixel_region,
# the masks of masked_samples()); the refactor must not move them.
BEFORE_REFACTOR = {
    'default': ({}, {
        'auc': 0.9435939493347913,
        'auc_macro': 0.9943589743589744,
        'auc_macro_left_out': 1,
        'auc_macro_padded': 0.950767982017982,
        'auc_unsmoothed': 0.9263714233643157,
    }),
    'scene_norm_w5': (dict(per_scene=True, normalize_per_video=True,
                           smoothing_window=5), {
        'auc': 0.8677783852742846,
        'auc_macro': 0.9850123706702654,
        'auc_macro_left_out': 1,
        'auc_macro_padded': 0.9669044980952002,
        'auc_unsmoothed': 0.8836340441042464,
        'auc_scene01': 0.9752859477124183,
        'auc_scene02': 0.7043478260869566,
        'auc_scene_median': 0.8398168868996874,
        'auc_scene_left_out': 0,
    }),
    'gaussian': (dict(smoothing='gaussian', smoothing_sigma=3,
                      smoothing_window=None), {
        'auc': 0.9954437761982868,
        'auc_macro': 0.999561403508772,
        'auc_macro_left_out': 1,
        'auc_macro_padded': 0.9883311133311133,
        'auc_unsmoothed': 0.9263714233643157,
    }),
    'none': (dict(smoothing='none', smoothing_window=None), {
        'auc': 0.9263714233643157,
        'auc_macro': 0.9457360548807917,
        'auc_macro_left_out': 1,
        'auc_macro_padded': 0.9517154124601942,
        'auc_unsmoothed': 0.9263714233643157,
    }),
    'pixel_region': (dict(pixel_auc=True, region_auc=True, region_size=16), {
        'auc': 0.9435939493347913,
        'auc_macro': 0.9943589743589744,
        'auc_macro_left_out': 1,
        'auc_macro_padded': 0.950767982017982,
        'auc_unsmoothed': 0.9263714233643157,
        'auc_pixel': 0.6591944596318571,
        'rbdc': 0.009924174843889385,
        'tbdc': 0.14638157894736842,
    }),
}


def masked_samples():
    """make_samples(error_maps=True) under torch seed 0, with a box of
    ground-truth pixels in every anomalous frame."""
    torch.manual_seed(0)
    samples = make_samples(error_maps=True)
    for s in samples:
        mask = torch.zeros(16, 24, dtype=torch.bool)
        if s.gt_label:
            mask[4:10, 6:14] = True
        s.gt_mask = mask
    return samples


@pytest.mark.parametrize('case', sorted(BEFORE_REFACTOR))
def test_metric_values_are_unchanged_by_the_refactor(case):
    kwargs, want = BEFORE_REFACTOR[case]
    samples = masked_samples() if case == 'pixel_region' else make_samples()
    got = run(new_metric(**kwargs), samples)
    assert list(got) == [f'vad/{k}' for k in want]  # same keys, same order
    for key, value in want.items():
        assert got[f'vad/{key}'] == pytest.approx(value, rel=1e-12), key
    # and they are the shared functions' (which DumpVADScores uses too)
    if case != 'pixel_region':
        videos = {}
        for s in samples:
            videos.setdefault(s.video_id, []).append(
                (s.frame_index, s.gt_label, s.pred_score))
        rows = {v: np.array(sorted(r)) for v, r in sorted(videos.items())}
        options = dict(dict(smoothing_window=17), **kwargs)
        metrics, _ = frame_auc_report(
            {v: r[:, 2] for v, r in rows.items()},
            {v: r[:, 1].astype(int) for v, r in rows.items()}, **options)
        assert metrics == {k: got[f'vad/{k}'] for k in want}


@pytest.mark.parametrize('name',
                         ['ped2', 'avenue', 'shanghaitech', 'synthetic'])
def test_dataset_configs_build_the_metric(repo_root, name):
    from mmengine.config import Config
    cfg = Config.fromfile(
        os.path.join(repo_root, 'configs', '_base_', 'datasets', f'{name}.py'))
    metric = METRICS.build(cfg.test_evaluator)
    assert isinstance(metric, FrameAUCMetric)
    assert metric.smoothing_window == 17
    assert metric.per_scene == (name == 'shanghaitech')


def test_no_results_fail_loudly():
    with pytest.raises(ValueError, match='no scores'):
        new_metric().compute_metrics([])
