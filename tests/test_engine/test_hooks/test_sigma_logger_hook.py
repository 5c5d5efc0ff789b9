"""SigmaLoggerHook in a real mini training run."""
import json
import os.path as osp
from unittest.mock import MagicMock

import pytest
import torch
from mmengine.runner import Runner, load_checkpoint
from torch.utils.data import Dataset

from mmddl.engine.hooks import SigmaLoggerHook
from mmddl.registry import HOOKS
from mmddl.structures import VADDataSample
from mmddl.utils import register_safe_checkpoint_loader

PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


class TinyClips(Dataset):
    """Four random uint8 (3, 3, 16, 16) clips, each with an object mask."""

    def __len__(self):
        return 4

    def __getitem__(self, idx):
        gen = torch.Generator().manual_seed(idx)
        mask = torch.zeros(3, 16, 16, dtype=torch.uint8)
        mask[:, 2:10, 4:12] = 1
        return dict(
            inputs=torch.randint(
                0, 256, (3, 3, 16, 16), dtype=torch.uint8, generator=gen),
            data_samples=VADDataSample().set_pseudo_mask(mask))


def make_runner(work_dir, pseudo_anomaly=dict(type='AdaptivePseudoAnomaly')):
    return Runner(
        model=dict(
            type='DDLReconstructor',
            backbone=dict(type='C3DSU', widths=[4, 8]),
            pseudo_anomaly=pseudo_anomaly,
            loss_dist=dict(type='DistinctionLoss', loss_weight=1.0),
            test_cfg=dict(patch_size=4)),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=TinyClips(),
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=2,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.1)),
        train_cfg=dict(by_epoch=True, max_epochs=2),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(type='CheckpointHook', interval=1)),
        custom_hooks=[dict(type='SigmaLoggerHook', plot_interval=3)],
        default_scope='mmddl',
        log_level='WARNING')


def test_logs_every_iteration_and_plots(tmp_path):
    runner = make_runner(tmp_path)
    runner.train()
    hook = next(h for h in runner.hooks if isinstance(h, SigmaLoggerHook))
    steps = [s for s, _ in hook.history]
    assert steps == [1, 2, 3, 4]
    values = [v for _, v in hook.history]
    assert values[-1] == pytest.approx(
        runner.model.pseudo_anomaly.sigma.item())
    assert len(set(values)) == 4  # sigma moved every step
    # every iteration reached the message hub ('sigma' from the model)
    sigma_buffer = runner.message_hub.get_scalar('train/sigma')
    assert len(sigma_buffer.data[0]) == 4
    # ... and the visualizer backend, per iteration under the hook's tag
    scalars = osp.join(runner.log_dir, 'vis_data', 'scalars.json')
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    tagged = [r for r in records if 'pseudo_anomaly/sigma' in r]
    assert [r['step'] for r in tagged] == [1, 2, 3, 4]
    assert [r['pseudo_anomaly/sigma'] for r in tagged] == pytest.approx(
        values)
    png = tmp_path / 'sigma_curve.png'
    assert png.read_bytes().startswith(PNG_MAGIC)
    # the history travels in checkpoints, through the safe loader
    register_safe_checkpoint_loader()
    ckpt = load_checkpoint(
        runner.model, str(tmp_path / 'epoch_2.pth'), map_location='cpu')
    assert ckpt['sigma_history']['steps'] == [1, 2, 3, 4]
    restored = SigmaLoggerHook()
    restored.after_load_checkpoint(runner, ckpt)
    assert restored.history == hook.history


def test_model_without_pseudo_anomaly_is_skipped(tmp_path):
    runner = make_runner(tmp_path, pseudo_anomaly=None)
    runner.train()
    hook = next(h for h in runner.hooks if isinstance(h, SigmaLoggerHook))
    assert hook.history == []
    assert not (tmp_path / 'sigma_curve.png').exists()


def test_message_hub_gets_sigma_when_outputs_lack_it(tmp_path):
    hook = HOOKS.build(dict(type='SigmaLoggerHook', interval=2))
    runner = MagicMock()
    runner.model.pseudo_anomaly.sigma = torch.tensor(0.25)
    runner.work_dir = str(tmp_path)
    runner.iter = 0
    hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.)))
    runner.message_hub.update_scalar.assert_not_called()  # interval 2
    runner.iter = 1
    hook.after_train_iter(runner, 1, outputs=dict(loss=torch.tensor(1.)))
    runner.message_hub.update_scalar.assert_called_once_with(
        'train/sigma', 0.25)
    runner.visualizer.add_scalars.assert_called_once_with(
        {'pseudo_anomaly/sigma': 0.25}, step=2)
    path = hook.plot(str(tmp_path))
    assert path == str(tmp_path / 'sigma_curve.png')
    assert open(path, 'rb').read().startswith(PNG_MAGIC)


@pytest.mark.parametrize('kwargs', [
    dict(interval=0), dict(plot_interval=0), dict(out_file='sigma.jpg')
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='SigmaLoggerHook'):
        SigmaLoggerHook(**kwargs)
