"""Train and test one model per ShanghaiTech scene, then merge the scores
into the per-scene AUCs and their median (the paper's protocol).

Sequential on one machine, resumable (a scene whose scores file exists is
skipped; an interrupted training resumes). ``--print-commands`` prints the
per-scene command lines instead, to submit as separate cluster jobs
(``tools/slurm_train.sh`` or your scheduler), then merge with
``tools/analysis/merge_scene_scores.py``.

Example:
    python tools/train_scenes.py configs/ddl/c3dsu_shanghaitech.py
    python tools/train_scenes.py configs/ddl/c3dsu_shanghaitech.py \
        --scenes 01 02 --work-dir work_dirs/sht_scenes --print-commands
"""
import argparse
import os.path as osp
import shlex
import subprocess
import sys

SCENES = [f'{s:02d}' for s in range(1, 14)]


def parse_args():
    parser = argparse.ArgumentParser(
        description='One model per ShanghaiTech scene: train, test, merge')
    parser.add_argument('config', help='a config with a top-level scene key')
    parser.add_argument('--scenes', nargs='+', default=SCENES,
                        help='scenes (default: all 13)')
    parser.add_argument('--work-dir', default='work_dirs/shanghaitech_scenes',
                        help='scene<S>/ folders go here (default: '
                        '%(default)s)')
    parser.add_argument('--print-commands', action='store_true',
                        help='print the commands (one job per scene) and '
                        'stop')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='passed on to every train and test run')
    return parser.parse_args()


def scene_commands(config, scene, work_dir, options):
    """(train, test) argument lists of one scene."""
    work = osp.join(work_dir, f'scene{scene}')
    opts = ['--cfg-options', f'scene={scene}'] + list(options)
    train = [sys.executable, 'tools/train.py', config, '--work-dir', work,
             '--resume'] + opts
    test = [sys.executable, 'tools/test.py', config,
            osp.join(work, 'last_checkpoint'), '--work-dir', work, '--out',
            osp.join(work, 'scores.npz')] + opts
    return train, test


def shell_line(args, checkpoint=None):
    """A command as one shell line (``python tools/...``); with
    ``checkpoint``, the test's checkpoint is read from that file when the
    line runs (the training writes it)."""
    words = ['python'] + [shlex.quote(a) for a in args[1:]]
    if checkpoint is not None:
        words[3] = f'"$(cat {shlex.quote(checkpoint)})"'
    return ' '.join(words)


def last_checkpoint(work):
    with open(osp.join(work, 'last_checkpoint')) as f:
        return f.read().strip()


def main():
    args = parse_args()
    unknown = sorted(set(args.scenes) - set(SCENES))
    if unknown:
        sys.exit(f'error: unknown scenes {unknown}; ShanghaiTech has '
                 f'{SCENES[0]}..{SCENES[-1]}')
    files = []
    for scene in args.scenes:
        train, test = scene_commands(args.config, scene, args.work_dir,
                                     args.cfg_options)
        work = osp.join(args.work_dir, f'scene{scene}')
        scores = osp.join(work, 'scores.npz')
        files.append(scores)
        if args.print_commands:
            print(shell_line(train) + ' && ' + shell_line(
                test, checkpoint=osp.join(work, 'last_checkpoint')))
            continue
        if osp.isfile(scores):
            print(f'scene {scene}: {scores} exists, skipped')
            continue
        print(f'scene {scene}: training', flush=True)
        subprocess.run(train, check=True)
        test[3] = last_checkpoint(work)
        print(f'scene {scene}: testing', flush=True)
        subprocess.run(test, check=True)
    merge = [sys.executable, 'tools/analysis/merge_scene_scores.py'] + files
    if args.print_commands:
        print(shell_line(merge))
        return 0
    return subprocess.run(merge).returncode


if __name__ == '__main__':
    sys.exit(main())
