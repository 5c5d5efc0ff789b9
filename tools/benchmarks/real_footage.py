"""Train and score DDL against its reconstruction-only ablation on real
footage, for several seeds and resize interpolations; print the table.

Each run is ``tools/train.py`` on a copy of CONFIG (written into its work
dir) with one seed, ``model.pseudo_anomaly`` on (``ddl``) or None
(``recon``), and every ``LoadFrameWindow`` set to one interpolation. The
final validation of each run writes a scores file; this script reads them
and prints pooled (micro) AUC, the per-video AUCs, the mean smoothed score
on normal and anomalous frames, and the sigma(l) curve (start, peak, end).
Runs already finished (scores file present) are not repeated, so a killed
benchmark resumes where it stopped. See docs/real_footage.md::

    python tools/benchmarks/real_footage.py \\
        configs/ddl/c3dsu-public_vtest.py \\
        --seeds 0 1 2 --variants ddl recon --interpolations antialias bilinear
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='the real-footage DDL config')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--variants', nargs='+', default=['ddl', 'recon'],
                        choices=['ddl', 'recon', 'sdl'])
    parser.add_argument('--interpolations', nargs='+',
                        default=['antialias', 'bilinear'])
    parser.add_argument('--work-dir', default='work_dirs/real_footage')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='passed on to every tools/train.py run')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args()


def run_config(base: str, variant: str, interpolation: str, seed: int,
               work_dir: str) -> str:
    """Write the config of one run into its work dir; return its path."""
    from mmengine.config import Config

    from mmddl.datasets.frame_decoding import pin_interpolation
    from mmddl.evaluation.metrics import with_dump_metric
    cfg = Config.fromfile(base)
    cfg.randomness = dict(seed=seed, diff_rank_seed=False,
                          deterministic=False)
    if variant == 'recon':
        cfg.model.pseudo_anomaly = None
    elif variant == 'sdl':
        cfg.model.pseudo_anomaly = dict(type='AdaptivePseudoAnomaly',
                                        learnable=False)
    pin_interpolation(cfg._cfg_dict, interpolation, overwrite=True)
    cfg.val_evaluator = with_dump_metric(cfg.val_evaluator,
                                         osp.join(work_dir, 'scores.json'))
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, 'run_config.py')
    cfg.dump(path)
    return path


def sigma_curve(work_dir: str):
    """(start, peak, end) of the logged sigma(l), or None."""
    values = []
    for dirpath, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(dirpath, 'scalars.json')) as f:
                for line in f:
                    row = json.loads(line)
                    if 'sigma' in row:
                        values.append(row['sigma'])
    if not values:
        return None
    return values[0], max(values), values[-1]


def summarise(scores_file: str, work_dir: str) -> dict:
    from sklearn.metrics import roc_auc_score

    from mmddl.evaluation.functional import load_scores
    data = load_scores(scores_file)
    per_video, normal, anomalous = {}, [], []
    for vid, fields in sorted(data['videos'].items()):
        label, score = fields['label'], fields['score_smoothed']
        if 0 < label.sum() < len(label):
            per_video[vid] = float(roc_auc_score(label, score))
        normal.append(score[label == 0])
        anomalous.append(score[label == 1])
    metrics = data['meta'].get('metrics', {})
    return dict(
        auc=float(metrics.get('vad/auc', metrics.get('auc', np.nan))),
        per_video=per_video,
        mean_normal=float(np.concatenate(normal).mean()),
        mean_anomalous=float(np.concatenate(anomalous).mean()),
        sigma=sigma_curve(work_dir))


def main():
    args = parse_args()
    results = []
    for interpolation in args.interpolations:
        for variant in args.variants:
            for seed in args.seeds:
                name = f'{variant}_{interpolation}_seed{seed}'
                work_dir = osp.join(args.work_dir, name)
                scores_file = osp.join(work_dir, 'scores.json')
                if not osp.isfile(scores_file):
                    config = run_config(args.config, variant, interpolation,
                                        seed, work_dir)
                    start = time.time()
                    command = [
                        sys.executable,
                        osp.join(ROOT, 'tools', 'train.py'), config,
                        '--work-dir', work_dir
                    ] + (['--cfg-options'] + args.cfg_options
                         if args.cfg_options else [])
                    print(f'[{name}] {" ".join(command)}', flush=True)
                    with open(osp.join(work_dir, 'train.out'), 'w') as log:
                        code = subprocess.call(command, stdout=log,
                                               stderr=subprocess.STDOUT)
                    if code:
                        sys.exit(f'[{name}] tools/train.py failed ({code}); '
                                 f'see {work_dir}/train.out')
                    print(f'[{name}] {time.time() - start:.0f} s', flush=True)
                row = dict(name=name, variant=variant,
                           interpolation=interpolation, seed=seed,
                           **summarise(scores_file, work_dir))
                results.append(row)
                print_row(row)
    print_table(results)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


def print_row(row: dict) -> None:
    sigma = row['sigma']
    sigma_text = ('-' if sigma is None else
                  '{:.3f} -> {:.3f} -> {:.3f}'.format(*sigma))
    videos = ' / '.join(f'{v:.3f}' for v in row['per_video'].values())
    print(f"| {row['variant']} | {row['interpolation']} | {row['seed']} | "
          f"{row['auc']:.3f} | {videos} | {row['mean_normal']:.4f} / "
          f"{row['mean_anomalous']:.4f} | {sigma_text} |", flush=True)


def print_table(results) -> None:
    print('\n| variant | resize | seed | micro AUC | per video | mean score '
          'normal / anomalous | sigma start -> peak -> end |')
    print('|---|---|---|---|---|---|---|')
    for row in results:
        print_row(row)
    print('\n| variant | resize | seeds | micro AUC mean +- sd |')
    print('|---|---|---|---|')
    groups = {}
    for row in results:
        groups.setdefault((row['variant'], row['interpolation']),
                          []).append(row['auc'])
    for (variant, interpolation), aucs in groups.items():
        print(f'| {variant} | {interpolation} | {len(aucs)} | '
              f'{np.mean(aucs):.3f} +- {np.std(aucs):.3f} |')


if __name__ == '__main__':
    main()
