"""An uninterrupted run of ResumableEpochBasedTrainLoop draws exactly what
mmengine's EpochBasedTrainLoop draws: same weights from the same seed."""
import copy

import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmddl.testing.toy_modules  # noqa: F401
from mmddl.setup_env import register_all_modules

CFG = dict(
    model=dict(type='ToyRegressor', input_noise=0.5),
    train_dataloader=dict(
        batch_size=4, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=True),
        collate_fn=dict(type='default_collate'),
        dataset=dict(type='ToyRegressionDataset', length=24)),
    optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05)),
    train_cfg=dict(max_epochs=3),
    default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=100),
                       logger=dict(type='LoggerHook', interval=100)),
    randomness=dict(seed=7),
    default_scope='mmddl')


def final_weights(tmp_path, loop):
    cfg = copy.deepcopy(CFG)
    cfg['train_cfg']['type'] = loop
    cfg['work_dir'] = str(tmp_path / loop)
    cfg['experiment_name'] = f'toy_{loop}_{id(cfg)}'
    runner = Runner.from_cfg(Config(cfg))
    runner.train()
    return {k: v.clone() for k, v in runner.model.state_dict().items()}


def test_same_random_stream_as_mmengines_loop(tmp_path):
    register_all_modules(init_default_scope=False)
    ours = final_weights(tmp_path, 'ResumableEpochBasedTrainLoop')
    theirs = final_weights(tmp_path, 'EpochBasedTrainLoop')
    for key, value in theirs.items():
        assert torch.equal(ours[key], value), key
