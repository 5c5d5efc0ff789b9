"""model.test_cfg.fuse_blocks and model.test_cfg.compile: the scores of the
plain eager model to 1e-5 relative (fp32), through predict and through
stream_video; compiled lazily; no change to the state dict or checkpoints.

Inductor compiles take tens of seconds on 2 shared cores, so it runs once
(predict); the other compile tests use the ``aot_eager`` backend, which
traces and partitions the same graphs without generating code.
"""
import copy

import pytest
import torch
from mmengine.runner.checkpoint import get_state_dict

from mmddl.apis import stream_video
from mmddl.models.reconstructors import InferenceBackbone
from mmddl.testing.reconstructors import (build_tiny_reconstructor,
                                          randomise_bn_stats)

AOT_EAGER = dict(backend='aot_eager', dynamic=False)
RTOL = 1e-5


def build(**test_cfg):
    return build_tiny_reconstructor((8, 16), **test_cfg)


@pytest.fixture(scope='module')
def reference():
    """The plain eager model (no fusion), its video and its scores."""
    torch.manual_seed(0)
    model = randomise_bn_stats(build(fuse_blocks=False))
    video = torch.randint(0, 256, (7, 3, 32, 32), dtype=torch.uint8)
    return model, video, predicted(model, video), streamed(model, video)


def windows_of(video):
    return torch.stack([video[i - 1:i + 2].permute(1, 0, 2, 3)
                        for i in range(1, len(video) - 1)]).float() / 255


def predicted(model, video):
    return torch.tensor(
        [s.pred_score for s in model.predict(windows_of(video))])


def streamed(model, video, batch_size=5):
    return torch.cat(
        [c.scores for c in stream_video(model, video, batch_size)])


def like(reference_model, **test_cfg):
    model = build(**test_cfg)
    model.load_state_dict(reference_model.state_dict())
    return model


def test_reference_scores_differ_between_frames(reference):
    _, _, scores, stream = reference
    assert len(scores) == 5 and scores.std() > 0
    torch.testing.assert_close(stream, scores, rtol=RTOL, atol=0)


@pytest.mark.parametrize('batch_size', [1, 2])
def test_fused_streaming_in_small_steps_equals_predict(reference,
                                                       batch_size):
    """One new frame per step stacks each window straight from the
    per-frame buffer; two take the concatenated path."""
    model, video, want_predict, _ = reference
    fast = like(model, fuse_blocks=True)
    torch.testing.assert_close(
        streamed(fast, video, batch_size), want_predict, rtol=RTOL, atol=0)


@pytest.mark.parametrize('options', [
    dict(fuse_blocks=True),
    dict(fuse_blocks=False, compile=AOT_EAGER),
    dict(fuse_blocks=True, compile=AOT_EAGER),
])
def test_fused_and_compiled_scores_equal_eager(reference, options):
    model, video, want_predict, want_stream = reference
    fast = like(model, **options)
    torch.testing.assert_close(
        predicted(fast, video), want_predict, rtol=RTOL, atol=0)
    torch.testing.assert_close(
        streamed(fast, video), want_stream, rtol=RTOL, atol=0)


def test_inductor_compiles_on_cpu_with_equal_scores(reference):
    model, video, want_predict, _ = reference
    fast = like(model, compile=dict(backend='inductor', dynamic=False))
    torch.testing.assert_close(
        predicted(fast, video), want_predict, rtol=RTOL, atol=0)


def test_compile_is_lazy_and_training_stays_eager():
    graphs = []

    def counting_backend(graph_module, example_inputs):
        graphs.append(graph_module)
        return graph_module.forward

    model = build(compile=dict(backend=counting_backend, dynamic=False))
    runner = model.inference_backbone()  # built by eval(), not compiled
    assert isinstance(runner, InferenceBackbone) and not graphs
    assert runner is model.inference_backbone()  # kept while unchanged
    model.predict(torch.rand(2, 3, 3, 32, 32))
    assert graphs  # compiled on the first call
    model.train()
    assert model.inference_backbone() is model.backbone
    assert model.deployed is None
    compiled = len(graphs)
    samples = None
    clips = torch.rand(2, 3, 3, 32, 32)
    with pytest.raises(ValueError, match='pseudo_mask'):
        model(clips, samples, mode='loss')  # the eager loss path runs
    model(clips, mode='tensor')
    assert len(graphs) == compiled
    model.eval()
    assert model.inference_backbone() is not runner  # a new one


def test_checkpoint_keys_unchanged_after_compiled_inference(
        reference, tmp_path):
    model, video, _, _ = reference
    fast = like(model, compile=AOT_EAGER)
    streamed(fast, video)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict=get_state_dict(fast)), path)
    saved = torch.load(path)['state_dict']
    assert list(saved) == list(model.state_dict())
    assert not any('_orig_mod' in key for key in saved)
    # a deep copy (as EMA and checkpoint hooks make) gets its own deployed
    # model, from its own weights, with fresh (uncompiled) functions
    clone = copy.deepcopy(fast)
    assert clone.deployed is not None and clone.deployed is not fast.deployed
    torch.testing.assert_close(
        predicted(clone, video), predicted(fast, video), rtol=RTOL, atol=0)


def test_new_weights_are_refolded(reference):
    model, video, want_predict, _ = reference
    fast = like(model, fuse_blocks=True)
    other = build(fuse_blocks=False)  # different random weights
    predicted(fast, video)  # builds the fused copy of the old weights
    fast.load_state_dict(other.state_dict())
    torch.testing.assert_close(
        predicted(fast, video), predicted(other, video), rtol=RTOL, atol=0)
    # in-place writes (here through .data) are not watched; eval() rebuilds
    tensors = dict(fast.named_parameters(), **dict(fast.named_buffers()))
    for name, ref in model.state_dict().items():
        tensors[name].data.copy_(ref)
    fast.eval()
    torch.testing.assert_close(
        predicted(fast, video), want_predict, rtol=RTOL, atol=0)


@pytest.mark.parametrize('value', [
    'yes', 1, dict(mode='fastest'), dict(backend='no-such-backend'),
    dict(fullgraph=True, chunks=2), dict(dynamic='auto')
])
def test_bad_compile_values_name_the_key(value):
    with pytest.raises(ValueError, match=r'model\.test_cfg\.compile'):
        build(compile=value)


def test_bad_fuse_blocks_value_names_the_key():
    with pytest.raises(ValueError, match=r'model\.test_cfg\.fuse_blocks'):
        build(fuse_blocks='yes')
