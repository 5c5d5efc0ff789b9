"""VADVisualizationHook: what after_test_iter keeps (bounded: the top
frames only), what after_test_epoch draws, and its settings."""
import inspect
import os

import cv2
import numpy as np
import pytest
import torch

from mmddl.engine.hooks import VADVisualizationHook
from mmddl.engine.hooks.vad_visualization_hook import pick_moments
from mmddl.evaluation import FrameAUCMetric
from mmddl.registry import HOOKS
from mmddl.structures import VADDataSample

CLIP_LEN = 3
LENGTHS = {'01_0001': 60, '01_0002': 48, '02_0001': 40, '02_0002': 12}


def make_samples(error_maps=True, frame_inds=True, seed=0):
    """One sample per frame with a full window (as the metric tests)."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    samples = []
    for vid, n in LENGTHS.items():
        for i in range(1, n - 1):
            label = 1 if vid == '02_0002' or n // 3 <= i < 2 * n // 3 else 0
            meta = dict(video_id=vid, frame_index=i)
            if frame_inds:
                meta['frame_inds'] = [i - 1, i, i + 1]
            sample = VADDataSample(metainfo=meta)
            sample.set_gt_label(label)
            sample.set_pred_score(float(rng.random() + 0.6 * label))
            if error_maps:
                sample.error_map = torch.rand(16, 24) * sample.pred_score
            samples.append(sample)
    return samples


def clip_batch(batch, clip_len=CLIP_LEN):
    """uint8 (C, T, H, W) clips whose centre frame is a grey ramp."""
    inputs = []
    for _ in batch:
        clip = torch.zeros(3, clip_len, 16, 24, dtype=torch.uint8)
        clip[:, (clip_len - 1) // 2] = torch.linspace(0, 255,
                                                      24).to(torch.uint8)
        inputs.append(clip)
    return dict(inputs=inputs, data_samples=batch)


def feed(hook, samples, batch_size=6, clip_len=CLIP_LEN, prefix='test'):
    getattr(hook, f'before_{prefix}_epoch')(None)
    for start in range(0, len(samples), batch_size):
        batch = samples[start:start + batch_size]
        getattr(hook, f'after_{prefix}_iter')(
            None, start // batch_size, clip_batch(batch, clip_len), batch)


def test_keeps_the_top_frames_only_and_draws(tmp_path):
    show_dir = str(tmp_path / 'vis')
    hook = HOOKS.build(dict(type='VADVisualizationHook', show_dir=show_dir,
                            heatmap_topk=2))
    assert isinstance(hook, VADVisualizationHook)
    feed(hook, make_samples())
    # Bounded memory: at most 3 * topk frames per video keep heat maps.
    kept = {}
    for r in hook.records:
        if 'heatmap' in r:
            kept[r['video_id']] = kept.get(r['video_id'], 0) + 1
            assert r['heatmap']['frame'].shape == (16, 24, 3)
            # the centre frame of the clip: the grey ramp
            assert r['heatmap']['frame'][0, -1, 0] == 255
            assert r['heatmap']['error_map'].dtype == np.float16
    assert kept == {vid: 6 for vid in LENGTHS}
    # They are the 6 top-scoring frames of each video.
    top = sorted((r['pred_score']
                  for r in hook.records if r['video_id'] == '01_0001'),
                 reverse=True)[:6]
    assert sorted((r['pred_score'] for r in hook.records
                   if 'heatmap' in r and r['video_id'] == '01_0001'),
                  reverse=True) == top

    hook.after_test_epoch(None, metrics={})
    assert hook.records == []  # forgotten once drawn
    names = sorted(os.listdir(show_dir))
    assert names == sorted([f'{v}_scores.png' for v in LENGTHS] +
                           [f'{v}_heatmaps.png' for v in LENGTHS])
    for name in names:
        image = cv2.imread(os.path.join(show_dir, name))
        assert image is not None and image.shape[0] > 100


def test_streaming_centre_frames_and_large_frames_are_downsampled(tmp_path):
    """The streaming loops hand (C, 1, H, W) centre frames and no
    frame_inds; frames above heatmap_size are shrunk."""
    hook = VADVisualizationHook(show_dir=str(tmp_path), heatmap_size=8)
    samples = make_samples(frame_inds=False)
    feed(hook, samples, clip_len=1)
    material = [r['heatmap'] for r in hook.records if 'heatmap' in r]
    assert material and all(m['frame'].shape == (5, 8, 3) and
                            m['error_map'].shape == (5, 8) for m in material)
    assert all(m['frame'][0, -1, 0] > 200 for m in material)


def test_pick_moments_keeps_them_apart():
    candidates = [
        dict(
            frame_index=i,
            pred_score=s,
            heatmap=dict(frame=None, error_map=np.zeros((2, 2), np.float16)))
        for i, s in [(10, .9), (11, .8), (30, .7), (12, .95)]
    ]
    picked = pick_moments(candidates, topk=2, gap=9 // 2)
    assert [p['frame_index'] for p in picked] == [12, 30]


def test_without_error_maps_draws_curves_only(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(
        'mmddl.engine.hooks.vad_visualization_hook.print_log',
        lambda msg, **kw: logged.append(msg))
    hook = VADVisualizationHook(show_dir=str(tmp_path))
    feed(hook, make_samples(error_maps=False))
    hook.after_test_epoch(None)
    assert sorted(os.listdir(tmp_path)) == sorted(f'{v}_scores.png'
                                                  for v in LENGTHS)
    assert any('no error_map' in m for m in logged)


def test_without_show_dir_or_val_it_does_nothing(tmp_path):
    hook = VADVisualizationHook()
    feed(hook, make_samples())
    assert hook.records == []
    hook.after_test_epoch(None)
    hook = VADVisualizationHook(show_dir=str(tmp_path / 'vis'))
    feed(hook, make_samples(), prefix='val')
    hook.after_val_epoch(None)
    assert hook.records == [] and not os.path.exists(tmp_path / 'vis')
    hook = VADVisualizationHook(show_dir=str(tmp_path / 'vis'),
                                draw_val=True)
    feed(hook, make_samples(), prefix='val')
    hook.after_val_epoch(None)
    assert len(os.listdir(tmp_path / 'vis')) == 2 * len(LENGTHS)


def test_same_settings_and_defaults_as_the_metric():
    metric = inspect.signature(FrameAUCMetric).parameters
    hook = inspect.signature(VADVisualizationHook).parameters
    for key in VADVisualizationHook.SETTING_KEYS:
        assert hook[key].default == metric[key].default, key


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='heatmap_topk >= 1'):
        VADVisualizationHook(heatmap_topk=0)
    with pytest.raises(ValueError, match='odd positive'):
        VADVisualizationHook(smoothing_window=16)
