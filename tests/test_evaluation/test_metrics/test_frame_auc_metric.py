"""FrameAUCMetric: registration, ordering across batches and ranks,
coverage checks, scores files and plots."""
import os

import cv2
import numpy as np
import pytest
import torch
from scipy.ndimage import median_filter
from sklearn.metrics import roc_auc_score

from mmddl.evaluation import FrameAUCMetric
from mmddl.evaluation.functional import load_scores
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
    monkeypatch.setattr('mmddl.evaluation.metrics.frame_auc_metric.print_log',
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


@pytest.mark.parametrize('ext', ['.pkl', '.json', '.npz'])
def test_out_file_round_trip(tmp_path, ext):
    samples = make_samples()
    out_file = str(tmp_path / f'scores{ext}')
    metrics = run(new_metric(out_file=out_file), samples[::-1])
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
    assert data['meta']['smoothing_window'] == 17
    assert data['meta']['clip_len'] == CLIP_LEN
    assert data['meta']['metrics']['auc'] == pytest.approx(metrics['vad/auc'])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"out_file='s.csv'"):
        FrameAUCMetric(out_file='s.csv')
    with pytest.raises(ValueError, match='odd positive'):
        FrameAUCMetric(smoothing_window=16)


def clip_batch(batch):
    """uint8 (C, T, H, W) clips whose centre frame is a grey ramp."""
    inputs = []
    for s in batch:
        clip = torch.zeros(3, CLIP_LEN, 16, 24, dtype=torch.uint8)
        clip[:, 1] = torch.linspace(0, 255, 24).to(torch.uint8)
        inputs.append(clip)
    return dict(inputs=inputs, data_samples=batch)


def test_show_dir_writes_plots_and_heatmaps(tmp_path):
    samples = make_samples(error_maps=True)
    metric = new_metric(show_dir=str(tmp_path / 'vis'), heatmap_topk=2)
    for start in range(0, len(samples), 6):
        batch = samples[start:start + 6]
        metric.process(clip_batch(batch), [s.to_dict() for s in batch])
    # Bounded memory: at most 3 * topk frames per video keep heat maps.
    kept = {}
    for r in metric.results:
        if 'heatmap' in r:
            kept[r['video_id']] = kept.get(r['video_id'], 0) + 1
            assert r['heatmap']['frame'].shape == (16, 24, 3)
            assert r['heatmap']['error_map'].dtype == np.float16
    assert kept == {vid: 6 for vid in LENGTHS}
    # They are the 6 top-scoring frames of each video.
    top = sorted((r['pred_score']
                  for r in metric.results if r['video_id'] == '01_0001'),
                 reverse=True)[:6]
    assert sorted((r['pred_score'] for r in metric.results
                   if 'heatmap' in r and r['video_id'] == '01_0001'),
                  reverse=True) == top

    metric.evaluate(len(samples))
    names = sorted(os.listdir(tmp_path / 'vis'))
    assert names == sorted([f'{v}_scores.png' for v in LENGTHS] +
                           [f'{v}_heatmaps.png' for v in LENGTHS])
    for name in names:
        image = cv2.imread(str(tmp_path / 'vis' / name))
        assert image is not None and image.shape[0] > 100


def test_pick_moments_keeps_them_apart():
    metric = FrameAUCMetric(heatmap_topk=2, smoothing_window=9)
    candidates = [
        dict(
            frame_index=i,
            pred_score=s,
            heatmap=dict(frame=None, error_map=np.zeros((2, 2), np.float16)))
        for i, s in [(10, .9), (11, .8), (30, .7), (12, .95)]
    ]
    picked = metric._pick_moments(candidates)
    assert [p['frame_index'] for p in picked] == [12, 30]


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


def test_show_dir_without_error_maps_draws_curves_only(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr('mmddl.evaluation.metrics.frame_auc_metric.print_log',
                        lambda msg, **kw: logged.append(msg))
    run(new_metric(show_dir=str(tmp_path)), make_samples())
    assert sorted(os.listdir(tmp_path)) == sorted(f'{v}_scores.png'
                                                  for v in LENGTHS)
    assert any('no error_map' in m for m in logged)


def test_no_results_fail_loudly():
    with pytest.raises(ValueError, match='no scores'):
        new_metric().compute_metrics([])
