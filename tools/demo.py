"""The end-to-end demo behind ``make demo``: DDL on a CPU in minutes.

Steps, each the command a user would type (printed as it runs):
1. make the synthetic dataset (tools/make_synthetic_dataset.py);
2. build its training masks with the weights-free motion detector and
   OC-SORT (tools/build_masks.py);
3. train C3DSU + DDL (configs/ddl/c3dsu_synthetic.py) and the
   reconstruction-only ablation (configs/ablations/c3dsu-recon_synthetic.py);
4. test both (tools/test.py --out --show-dir) and print their AUCs side by
   side, pooled and per kind of anomaly, with the final sigma(l) and where
   the plots are.

Finished steps are reused on a rerun (an interrupted training resumes), so
running it again is quick; ``--fresh`` starts over.

Example:
    python tools/demo.py
    python tools/demo.py --work-dir work_dirs/demo --data-root data/synthetic
"""
import argparse
import os
import os.path as osp
import shutil
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
RUNS = (
    ('C3DSU + DDL', 'configs/ddl/c3dsu_synthetic.py'),
    ('C3DSU, reconstruction only',
     'configs/ablations/c3dsu-recon_synthetic.py'),
)
MASK_CONFIG = 'configs/masks/motion_ocsort_synthetic.py'


def parse_args():
    parser = argparse.ArgumentParser(
        description='mmddl demo: synthetic data, masks, DDL vs '
        'reconstruction only, AUCs')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument(
        '--fresh', action='store_true',
        help='delete earlier demo outputs (not the dataset) first')
    parser.add_argument(
        '--epochs', type=int, help='override the configs\' max_epochs')
    return parser.parse_args()


def run(args, quiet_prefixes=None):
    """Run a command from the repo root, echoing it; with
    ``quiet_prefixes`` only lines holding one of them are shown."""
    print('$ ' + ' '.join(args), flush=True)
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    process = subprocess.Popen(
        [sys.executable] + args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, bufsize=1)
    tail = []
    for line in process.stdout:
        tail = (tail + [line])[-40:]
        if quiet_prefixes is None:
            print('  ' + line.rstrip(), flush=True)
            continue
        if any(p in line for p in quiet_prefixes):
            # drop mmengine's "date - mmengine - INFO - " prefix
            print('  ' + line.split(' - INFO - ')[-1].rstrip(), flush=True)
    if process.wait() != 0:
        sys.stdout.write(''.join(tail))
        raise SystemExit(f'demo: `{" ".join(args)}` failed (see above)')


def final_checkpoint(work_dir, epochs):
    path = osp.join(work_dir, f'epoch_{epochs}.pth')
    return path if osp.isfile(path) else None


def read_sigma(checkpoint):
    import torch

    from mmddl.setup_env import register_all_modules
    from mmddl.utils import load_local_checkpoint
    register_all_modules()  # the checkpoint types on torch's allow-list
    state = load_local_checkpoint(checkpoint, map_location='cpu')[
        'state_dict']
    logit = state.get('pseudo_anomaly.logit')
    return None if logit is None else float(torch.sigmoid(logit))


def kind_aucs(scores, data_root):
    """Smoothed-score AUC per kind of anomaly (fast, shape, place)."""
    from mmddl.data_generation import read_frame_kinds
    from mmddl.evaluation.functional import auc_by_kind
    frame_kinds = read_frame_kinds(osp.join(ROOT, data_root))
    videos = scores['videos']
    return auc_by_kind(
        {v: d['score_smoothed'] for v, d in videos.items()},
        {v: d['label'] for v, d in videos.items()},
        {v: [frame_kinds[v][i] for i in d['frame_index']]
         for v, d in videos.items()})


def main():
    args = parse_args()
    from mmengine.config import Config

    from mmddl.evaluation.functional.scores_file import load_scores
    start = time.time()
    work_dir = osp.join(ROOT, args.work_dir)
    data_root = args.data_root
    if args.fresh and osp.isdir(work_dir):
        shutil.rmtree(work_dir)
    os.makedirs(work_dir, exist_ok=True)
    # one key: frames, frame cache and box cache all follow data_root
    data_options = [f'data_root={data_root}']

    print('== 1. synthetic dataset')
    if osp.isdir(osp.join(ROOT, data_root, 'training')):
        print(f'{data_root} exists; reusing it')
    else:
        run(['tools/make_synthetic_dataset.py', data_root])

    print('== 2. training masks: motion detector + OC-SORT')
    run(['tools/build_masks.py', MASK_CONFIG, '--cfg-options'] +
        data_options, quiet_prefixes=['frames/s', 'tracks'])

    results = []
    for step, (name, config) in enumerate(RUNS, start=3):
        cfg = Config.fromfile(osp.join(ROOT, config))
        epochs = args.epochs or cfg.train_cfg.max_epochs
        run_dir = osp.join(work_dir, osp.splitext(osp.basename(config))[0])
        epoch_options = ([f'train_cfg.max_epochs={epochs}'] if args.epochs
                         else [])
        print(f'== {step}. train and test: {name} ({config})')
        if final_checkpoint(run_dir, epochs):
            print(f'{run_dir} holds epoch_{epochs}.pth; reusing it')
        else:
            resume = (['--resume'] if osp.isfile(
                osp.join(run_dir, 'last_checkpoint')) else [])
            run(['tools/train.py', config, '--work-dir', run_dir] + resume +
                ['--cfg-options'] + data_options + epoch_options,
                quiet_prefixes=['Epoch(train)', 'Epoch(val) [', 'Error'])
        checkpoint = final_checkpoint(run_dir, epochs)
        scores_file = osp.join(run_dir, 'scores.npz')
        show_dir = osp.join(run_dir, 'plots')
        run(['tools/test.py', config, checkpoint, '--work-dir', run_dir,
             '--out', scores_file, '--show-dir', show_dir, '--cfg-options'] +
            data_options, quiet_prefixes=['vad/auc'])
        scores = load_scores(scores_file)
        metrics = scores['meta']['metrics']
        results.append(
            dict(name=name, config=config, auc=metrics['auc'],
                 kinds=kind_aucs(scores, data_root),
                 auc_macro=metrics['auc_macro'],
                 sigma=read_sigma(checkpoint), plots=show_dir,
                 sigma_curve=osp.join(run_dir, 'sigma_curve.png')))

    print('\n== results on the synthetic set (frame-level AUC, %)')
    print(f'{"model":<30} {"micro AUC":>10} {"macro AUC":>10} '
          f'{"final sigma(l)":>15}')
    for r in results:
        sigma = '-' if r['sigma'] is None else f'{r["sigma"]:.3f}'
        print(f'{r["name"]:<30} {100 * r["auc"]:>10.2f} '
              f'{100 * r["auc_macro"]:>10.2f} {sigma:>15}')
    kinds = sorted(results[0]['kinds'])
    print('\nper kind of anomaly (AUC of its frames against the normal '
          'frames, %)')
    print(f'{"model":<30} ' + ' '.join(f'{k:>8}' for k in kinds))
    for r in results:
        print(f'{r["name"]:<30} ' +
              ' '.join(f'{100 * r["kinds"][k]:>8.2f}' for k in kinds))
    ddl, recon = results
    print(f'\nplots (score curves, heat maps): {ddl["plots"]}, '
          f'{recon["plots"]}')
    if osp.isfile(ddl['sigma_curve']):
        print(f'sigma(l) over training (paper Fig. 5): {ddl["sigma_curve"]}')
    for key, label in (('auc', 'micro (pooled, the headline)'),
                       ('auc_macro', 'macro (per-video mean)')):
        gap = 100 * (ddl[key] - recon[key])
        verdict = 'beats' if gap > 0 else 'does NOT beat'
        print(f'{label}: DDL {verdict} reconstruction only '
              f'({gap:+.2f} AUC points)')
    print(f'demo finished in {(time.time() - start) / 60:.1f} min')


if __name__ == '__main__':
    main()
