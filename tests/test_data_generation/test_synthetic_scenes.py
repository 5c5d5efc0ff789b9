"""The synthetic dataset: deterministic, real anomalies, and no lazy cue."""
import json
import os.path as osp

import numpy as np
import pytest
from scipy.io import loadmat
from sklearn.metrics import roc_auc_score

from mmddl.data_generation import (ANOMALY_KINDS, draw_exposed,
                                   generate_videos, make_synthetic_dataset,
                                   read_frame_kinds)
from mmddl.datasets import FrameFolderVADDataset
from mmddl.testing.tools import run_tool


def trivial_scores(test_videos):
    """Scores a model that learned nothing could give, frame by frame
    (frames 1..N-1 of each video, so that a difference exists)."""
    labels, mean, diff = [], [], []
    for video in test_videos.values():
        f = video['frames'].astype(np.float32)
        labels.append(video['labels'][1:])
        mean.append(f[1:].mean((1, 2, 3)))
        diff.append(np.abs(f[1:] - f[:-1]).mean((1, 2, 3)))
    return np.concatenate(labels), dict(
        mean_intensity=np.concatenate(mean),
        mean_abs_frame_difference=np.concatenate(diff))


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_trivial_scores_are_near_chance(seed):
    labels, scores = trivial_scores(generate_videos(seed=seed)['test'])
    assert 0.2 < labels.mean() < 0.8
    for name, score in scores.items():
        auc = roc_auc_score(labels, score)
        assert 0.35 <= auc <= 0.65, (seed, name, auc)


@pytest.mark.parametrize('seed', [0, 1])
def test_an_untrained_network_scores_near_chance(seed):
    """A randomly initialised conv net fed the T=3 window, scored as DDL
    scores (largest 16 x 16 patch of the centre frame's error), has
    learned nothing and must not find the anomalies."""
    import torch
    from torch import nn

    from mmddl.evaluation.functional import (max_patch_score,
                                             reconstruction_error_map)
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(9, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(32, 3, 3, padding=1),
        nn.Sigmoid()).eval()
    labels, scores = [], []
    for video in generate_videos(seed=seed)['test'].values():
        f = torch.from_numpy(video['frames']).permute(0, 3, 1, 2) / 255.
        with torch.no_grad():
            recon = net(torch.cat([f[:-2], f[1:-1], f[2:]], 1))
        error = reconstruction_error_map(f[1:-1], recon)
        scores.append(max_patch_score(error, patch_size=16).numpy())
        labels.append(video['labels'][1:-1])
    auc = roc_auc_score(np.concatenate(labels), np.concatenate(scores))
    assert 0.35 <= auc <= 0.68, auc


@pytest.mark.parametrize('seed', [0, 1])
def test_a_model_of_normal_appearance_finds_the_anomalies(seed):
    """The anomalies are learnable: per-pixel statistics of the training
    frames, scored as the largest 8 x 8 patch deviation, beat chance."""
    import torch
    import torch.nn.functional as F
    data = generate_videos(seed=seed)
    train = np.concatenate([v['frames'] for v in data['train'].values()])
    mean, std = train.mean(0), train.std(0) + 3
    labels, scores = [], []
    for video in data['test'].values():
        z = (np.abs(video['frames'] - mean) / std).mean(-1)
        patches = F.avg_pool2d(torch.from_numpy(z)[:, None].float(), 8, 4)
        scores.append(patches.amax((1, 2, 3)).numpy())
        labels.append(video['labels'])
    auc = roc_auc_score(np.concatenate(labels), np.concatenate(scores))
    assert auc > 0.75, auc


def test_labels_mark_exactly_the_frames_with_an_anomalous_object():
    data = generate_videos(seed=0)
    kinds = set()
    for video in data['test'].values():
        visible = [any(o['anomaly'] for o in objs)
                   for objs in video['objects']]
        np.testing.assert_array_equal(video['labels'], visible)
        kinds |= {o['anomaly'] for objs in video['objects'] for o in objs}
    assert kinds - {None} == set(ANOMALY_KINDS)
    for video in data['train'].values():
        assert not video['labels'].any()
        assert all(o['anomaly'] is None for objs in video['objects']
                   for o in objs)


def test_fast_objects_are_much_faster_than_normal_ones():
    data = generate_videos(seed=0)
    speeds = {None: [], 'fast': []}
    for video in data['test'].values():
        last = {}
        for objs in video['objects']:
            for o in objs:
                x0, _, x1, _ = o['box']
                # fully visible objects only, so clipping does not count
                if x0 > 0 and x1 < 64 and o['id'] in last and \
                        o['anomaly'] in speeds:
                    speeds[o['anomaly']].append(abs(x0 - last[o['id']]))
                last[o['id']] = x0
    assert np.mean(speeds['fast']) > 3 * np.mean(speeds[None])


def _object(**kw):
    obj = dict(x=10.0, y=8.0, vx=1.0, w=4, h=8, shape='walker',
               colour=np.array([40., 50., 90.]), anomaly=None)
    obj.update(kw)
    return obj


def test_fast_objects_are_smeared_by_the_exposure_and_slow_ones_are_not():
    ground = np.full((24, 40, 3), 135., np.float32)
    slow, fast = ground.copy(), ground.copy()
    box = draw_exposed(slow, _object(vx=1.5), (40, 24), exposure=0.5)
    assert box == [10, 8, 14, 16]
    # a slow walker is drawn crisp: every pixel is body, head or ground
    changed = (slow != 135).any(-1)
    assert changed.sum() == 4 * 8 and changed[8:16, 10:14].all()
    box = draw_exposed(fast, _object(vx=6.0), (40, 24), exposure=0.5)
    # a fast one (3 px smear in 3 shots) covers 2 more columns, and its
    # edges are blends of body and ground
    assert box == [10, 8, 16, 16]
    changed = (fast != 135).any(-1)
    assert changed[8:16].any(0).nonzero()[0].tolist() == list(range(10, 16))
    body = np.array([40., 50., 90.])
    np.testing.assert_allclose(fast[12, 10], (body + 2 * 135) / 3, atol=1e-4)
    np.testing.assert_allclose(fast[12, 12], body, atol=1e-4)


def test_a_fast_object_smearing_into_the_frame_is_in_it():
    # its box at the start of the exposure is still outside the frame, but
    # the smear reaches two columns in: the frame shows it, and says so
    frame = np.full((24, 40, 3), 135., np.float32)
    box = draw_exposed(frame, _object(x=-4.0, vx=6.0), (40, 24), 0.5)
    assert box == [0, 8, 2, 16]
    assert (frame != 135).any(-1).any(0).nonzero()[0].tolist() == [0, 1]
    # an object that draws nothing keeps its empty box
    frame = np.full((24, 40, 3), 135., np.float32)
    box = draw_exposed(frame, _object(x=-12.0, vx=6.0), (40, 24), 0.5)
    assert box[2] <= box[0] and (frame == 135).all()


def test_the_cart_is_striped_in_one_brightness_group():
    frame = np.full((24, 40, 3), 135., np.float32)
    dark, light = np.array([40., 50., 90.]), np.array([30., 90., 60.])
    draw_exposed(frame, _object(shape='cart', w=8, h=6, colour=dark,
                                stripe_colour=light), (40, 24), 0.5)
    # stripes from the cart's top row, which the stripe colour takes
    np.testing.assert_array_equal(frame[8:14:2, 10:18], np.broadcast_to(
        light, (3, 8, 3)))
    np.testing.assert_array_equal(frame[9:14:2, 10:18], np.broadcast_to(
        dark, (3, 8, 3)))
    data = generate_videos(seed=0, train_videos=0, test_videos=3)
    assert any(o['anomaly'] == 'shape' for v in data['test'].values()
               for objs in v['objects'] for o in objs)


def test_deterministic_by_seed():
    a, b = generate_videos(seed=3, train_videos=1, test_videos=1), \
        generate_videos(seed=3, train_videos=1, test_videos=1)
    c = generate_videos(seed=4, train_videos=1, test_videos=1)
    np.testing.assert_array_equal(a['test']['01']['frames'],
                                  b['test']['01']['frames'])
    assert a['test']['01']['objects'] == b['test']['01']['objects']
    assert not np.array_equal(a['test']['01']['frames'],
                              c['test']['01']['frames'])


def test_tool_writes_a_dataset_mmddl_reads(tmp_path):
    out = str(tmp_path / 'synthetic')
    result = run_tool([
        'tools/make_synthetic_dataset.py', out, '--train-videos', '2',
        '--test-videos', '3', '--frames', '40', '--size', '48', '40'
    ])
    assert 'test_frames 120' in result.stdout
    test = FrameFolderVADDataset(out, split='test', clip_len=3)
    assert test.metainfo['dataset_name'] == 'synthetic'
    assert test.metainfo['video_lengths'] == {'01': 40, '02': 40, '03': 40}
    from_mat = FrameFolderVADDataset(out, split='test', clip_len=3,
                                     label_file='synthetic.mat')
    np.testing.assert_array_equal(test.frame_labels(),
                                  from_mat.frame_labels())
    labels = np.load(osp.join(out, 'frame_labels_synthetic.npy'))
    assert labels.shape == (120, ) and 0 < labels.sum() < 120
    assert loadmat(osp.join(out, 'synthetic.mat'))['gt'].shape == (1, 3)
    train = FrameFolderVADDataset(out, split='train', clip_len=3)
    assert train.metainfo['video_lengths'] == {'01': 40, '02': 40}
    with open(osp.join(out, 'annotations', 'testing_objects.json')) as f:
        boxes = json.load(f)
    assert len(boxes['01']) == 40
    for objs in boxes['01']:
        for o in objs:
            x0, y0, x1, y1 = o['box']
            assert 0 <= x0 < x1 <= 48 and 0 <= y0 < y1 <= 40
    kinds = read_frame_kinds(out)
    np.testing.assert_array_equal(
        np.concatenate([[bool(k) for k in kinds[v]] for v in sorted(kinds)]),
        labels.astype(bool))
    assert {k for v in kinds.values() for f in v for k in f} <= set(
        ANOMALY_KINDS)
    with pytest.raises(FileNotFoundError, match='make_synthetic_dataset'):
        read_frame_kinds(str(tmp_path / 'missing'))
    # an existing set is not overwritten unless asked
    with pytest.raises(FileExistsError, match='--overwrite'):
        make_synthetic_dataset(out)


def test_written_frames_match_the_generator(tmp_path):
    out = str(tmp_path / 's')
    make_synthetic_dataset(out, seed=5, train_videos=1, test_videos=1,
                           frames=20, size=(32, 32), ext='.png')
    data = generate_videos(seed=5, train_videos=1, test_videos=1, frames=20,
                           size=(32, 32))
    ds = FrameFolderVADDataset(
        out, split='test', clip_len=3,
        pipeline=[dict(type='LoadFrameWindow'), dict(type='PackVADInputs')])
    packed = ds[4]['inputs']  # centre frame 5
    np.testing.assert_array_equal(
        packed[:, 1].permute(1, 2, 0).numpy(), data['test']['01']['frames'][5])
