"""Re-draw score plots and print the AUCs of a saved scores file.

No model or dataset is needed: the file written by
``tools/test.py CONFIG CKPT --out scores.pkl`` (or .json/.npz) holds the raw
per-frame scores and labels of every test video. Smoothing and normalisation
are re-applied from the raw scores, by default with the settings stored in
the file, so the printed AUCs equal the test run's.

Example:
    python tools/analysis/plot_scores.py work_dirs/scores.pkl --out-dir vis/
    python tools/analysis/plot_scores.py scores.npz --smoothing-window 9 \
        --no-plots
    # the CSV of tools/infer_video.py (a file or a live run): its curve, with
    # the alerts shaded; no labels, so no AUC
    python tools/analysis/plot_scores.py vis/camera0_..._scores.csv
"""
import argparse
import os
import os.path as osp
import sys


#: Metrics of the scores file's meta that the scores alone cannot give.
LOCALISATION_KEYS = ('auc_pixel', 'rbdc', 'tbdc')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Re-draw score plots and print micro/macro frame AUC '
        'from a scores file of tools/test.py --out')
    parser.add_argument(
        'scores_file',
        help='.npz, .json or .pkl scores file of tools/test.py, or the .csv '
        'of tools/infer_video.py')
    parser.add_argument(
        '--trust-pickle', action='store_true',
        help='read a .pkl scores file (only one you trust: unpickling can '
        'run code); .npz and .json need no trust')
    parser.add_argument(
        '--out-dir',
        help='folder for the PNG plots (default: <scores file>_plots)')
    parser.add_argument(
        '--smoothing-window',
        type=int,
        help='odd median window in frames; 0 or 1 for none (default: the '
        'window stored in the file)')
    parser.add_argument(
        '--smoothing', choices=['median', 'gaussian', 'none'],
        help='median (window), gaussian (sigma) or none (default: as stored '
        'in the file)')
    parser.add_argument(
        '--smoothing-sigma', type=float,
        help='the Gaussian\'s sigma in frames (with --smoothing gaussian)')
    parser.add_argument(
        '--normalize-per-video',
        action=argparse.BooleanOptionalAction,
        default=None,
        help='min-max normalise each video (default: as stored in the file)')
    parser.add_argument(
        '--per-scene',
        action=argparse.BooleanOptionalAction,
        default=None,
        help='also print per-scene AUCs and their median (ShanghaiTech; '
        'default: as stored in the file)')
    parser.add_argument(
        '--no-plots', action='store_true', help='only print the AUCs')
    return parser.parse_args()


def plot_csv(args):
    """The score curve of one infer_video.py CSV, alerts shaded."""
    from mmddl.apis.live_outputs import read_scores_csv
    from mmddl.visualization import save_score_curve
    from mmddl.visualization.score_curve import anomalous_runs
    try:
        columns = read_scores_csv(args.scores_file)
    except (OSError, ValueError) as err:
        sys.exit(f'error: {err}')
    index = columns['frame_index']
    if not len(index):
        sys.exit(f'{args.scores_file} holds no scored frames')
    events = anomalous_runs(index, columns['alert']) \
        if 'alert' in columns else []
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.scores_file))
    os.makedirs(out_dir, exist_ok=True)
    stem = osp.splitext(osp.basename(args.scores_file))[0]
    path = osp.join(out_dir, stem + '.png')
    save_score_curve(path, index, columns['score_raw'],
                     columns['score_smoothed'], None, title=stem,
                     events=events)
    print(f'{args.scores_file}: {len(index)} scored frames, {len(events)} '
          f'alert intervals; no labels, so no AUC')
    print(f'plot written to {path}')


def main():
    args = parse_args()
    window = args.smoothing_window
    if window is not None and window not in (0, 1) and (window < 1
                                                        or window % 2 == 0):
        sys.exit(f'--smoothing-window must be odd (or 0 for none), got '
                 f'{window}')
    if args.scores_file.lower().endswith('.csv'):
        return plot_csv(args)
    # Heavy imports after argparse so that --help answers quickly.
    from mmengine.utils import ProgressBar

    from mmddl.evaluation.functional import (frame_auc_report, load_scores,
                                             macro_auc)
    from mmddl.visualization import save_video_score_curve

    try:
        data = load_scores(args.scores_file, trust_pickle=args.trust_pickle)
    except ValueError as err:  # an untrusted pickle, a broken file
        sys.exit(f'error: {err}')
    videos, meta = data['videos'], data['meta']
    if not videos:
        sys.exit(f'{args.scores_file} holds no videos')
    window = args.smoothing_window if args.smoothing_window is not None \
        else meta.get('smoothing_window', 17)
    window = None if window in (None, 0, 1) else window
    normalize = args.normalize_per_video if args.normalize_per_video \
        is not None else bool(meta.get('normalize_per_video', False))
    per_scene = args.per_scene if args.per_scene is not None \
        else bool(meta.get('per_scene', False))

    smoothing = args.smoothing or meta.get('smoothing', 'median')
    sigma = args.smoothing_sigma if args.smoothing_sigma is not None \
        else meta.get('smoothing_sigma')
    scores = {v: f['score_raw'] for v, f in videos.items()}
    labels = {v: f['label'] for v, f in videos.items()}
    try:
        metrics, smoothed = frame_auc_report(scores, labels, window,
                                             normalize, per_scene, smoothing,
                                             sigma)
    except ValueError as err:
        sys.exit(f'error: {err}')

    if smoothing == 'median':
        how = f'smoothing window {window}'
    elif smoothing == 'gaussian':
        how = f'gaussian smoothing, sigma {sigma}'
    else:
        how = 'no smoothing'
    print(f'{args.scores_file}: {len(videos)} videos, '
          f'{sum(len(s) for s in scores.values())} frames; {how}, '
          f'per-video min-max {"on" if normalize else "off"}')
    for key, value in metrics.items():
        text = f'{value:.4f}' if isinstance(value, float) else str(value)
        print(f'{key:<22} {text}')
    # the localisation metrics need the error maps, which the file does not
    # hold: they are printed as the test run measured them
    stored = meta.get('metrics') or {}
    for key in LOCALISATION_KEYS:
        value = stored.get(key, stored.get(f'vad/{key}'))
        if value is not None:
            print(f'{key:<22} {float(value):.4f} (as tested: needs the '
                  'error maps)')

    if args.no_plots:
        return
    out_dir = args.out_dir or osp.splitext(args.scores_file)[0] + '_plots'
    os.makedirs(out_dir, exist_ok=True)
    aucs = macro_auc(smoothed, labels).per_group
    progress = ProgressBar(len(videos), file=sys.stderr)
    for vid, fields in videos.items():
        fields = dict(fields, score_smoothed=smoothed[vid])
        save_video_score_curve(out_dir, vid, fields, aucs.get(vid))
        progress.update()
    sys.stderr.write('\n')
    print(f'plots written to {out_dir}')


if __name__ == '__main__':
    main()
