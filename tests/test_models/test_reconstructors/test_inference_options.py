"""model.test_cfg speed options give the scores of the default model:
channels_last exactly (1e-5), bf16 autocast within 1 % (relative);
channels_last converts the deployed copy, never the trained backbone."""
import pytest
import torch

from mmddl.apis import stream_video
from mmddl.testing.reconstructors import (build_tiny_reconstructor,
                                          randomise_bn_stats)


def build(**test_cfg):
    return build_tiny_reconstructor((8, 16, 32, 64), **test_cfg)


@pytest.fixture(scope='module')
def reference():
    torch.manual_seed(0)
    model = randomise_bn_stats(build(), mean_range=0.1)
    video = torch.randint(0, 256, (10, 3, 32, 32), dtype=torch.uint8)
    return model, video


def scores_of(model, video):
    window = torch.stack([video[i - 1:i + 2].permute(1, 0, 2, 3)
                          for i in range(1, len(video) - 1)])
    predicted = torch.tensor(
        [s.pred_score for s in model.predict(window.float() / 255)])
    streamed = torch.cat([c.scores for c in stream_video(model, video, 4)])
    return predicted, streamed


@pytest.mark.parametrize('options,rtol', [
    (dict(channels_last=True), 1e-5),
    (dict(autocast='bfloat16'), 1e-2),
    (dict(autocast='bfloat16', channels_last=True), 1e-2),
])
def test_speed_options_keep_the_scores(reference, options, rtol):
    model, video = reference
    fast = build(**options)
    fast.load_state_dict(model.state_dict())
    expected = scores_of(model, video)
    for got, want in zip(scores_of(fast, video), expected):
        torch.testing.assert_close(got, want, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize('fuse_blocks', [True, False])
def test_channels_last_applies_to_the_deployed_copy_only(fuse_blocks):
    model = build(channels_last=True, fuse_blocks=fuse_blocks)

    def weights(module):
        return [p for p in module.parameters() if p.ndim == 4]

    deployed = weights(model.deployed.backbone.module)
    assert deployed and all(
        w.is_contiguous(memory_format=torch.channels_last) for w in deployed)
    trained = weights(model.backbone)
    # the trained backbone keeps its layout (3x3 kernels: channels-last
    # would differ), after eval() and after training mode too
    assert all(w.is_contiguous() for w in trained)
    assert not any(w.is_contiguous(memory_format=torch.channels_last)
                   for w in trained if w.shape[1] > 1 and w.shape[-1] > 1)
    model.train()
    assert all(w.is_contiguous() for w in weights(model.backbone))


def test_unknown_autocast_dtype_names_the_key():
    with pytest.raises(ValueError, match='model.test_cfg.autocast'):
        build(autocast='int8')
