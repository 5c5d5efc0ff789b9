"""VADDataPreprocessor follows mmddl's data format contract."""
import pytest
import torch

from mmddl.registry import MODELS
from mmddl.structures import VADDataSample


def test_stacks_scales_and_moves_samples():
    pre = MODELS.build(dict(type='VADDataPreprocessor'))
    clips = [
        torch.randint(0, 256, (3, 3, 4, 4), dtype=torch.uint8)
        for _ in range(2)
    ]
    mask = torch.ones(3, 4, 4, dtype=torch.uint8)
    samples = [VADDataSample().set_pseudo_mask(mask) for _ in range(2)]
    out = pre(dict(inputs=clips, data_samples=samples), training=True)
    assert out['inputs'].shape == (2, 3, 3, 4, 4)
    assert out['inputs'].dtype == torch.float32
    torch.testing.assert_close(out['inputs'][1], clips[1].float() / 255)
    assert torch.equal(out['data_samples'][0].pseudo_mask, mask)


def test_float_inputs_are_kept_and_bad_inputs_raise():
    pre = MODELS.build(dict(type='VADDataPreprocessor'))
    x = torch.rand(2, 3, 1, 4, 4)
    assert torch.equal(pre(dict(inputs=x))['inputs'], x)
    with pytest.raises(ValueError, match='one shape'):
        pre(dict(inputs=[torch.zeros(3, 3, 4, 4), torch.zeros(3, 3, 4, 8)]))
    with pytest.raises(ValueError, match=r'\(C, T, H, W\)'):
        pre(dict(inputs=[torch.zeros(3, 4, 4)]))
