"""Merge the scores files of per-scene models into the per-scene AUCs and
their median (the paper's ShanghaiTech headline).

Each scene model is tested on its own scene (``tools/test.py ... --out
scene01.npz --cfg-options scene=01``); this reads those files, checks that
no video is scored twice and that all were smoothed alike, and prints each
scene's pooled AUC, their median and mean, and the pooled AUC over all.

Example:
    python tools/analysis/merge_scene_scores.py \
        work_dirs/sht_scenes/scene*/scores.npz --out work_dirs/sht_merged.npz
"""
import argparse
import sys


def parse_args():
    parser = argparse.ArgumentParser(
        description='Per-scene AUCs and their median from per-scene scores '
        'files')
    parser.add_argument('scores_files', nargs='+',
                        help='.npz / .json (or trusted .pkl) files of '
                        'tools/test.py --out, one per scene model')
    parser.add_argument('--out', help='also write the merged scores here')
    parser.add_argument('--trust-pickle', action='store_true',
                        help='read .pkl files (only ones you trust)')
    return parser.parse_args()


def merge(files, trust_pickle=False):
    """(videos, meta) of several scores files; ValueError naming the file
    for a video scored twice or settings that differ."""
    from mmddl.evaluation.functional import load_scores
    videos, first, source = {}, None, {}
    keys = ('smoothing', 'smoothing_window', 'smoothing_sigma',
            'normalize_per_video', 'clip_len')
    for path in files:
        data = load_scores(path, trust_pickle=trust_pickle)
        settings = {k: data['meta'].get(k) for k in keys}
        if first is None:
            first = (path, settings)
        elif settings != first[1]:
            raise ValueError(f'{path} was scored with {settings}, '
                             f'{first[0]} with {first[1]}: test all scene '
                             'models with the same evaluator settings')
        for vid, fields in data['videos'].items():
            if vid in videos:
                raise ValueError(f'video {vid} is in both {source[vid]} and '
                                 f'{path}')
            videos[vid], source[vid] = fields, path
    return videos, dict(first[1]) if first else {}


def main():
    args = parse_args()
    from mmddl.evaluation.functional import dump_scores, frame_auc_report
    from mmddl.evaluation.functional.auc import median_of
    try:
        videos, meta = merge(args.scores_files, args.trust_pickle)
    except (OSError, ValueError) as err:
        sys.exit(f'error: {err}')
    scores = {v: f['score_raw'] for v, f in videos.items()}
    labels = {v: f['label'] for v, f in videos.items()}
    metrics, smoothed = frame_auc_report(
        scores, labels, meta.get('smoothing_window', 17),
        bool(meta.get('normalize_per_video', False)), per_scene=True,
        smoothing=meta.get('smoothing') or 'median',
        smoothing_sigma=meta.get('smoothing_sigma'))
    scenes = {k[len('auc_scene'):]: v for k, v in metrics.items()
              if k.startswith('auc_scene') and k[len('auc_scene'):].isdigit()}
    print(f'{len(args.scores_files)} files, {len(videos)} videos, '
          f'{len(scenes)} scenes with both classes')
    for scene, auc in sorted(scenes.items()):
        print(f'scene {scene:<4} {auc:.4f}')
    print(f'median of the per-scene AUCs  {median_of(scenes):.4f}   '
          '(the paper\'s ShanghaiTech figure)')
    mean = sum(scenes.values()) / len(scenes) if scenes else float('nan')
    print(f'mean of the per-scene AUCs    {mean:.4f}')
    print(f'pooled over all scenes        {metrics["auc"]:.4f}')
    if metrics.get('auc_scene_left_out'):
        print(f'scenes left out (one class): {metrics["auc_scene_left_out"]}')
    if args.out:
        for vid, fields in videos.items():
            fields['score_smoothed'] = smoothed[vid]
        dump_scores(dict(videos=videos, meta=dict(meta, per_scene=True,
                                                  metrics=metrics)), args.out)
        print(f'written: {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
