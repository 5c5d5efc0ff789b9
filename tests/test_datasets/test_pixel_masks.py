"""Pixel masks of the test videos reach the pixel-level metric."""
import numpy as np
import torch

from mmddl.datasets import Ped2Dataset
from mmddl.datasets.pixel_masks import load_pixel_masks
from mmddl.evaluation import FrameAUCMetric


def test_ped2_masks_reach_the_metric(ped2_original):
    dataset = Ped2Dataset(ped2_original, split='test')
    video = dataset.videos[0]
    masks = load_pixel_masks(video)
    assert masks.shape[0] == len(video['frame_paths'])
    np.testing.assert_array_equal(masks.any(axis=(1, 2)), video['labels'])
    metric = FrameAUCMetric(smoothing_window=None, pixel_auc=True)
    metric.dataset_meta = dataset.metainfo
    samples = []
    gen = torch.Generator().manual_seed(0)
    for v in dataset.videos:
        for i in range(1, len(v['frame_paths']) - 1):
            mask = load_pixel_masks(v)[i]
            # errors high on the anomalous pixels: the criterion finds them
            error = torch.rand(mask.shape, generator=gen) + torch.from_numpy(
                mask) * 1.0
            samples.append(dict(video_id=v['video_id'], frame_index=i,
                                gt_label=int(v['labels'][i]),
                                pred_score=float(error.max()),
                                error_map=error, gt_mask=mask))
    metric.process(None, samples)
    metrics = metric.compute_metrics(metric.results)
    assert metrics['auc_pixel'] == 1.0


def test_the_streaming_loop_resizes_masks_and_names_missing_ones():
    import pytest

    from mmddl.engine.runner.streaming_loops import mask_at, video_pixel_masks
    mask = np.zeros((4, 6), bool)
    mask[1:3, 2:4] = True
    resized = mask_at(mask, (8, 12))
    assert resized.shape == (8, 12) and resized.sum() == 4 * mask.sum()
    with pytest.raises(FileNotFoundError, match='TestNNN_gt'):
        video_pixel_masks(dict(video_id='01', frame_paths=['a']))
