"""tools/analysis/plot_scores.py end to end on a saved scores file."""
import os
import re

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from mmddl.evaluation.functional import dump_scores, median_smooth
from mmddl.testing.tools import run_tool


def write_scores(path):
    rng = np.random.default_rng(0)
    videos = {}
    for vid, n in [('01_0001', 50), ('01_0002', 40), ('02_0001', 30)]:
        label = np.zeros(n, int)
        label[n // 3:2 * n // 3] = 1
        if vid == '02_0001':
            label[:] = 1
        raw = rng.random(n) + 0.5 * label
        videos[vid] = dict(
            frame_index=np.arange(1, n + 1),
            label=label,
            score_raw=raw,
            score_smoothed=median_smooth(raw, 5))
    dump_scores(dict(videos=videos, meta=dict(smoothing_window=5)), path)
    return videos


def printed(stdout, key):
    return float(re.search(rf'^{key}\s+(\S+)$', stdout, re.M).group(1))


def test_redraws_plots_and_prints_the_aucs(tmp_path):
    scores_file = str(tmp_path / 'scores.npz')
    videos = write_scores(scores_file)
    out_dir = tmp_path / 'plots'
    result = run_tool([
        'tools/analysis/plot_scores.py', scores_file, '--out-dir',
        str(out_dir), '--per-scene'
    ],
                      timeout=180)
    assert sorted(os.listdir(out_dir)) == [
        '01_0001_scores.png', '01_0002_scores.png', '02_0001_scores.png'
    ]
    vids = sorted(videos)
    y = np.concatenate([videos[v]['label'] for v in vids])
    smooth = {v: median_smooth(videos[v]['score_raw'], 5) for v in vids}
    micro = roc_auc_score(y, np.concatenate([smooth[v] for v in vids]))
    macro = np.mean(
        [roc_auc_score(videos[v]['label'], smooth[v]) for v in vids[:2]])
    assert printed(result.stdout, 'auc') == pytest.approx(micro, abs=5e-5)
    assert printed(result.stdout, 'auc_macro') == pytest.approx(
        macro, abs=5e-5)
    assert printed(result.stdout, 'auc_macro_left_out') == 1
    assert 'auc_scene01' in result.stdout
    assert 'smoothing window 5' in result.stdout

    # Another window re-smooths the raw scores; --no-plots draws nothing.
    again = run_tool([
        'tools/analysis/plot_scores.py', scores_file, '--smoothing-window',
        '0', '--no-plots'
    ],
                     timeout=180)
    raw_micro = roc_auc_score(
        y, np.concatenate([videos[v]['score_raw'] for v in vids]))
    assert printed(again.stdout, 'auc') == pytest.approx(raw_micro, abs=5e-5)
    assert not os.path.exists(str(tmp_path / 'scores_plots'))


def test_prints_the_localisation_metrics_the_test_run_stored(tmp_path):
    scores_file = str(tmp_path / 'scores.json')
    videos = write_scores(scores_file)
    dump_scores(dict(videos=videos, meta=dict(
        smoothing_window=5,
        metrics=dict(auc=0.9, auc_pixel=0.625, rbdc=0.25, tbdc=0.5))),
                scores_file)
    result = run_tool(['tools/analysis/plot_scores.py', scores_file,
                       '--no-plots'], timeout=180)
    for key, value in (('auc_pixel', 0.625), ('rbdc', 0.25),
                       ('tbdc', 0.5)):
        assert re.search(rf'^{key}\s+{value:.4f} \(as tested', result.stdout,
                         re.M), result.stdout
