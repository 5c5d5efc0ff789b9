"""FrameAUCMetric(region_auc=True): RBDC and TBDC from the samples' error
maps and masks, over the metric's own threshold sweep."""
import numpy as np
import pytest
import torch

from mmddl.evaluation import FrameAUCMetric
from mmddl.structures import VADDataSample


def block(rows, cols, value=1.0, shape=(8, 8)):
    out = np.zeros(shape, np.float32)
    out[rows, cols] = value
    return out


def samples_of(frames, video='v'):
    """Samples for frames 1.. of a video (clip_len 3: frame 0 unscored)."""
    samples = []
    for i, (err, gt) in enumerate(frames, start=1):
        sample = VADDataSample(metainfo=dict(video_id=video, frame_index=i))
        sample.set_gt_label(int(gt.any()))
        sample.set_pred_score(float(err.max()))
        sample.error_map = torch.from_numpy(err)
        sample.gt_mask = torch.from_numpy(gt > 0)
        samples.append(sample.to_dict())
    return samples


def evaluate(samples, lengths, **kwargs):
    metric = FrameAUCMetric(smoothing_window=None, region_auc=True, **kwargs)
    metric.dataset_meta = dict(clip_len=3, video_lengths=lengths)
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_partial_case_over_the_full_sweep():
    # Track A (frames 1-2) scores 0.9 then 0.5, track B (frames 3-4) 0.5
    # then nothing; false regions 0.8 (frame 2) and 0.5 (frame 4); frames
    # 5-6 normal and silent. Every level between the scores is swept:
    #   0.8 <= t < 0.9: FPR 0,   RBDR 1/4, TBDR 1/2
    #   0.5 <= t < 0.8: FPR 1/6, RBDR 1/4, TBDR 1/2
    #   0   <= t < 0.5: FPR 2/6, RBDR 3/4, TBDR 1, then flat to FPR 1
    # RBDC = 1/6*.25 + 1/6*(.25+.75)/2 + 4/6*.75 = 0.625
    # TBDC = 1/6*.5  + 1/6*(.5+1)/2    + 4/6*1   = 0.875
    a, b = block(slice(1, 3), slice(1, 3)), block(slice(5, 7), slice(5, 7))
    none = np.zeros((8, 8), np.float32)
    frames = [(0.9 * a, a), (0.5 * a + block(7, 0, 0.8), a), (0.5 * b, b),
              (block(0, 7, 0.5), b), (none, none), (none, none)]
    samples = samples_of(frames)
    samples = samples[3:] + samples[:3]  # the metric puts them in order
    metrics = evaluate(samples, {'v': 8})
    assert metrics['vad/rbdc'] == pytest.approx(0.625)
    assert metrics['vad/tbdc'] == pytest.approx(0.875)


def test_perfect_and_blind_detectors_at_a_coarser_size():
    gt = block(slice(8, 16), slice(8, 16), shape=(32, 32))
    elsewhere = block(slice(24, 32), slice(24, 32), shape=(32, 32))
    none = np.zeros((32, 32), np.float32)
    frames = [(gt, gt), (gt, gt), (none, none)]
    perfect = evaluate(samples_of(frames), {'v': 5}, region_size=8)
    assert perfect['vad/rbdc'] == 1.0 and perfect['vad/tbdc'] == 1.0
    frames = [(elsewhere, gt), (elsewhere, gt), (none, none)]
    blind = evaluate(samples_of(frames), {'v': 5}, region_size=8)
    assert blind['vad/rbdc'] == 0.0 and blind['vad/tbdc'] == 0.0


def test_needs_masks_and_a_sensible_size():
    sample = VADDataSample(metainfo=dict(video_id='v', frame_index=1))
    sample.set_gt_label(0).set_pred_score(0.5)
    sample.error_map = torch.zeros(8, 8)
    metric = FrameAUCMetric(region_auc=True)
    with pytest.raises(KeyError, match='region_auc=True'):
        metric.process({}, [sample.to_dict()])
    with pytest.raises(ValueError, match='region_size'):
        FrameAUCMetric(region_auc=True, region_size=4)
