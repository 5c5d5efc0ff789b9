"""DDLMonitorHook: a DDL run whose masks vanished fails before training,
and every epoch says whether the distinction learning works."""
import json
import os
import os.path as osp
import uuid
from unittest.mock import MagicMock

import pytest
import torch
from mmengine.runner import Runner

from mmddl.data_generation import make_synthetic_dataset
from mmddl.datasets.mask_coverage import box_cache_owner
from mmddl.engine.hooks import DDLMonitorHook, NoTrainingMasksError
from mmddl.registry import DATASETS
from mmddl.setup_env import register_all_modules
from mmddl.tracking import BoxCache

register_all_modules()


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('monitor') / 'synthetic')
    make_synthetic_dataset(root, seed=4, train_videos=1, test_videos=1,
                           frames=16)
    return root


def dataset_cfg(root, box_cache):
    return dict(
        type='FrameFolderVADDataset',
        data_root=root,
        pipeline=[
            dict(type='LoadFrameWindow', scale=(16, 16)),
            dict(type='LoadTrackMasks', box_cache=box_cache),
            dict(type='PackVADInputs'),
        ])


def write_cache(root, path, video_id='01', frames=16, with_owner=True):
    meta = {}
    if with_owner:
        plain = DATASETS.build(dict(type='FrameFolderVADDataset',
                                    data_root=root))
        meta = box_cache_owner(plain)
    cache = BoxCache(meta=meta)
    # one object in every frame but the last third
    cache.set_video(video_id, [{7: [0.1, 0.1, 0.5, 0.6]} if i < 8 else {}
                               for i in range(frames)])
    cache.save(path)
    return path


def make_runner(work_dir, dataset, pseudo_anomaly=dict(
        type='AdaptivePseudoAnomaly'), epochs=2):
    return Runner(
        model=dict(
            type='DDLReconstructor',
            backbone=dict(type='C3DSU', widths=[4, 8]),
            pseudo_anomaly=pseudo_anomaly,
            test_cfg=dict(patch_size=4)),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=dataset,
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=5,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.01)),
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1),
                           checkpoint=None,
                           ddl_monitor=dict(type='DDLMonitorHook')),
        default_scope='mmddl',
        # unique: runners made within one second would share a visualizer
        experiment_name=f'ddl_monitor_{uuid.uuid4().hex}',
        log_level='INFO')


def scalars(work_dir):
    rows = []
    for dirpath, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(dirpath, 'scalars.json')) as f:
                rows += [json.loads(line) for line in f]
    return rows


def test_reports_every_epoch_in_the_log_and_the_scalars(data_root, tmp_path):
    cache = write_cache(data_root, str(tmp_path / 'boxes.json'))
    runner = make_runner(tmp_path / 'work', dataset_cfg(data_root, cache))
    runner.train()
    per_epoch = [r for r in scalars(str(tmp_path / 'work'))
                 if 'ddl/sigma' in r]
    assert [r['step'] for r in per_epoch] == [1, 2]
    last = per_epoch[-1]
    # 14 windows, centres 1..14; frames 0..7 have the object: centres 1..6
    assert last['ddl/mask_share'] == pytest.approx(6 / 14)
    assert last['ddl/sigma'] == pytest.approx(
        float(runner.model.pseudo_anomaly.sigma.detach()))
    for key in ('ddl/dist_ratio', 'ddl/err_masked', 'ddl/err_unmasked',
                'ddl/loss_dist'):
        assert key in last and last[key] > 0
    log = open(runner.logger.log_file).read()
    assert 'DDL epoch 2: sigma' in log
    assert '6 of 14 training windows (42.9%)' in log


def test_a_box_cache_matching_no_video_fails_before_training(
        data_root, tmp_path):
    cache = write_cache(data_root, str(tmp_path / 'other.json'),
                        video_id='99', with_owner=False)
    runner = make_runner(tmp_path / 'work', dataset_cfg(data_root, cache))
    with pytest.raises(NoTrainingMasksError,
                       match='knows 0 of 1 videos') as err:
        runner.train()
    assert 'min_area' in str(err.value)  # says what to tune
    assert 'visualize_tracks' in str(err.value)  # and how to look


def test_a_clip_too_short_for_any_track_fails(data_root, tmp_path):
    # the object is seen in single frames only: no track spans a window
    path = str(tmp_path / 'short.json')
    cache = BoxCache()
    cache.set_video('01', [{i: [0.1, 0.1, 0.5, 0.6]} for i in range(16)])
    cache.save(path)
    runner = make_runner(tmp_path / 'work', dataset_cfg(data_root, path))
    with pytest.raises(NoTrainingMasksError, match='0 of 14 training'):
        runner.train()


def test_another_datasets_box_cache_fails(data_root, tmp_path):
    other = str(tmp_path / 'other_root')
    make_synthetic_dataset(other, seed=9, train_videos=1, test_videos=1,
                           frames=16)
    cache = write_cache(other, str(tmp_path / 'theirs.json'))
    runner = make_runner(tmp_path / 'work', dataset_cfg(data_root, cache))
    with pytest.raises(ValueError, match='masks would fall on the wrong'):
        runner.train()


def test_reconstruction_only_runs_are_left_alone(data_root, tmp_path):
    cache = write_cache(data_root, str(tmp_path / 'x.json'), video_id='99')
    runner = make_runner(tmp_path / 'work', dataset_cfg(data_root, cache),
                         pseudo_anomaly=None, epochs=1)
    runner.train()  # no error, no report
    assert not [r for r in scalars(str(tmp_path / 'work'))
                if 'ddl/sigma' in r]


def test_warns_on_zero_loss_dist_and_saturated_sigma():
    runner = MagicMock()
    runner.epoch = 2
    runner.model.pseudo_anomaly.sigma = torch.tensor(0.9999)
    hook = DDLMonitorHook()
    for _ in range(3):
        hook.after_train_iter(runner, 0, outputs=dict(
            loss_dist=torch.tensor(0.0), mask_share=torch.tensor(0.0),
            loss_recon=torch.tensor(0.2)))
    hook.after_train_epoch(runner)
    warned = ' '.join(str(c) for c in runner.logger.warning.call_args_list)
    assert 'loss_dist was 0 in every iteration of epoch 3' in warned
    assert 'sigma(l) = 0.999900 has saturated' in warned
    scalars = runner.visualizer.add_scalars.call_args
    assert scalars.kwargs['step'] == 3
    assert scalars.args[0]['ddl/mask_share'] == 0.0
    # loss_recon three times the first epoch's: diverging
    runner.epoch = 3
    hook.before_train_epoch(runner)
    for _ in range(3):
        hook.after_train_iter(runner, 0, outputs=dict(
            loss_dist=torch.tensor(0.01), loss_recon=torch.tensor(0.6)))
    hook.after_train_epoch(runner)
    warned = ' '.join(str(c) for c in runner.logger.warning.call_args_list)
    assert 'loss_recon 0.6 in epoch 4 is 3.0x that of the first' in warned
    with pytest.raises(ValueError, match='low_share'):
        DDLMonitorHook(low_share=2)
