"""PackVADInputs: (C, T, H, W) uint8 inputs and the VADDataSample."""
import numpy as np
import pytest
import torch

from mmddl.datasets.transforms import PackVADInputs
from mmddl.registry import TRANSFORMS
from mmddl.structures import VADDataSample


def window():
    imgs = np.arange(3 * 4 * 5 * 3, dtype=np.uint8).reshape(3, 4, 5, 3)
    return dict(imgs=imgs, video_id='01_0014', frame_index=7,
                frame_inds=[6, 7, 8], frame_paths=['x'] * 9)


def test_registered():
    assert TRANSFORMS.get('PackVADInputs') is PackVADInputs


def test_packs_channels_first():
    results = window()
    out = PackVADInputs()(dict(results, gt_label=1))
    inputs = out['inputs']
    assert inputs.dtype == torch.uint8 and tuple(inputs.shape) == (3, 3, 4, 5)
    # inputs[c, t, y, x] == imgs[t, y, x, c]
    assert inputs[2, 1, 3, 4] == results['imgs'][1, 3, 4, 2]
    assert inputs.is_contiguous()
    sample = out['data_samples']
    assert isinstance(sample, VADDataSample)
    assert sample.video_id == '01_0014' and sample.frame_index == 7
    assert sample.frame_inds == [6, 7, 8] and sample.gt_label == 1
    assert 'frame_paths' not in sample.metainfo_keys()
    assert 'pseudo_mask' not in sample


def test_unknown_label_and_pseudo_mask():
    mask = np.zeros((3, 4, 5), np.uint8)
    mask[:, 1:3, 2:4] = 1
    out = PackVADInputs()(dict(window(), pseudo_mask=mask))
    sample = out['data_samples']
    assert sample.gt_label == -1
    assert sample.pseudo_mask.dtype == torch.uint8
    assert sample.pseudo_mask.sum() == 12


def test_rejects_non_uint8_windows():
    with pytest.raises(ValueError, match='uint8'):
        PackVADInputs()(dict(imgs=np.zeros((3, 4, 5, 3), np.float32)))
