"""DDLReconstructor: losses, the two forwards, ablations, steps, checkpoints.
"""
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmengine.runner import load_checkpoint, save_checkpoint

from mmddl.evaluation.functional.frame_scores import (max_patch_score,
                                                      reconstruction_error_map)
from mmddl.registry import MODELS
from mmddl.structures import VADDataSample
from mmddl.utils import register_safe_checkpoint_loader

SIZE = 16


def build(clip_len=3, backbone='C3DSU', **kwargs):
    cfg = dict(
        type='DDLReconstructor',
        backbone=dict(type=backbone, clip_len=clip_len, widths=[4, 8, 16,
                                                                32]),
        test_cfg=dict(patch_size=4))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def batch(n=2, clip_len=3, masked=(True, False), seed=0):
    """uint8 clips and samples; sample i has an object iff masked[i]."""
    gen = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for i in range(n):
        inputs.append(
            torch.randint(
                0, 256, (3, clip_len, SIZE, SIZE),
                dtype=torch.uint8,
                generator=gen))
        mask = torch.zeros(clip_len, SIZE, SIZE, dtype=torch.uint8)
        if masked[i % len(masked)]:
            mask[:, 2:10, 4:12] = 1
        samples.append(
            VADDataSample(metainfo=dict(video_id='01', frame_index=i + 1))
            .set_gt_label(-1).set_pseudo_mask(mask))
    return dict(inputs=inputs, data_samples=samples)


class ForwardCounter:

    def __init__(self, module):
        self.batch_sizes = []
        module.register_forward_hook(
            lambda m, args, out: self.batch_sizes.append(args[0].shape[0]))


def losses_of(model, data):
    data = model.data_preprocessor(data, True)
    return model(**data, mode='loss')


def test_loss_keys_and_two_separate_forwards():
    model = build()
    calls = ForwardCounter(model.backbone)
    losses = losses_of(model, batch(n=3, masked=(True, False, True)))
    assert set(losses) == {'loss_recon', 'loss_dist', 'sigma', 'mask_share',
                           'dist_ratio', 'err_masked', 'err_unmasked'}
    # clean and corrupted batches go through the network separately, so
    # BatchNorm sees each on its own (as in the authors' code)
    assert calls.batch_sizes == [3, 3]
    assert model.bn_stats_from_pseudo
    assert float(losses['sigma']) == 0.5
    assert all(torch.isfinite(v) for v in losses.values())
    # lambda * ratio, with lambda 0.01
    assert 0 < float(losses['loss_dist'].detach()) < 1


def bn_buffers(model):
    return {k: v.clone() for k, v in model.backbone.state_dict().items()
            if 'running' in k or 'num_batches' in k}


@pytest.mark.parametrize('from_pseudo', [False, True])
def test_running_bn_statistics_from_the_corrupted_batch_are_optional(
        from_pseudo):
    torch.manual_seed(0)
    model = build(bn_stats_from_pseudo=from_pseudo)
    clean_only = build(pseudo_anomaly=None)
    clean_only.load_state_dict(model.state_dict(), strict=False)
    data = batch(n=2, masked=(True, True))
    losses_of(model.train(), data)
    losses_of(clean_only.train(), data)
    after, clean = bn_buffers(model), bn_buffers(clean_only)
    same = all(torch.equal(after[k], clean[k]) for k in after)
    # False: as if only the clean batch had been seen; True (the default,
    # the authors' code): the noisy batch moves them a second time
    assert same is (not from_pseudo)
    if from_pseudo:
        assert all(int(v) == 2 for k, v in after.items()
                   if 'num_batches' in k)
    # the BatchNorm layers track statistics again afterwards
    assert all(m.track_running_stats for m in model.modules()
               if isinstance(m, torch.nn.modules.batchnorm._BatchNorm))


def test_mmengine_sums_only_the_losses():
    model = build()
    losses = losses_of(model, batch())
    total, log_vars = model.parse_losses(losses)
    torch.testing.assert_close(total,
                               losses['loss_recon'] + losses['loss_dist'])
    assert log_vars['sigma'] == 0.5


def test_batch_without_any_mask_gives_zero_dist_and_no_noise():
    model = build()
    calls = ForwardCounter(model.backbone)
    data = model.data_preprocessor(batch(masked=(False, )), True)
    rng = torch.get_rng_state()
    losses = model(**data, mode='loss')
    assert torch.equal(torch.get_rng_state(), rng)  # no noise drawn
    assert calls.batch_sizes == [2]
    assert float(losses['loss_dist'].detach()) == 0.0
    (losses['loss_recon'] + losses['loss_dist']).backward()
    # l is still part of the graph (distributed training needs that)
    assert model.pseudo_anomaly.logit.grad == 0


def test_reconstruction_only_has_no_pseudo_anomaly_at_all():
    model = build(pseudo_anomaly=None, loss_dist=None)
    assert model.pseudo_anomaly is None and model.loss_dist is None
    assert not any('logit' in n for n, _ in model.named_parameters())
    calls = ForwardCounter(model.backbone)
    data = model.data_preprocessor(batch(masked=(True, )), True)
    rng = torch.get_rng_state()
    losses = model(**data, mode='loss')
    assert torch.equal(torch.get_rng_state(), rng)  # no noise drawn
    assert set(losses) == {'loss_recon'}
    assert calls.batch_sizes == [2]
    # a loss_dist config is ignored when there is no pseudo anomaly
    assert build(pseudo_anomaly=None).loss_dist is None


def test_train_step_moves_sigma():
    model = build()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    log_vars = model.train_step(batch(masked=(True, )), optim)
    assert set(log_vars) == {'loss', 'loss_recon', 'loss_dist', 'sigma',
                             'mask_share', 'dist_ratio', 'err_masked',
                             'err_unmasked'}
    # the logged health values are not part of the loss
    total = float(log_vars['loss_recon'].detach() +
                  log_vars['loss_dist'].detach())
    assert float(log_vars['loss'].detach()) == pytest.approx(total)
    # the gradient reached l: Adam's first step moves it by about lr
    assert abs(model.pseudo_anomaly.logit.item()) == pytest.approx(
        1e-2, rel=1e-3)
    assert model.pseudo_anomaly.sigma.item() != 0.5


def test_sdl_keeps_sigma_at_one_half():
    model = build(
        pseudo_anomaly=dict(type='AdaptivePseudoAnomaly', learnable=False))
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    for seed in range(2):
        log_vars = model.train_step(batch(masked=(True, ), seed=seed), optim)
        assert log_vars['sigma'] == 0.5 and log_vars['loss_dist'] > 0
    assert float(model.pseudo_anomaly.sigma) == 0.5


def test_test_step_scores_the_centre_frame():
    model = build(test_cfg=dict(patch_size=4, with_pred_frame=True))
    data = batch()
    outputs = model.test_step(data)
    assert len(outputs) == 2
    clips = torch.stack(data['inputs']).float() / 255
    with torch.no_grad():
        recon = model(clips, mode='tensor')
    errors = reconstruction_error_map(clips[:, :, 1], recon)
    scores = max_patch_score(errors, patch_size=4, shifted_grid=True)
    for i, sample in enumerate(outputs):
        assert isinstance(sample.pred_score, float)
        assert sample.pred_score == pytest.approx(float(scores[i]))
        torch.testing.assert_close(sample.error_map, errors[i])
        assert sample.pred_frame.shape == (3, SIZE, SIZE)
        assert sample.frame_index == i + 1  # metainfo kept


@pytest.mark.parametrize('clip_len, backbone', [(1, 'C3DSU'), (5, 'C3DSU'),
                                                (1, 'UNet2D'),
                                                (3, 'UNet2D')])
def test_other_clip_lengths_and_unet(clip_len, backbone):
    model = build(clip_len=clip_len, backbone=backbone)
    losses = losses_of(model, batch(clip_len=clip_len))
    assert torch.isfinite(losses['loss_dist'])
    model.eval()
    out = model.test_step(batch(clip_len=clip_len))
    assert out[0].error_map.shape == (SIZE, SIZE)


def test_checkpoint_round_trip_restores_l(tmp_path):
    model = build()
    with torch.no_grad():
        model.pseudo_anomaly.logit.fill_(1.234)
    path = str(tmp_path / 'model.pth')
    save_checkpoint(dict(meta=dict(), state_dict=model.state_dict()), path)
    register_safe_checkpoint_loader()
    fresh = build()
    assert fresh.pseudo_anomaly.logit.item() == 0.0
    load_checkpoint(fresh, path, map_location='cpu', strict=True)
    assert fresh.pseudo_anomaly.logit.item() == pytest.approx(1.234)
    assert fresh.pseudo_anomaly.sigma.item() == pytest.approx(
        1 / (1 + torch.exp(torch.tensor(-1.234)).item()))


@pytest.mark.parametrize('kwargs, match', [
    (dict(backbone=dict(type='NoSuchNet')), 'model.backbone'),
    (dict(backbone=dict(type='C3DSU', clip_len=4)),
     'model.backbone.*clip_len'),
    (dict(loss_dist=dict(type='DistinctionLoss', loss_weight=-1)),
     'model.loss_dist.*lambda'),
    (dict(pseudo_anomaly=dict(type='AdaptivePseudoAnomaly', sigma=2)),
     'model.pseudo_anomaly'),
    (dict(test_cfg=dict(patch=16)), 'model.test_cfg.patch'),
    (dict(test_cfg=dict(patch_size=0)), 'model.test_cfg.patch_size'),
])
def test_bad_config_values_name_the_key(kwargs, match):
    cfg = dict(type='DDLReconstructor', backbone=dict(type='C3DSU'))
    cfg.update(kwargs)
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


def test_missing_mask_and_wrong_clip_len_are_explained():
    model = build()
    data = batch()
    del data['data_samples'][0].pseudo_mask
    with pytest.raises(ValueError, match=r'data_samples\[0\].*pseudo_mask'):
        losses_of(model, data)
    with pytest.raises(ValueError, match='clip_len=3'):
        losses_of(model, batch(clip_len=5))
    with pytest.raises(RuntimeError, match='Invalid mode'):
        model(torch.rand(1, 3, 3, SIZE, SIZE), mode='train')


def test_logged_health_values_of_the_corrupted_forward():
    model = build(loss_dist=dict(type='DistinctionLoss', loss_weight=0.5))
    seen = []
    model.backbone.register_forward_hook(
        lambda m, args, out: seen.append((args[0], out.detach())))
    data = batch(n=4, masked=(True, False, False, False))
    losses = losses_of(model, data)
    # only the keys holding 'loss' are summed by mmengine
    assert sorted(k for k in losses if 'loss' in k) == ['loss_dist',
                                                        'loss_recon']
    assert float(losses['mask_share']) == 0.25
    assert float(losses['dist_ratio']) == pytest.approx(
        float(losses['loss_dist'].detach()) / 0.5)
    clean, recon = seen[0][0][:, :, 1], seen[1][1]
    error = reconstruction_error_map(clean, recon)
    mask = torch.zeros(4, SIZE, SIZE, dtype=torch.bool)
    mask[0, 2:10, 4:12] = True
    assert float(losses['err_masked']) == pytest.approx(
        float(error[mask].mean()), rel=1e-5)
    assert float(losses['err_unmasked']) == pytest.approx(
        float(error[~mask].mean()), rel=1e-5)
    for key in ('mask_share', 'err_masked', 'dist_ratio'):
        assert not losses[key].requires_grad


def test_batches_without_masks_log_a_zero_share_only():
    model = build()
    losses = losses_of(model, batch(n=2, masked=(False, )))
    assert float(losses['mask_share']) == 0.0
    assert 'err_masked' not in losses and 'dist_ratio' not in losses
    recon_only = build(pseudo_anomaly=None)
    assert set(losses_of(recon_only, batch())) == {'loss_recon'}
