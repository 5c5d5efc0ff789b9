"""Per-scene ShanghaiTech protocol: the merge tool's AUCs by definition,
its refusals, and the per-scene commands."""
import numpy as np
from sklearn.metrics import roc_auc_score

from mmddl.evaluation.functional import dump_scores
from mmddl.testing.tools import run_tool


def scene_file(path, scene, seed, settings=None):
    rng = np.random.default_rng(seed)
    videos = {}
    for k in range(2):
        label = (np.arange(40) > 20 + 5 * k).astype(np.int64)
        raw = rng.random(40) + label * 0.3
        videos[f'{scene}_{k:04d}'] = dict(
            frame_index=np.arange(1, 41), label=label, score_raw=raw,
            score_smoothed=raw)
    meta = dict(smoothing='median', smoothing_window=None,
                smoothing_sigma=None, normalize_per_video=False, clip_len=3)
    meta.update(settings or {})
    dump_scores(dict(videos=videos, meta=meta), str(path))
    return videos


def test_merge_gives_per_scene_aucs_and_their_median(tmp_path):
    files, want = [], {}
    for i, scene in enumerate(('01', '02', '03')):
        path = tmp_path / f'scene{scene}.npz'
        videos = scene_file(path, scene, i)
        files.append(str(path))
        want[scene] = roc_auc_score(
            np.concatenate([v['label'] for v in videos.values()]),
            np.concatenate([v['score_raw'] for v in videos.values()]))
    out = str(tmp_path / 'merged.json')
    result = run_tool(['tools/analysis/merge_scene_scores.py'] + files +
                      ['--out', out])
    for scene, auc in want.items():
        assert f'scene {scene:<4} {auc:.4f}' in result.stdout
    median = np.median(list(want.values()))
    assert f'median of the per-scene AUCs  {median:.4f}' in result.stdout


def test_merge_refuses_a_video_twice_and_other_settings(tmp_path):
    a, b = tmp_path / 'a.npz', tmp_path / 'b.npz'
    scene_file(a, '01', 0)
    scene_file(b, '01', 1)
    result = run_tool(['tools/analysis/merge_scene_scores.py', str(a),
                       str(b)], check=False)
    assert result.returncode != 0 and 'is in both' in result.stderr
    scene_file(b, '02', 1, dict(smoothing_window=17))
    result = run_tool(['tools/analysis/merge_scene_scores.py', str(a),
                       str(b)], check=False)
    assert result.returncode != 0 and 'same evaluator settings' in \
        result.stderr


def test_train_scenes_prints_one_job_per_scene():
    result = run_tool(['tools/train_scenes.py',
                       'configs/ddl/c3dsu_shanghaitech.py', '--scenes', '01',
                       '07', '--work-dir', 'w', '--print-commands'])
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert 'scene=07' in lines[1] and 'w/scene07/scores.npz' in lines[1]
    assert '"$(cat w/scene07/last_checkpoint)"' in lines[1]
    assert lines[2].startswith('python tools/analysis/merge_scene_scores.py')
    bad = run_tool(['tools/train_scenes.py',
                    'configs/ddl/c3dsu_shanghaitech.py', '--scenes', '14'],
                   check=False)
    assert bad.returncode != 0 and 'unknown scenes' in bad.stderr
