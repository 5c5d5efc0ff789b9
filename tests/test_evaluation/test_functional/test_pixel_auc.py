"""The pixel-level criterion: the per-frame reduction equals the threshold
sweep of its definition."""
import numpy as np

from mmddl.evaluation.functional.pixel_auc import (pixel_criterion_score,
                                                   pixel_level_auc)


def sweep_auc(maps, masks, coverage=0.4):
    """The definition: TPR and FPR at every threshold, area by trapezoids."""
    values = np.unique(np.concatenate([m.ravel() for m in maps]))
    points = [(0.0, 0.0)]
    anomalous = [m.any() for m in masks]
    for t in np.concatenate([values[::-1], [-np.inf]]):
        tp = sum(((e >= t) & g).sum() >= coverage * g.sum()
                 for e, g, a in zip(maps, masks, anomalous) if a)
        fp = sum((e >= t).any() for e, a in zip(maps, anomalous) if not a)
        points.append((fp / anomalous.count(False),
                       tp / anomalous.count(True)))
    fpr, tpr = np.array(points).T
    return np.trapezoid(tpr, fpr)


def test_reduction_equals_the_threshold_sweep():
    rng = np.random.default_rng(0)
    maps, masks = [], []
    for i in range(30):
        err = rng.random((6, 8))
        mask = np.zeros((6, 8), bool)
        if i % 2:
            mask[1:4, 2:6] = True
            err[mask] += rng.random() * 0.5  # partly detectable objects
        maps.append(err)
        masks.append(mask)
    scores = [pixel_criterion_score(e, g) for e, g in zip(maps, masks)]
    got = pixel_level_auc(scores, [g.any() for g in masks])
    assert abs(got - sweep_auc(maps, masks)) < 1e-9
    assert np.isnan(pixel_level_auc([1.0, 2.0], [False, False]))
