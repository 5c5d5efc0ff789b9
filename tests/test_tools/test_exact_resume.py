"""A DDL run killed with SIGKILL at a random iteration and resumed ends with
the weights and sigma(l) of the uninterrupted run (deterministic mode), runs
exactly the configured iterations and leaves no temporary files."""
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from mmddl.data_generation import make_synthetic_dataset
from mmddl.testing.tools import REPO_ROOT, run_tool

CONFIG = 'configs/ddl/c3dsu_synthetic.py'
EPOCHS = 2


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp('resume')
    root = str(base / 'synthetic')
    make_synthetic_dataset(root, seed=5, train_videos=2, test_videos=1,
                           frames=20)
    run_tool(['tools/build_masks.py',
              'configs/masks/motion_ocsort_synthetic.py', '--cfg-options',
              f'data_root={root}'])
    options = [
        f'data_root={root}', 'model.backbone.widths=[4,8,8,16]',
        f'train_cfg.max_epochs={EPOCHS}', 'val_cfg=None',
        'val_dataloader=None', 'val_evaluator=None',
        'train_dataloader.batch_size=4',
        'default_hooks.checkpoint.by_epoch=False',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=2',
        'default_hooks.logger.interval=1', 'randomness.deterministic=True',
        'randomness.seed=3',
        # PreciseBN at the end (its statistics must reach the last save)
        'custom_hooks.1.num_batches=3', f'custom_hooks.1.interval={EPOCHS}'
    ]
    straight = str(base / 'straight')
    run_tool(['tools/train.py', CONFIG, '--work-dir', straight,
              '--cfg-options'] + options, timeout=600)
    with open(osp.join(straight, 'last_checkpoint')) as f:
        last = f.read().strip()
    total = torch.load(last, weights_only=False)['meta']['iter']
    return base, options, last, total


def _train(work, options, resume=False):
    args = [sys.executable, 'tools/train.py', CONFIG, '--work-dir', work]
    if resume:
        args.append('--resume')
    env = dict(os.environ, PYTHONPATH=REPO_ROOT)
    return subprocess.Popen(args + ['--cfg-options'] + options,
                            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _kill_after_checkpoint(proc, work, iteration, timeout=300):
    """SIGKILL ``proc`` as soon as iter_<iteration>.pth exists: it is then
    in the next iteration or in the middle of saving it."""
    target = osp.join(work, f'iter_{iteration}.pth')
    start = time.time()
    while not osp.exists(target):
        if proc.poll() is not None:
            raise AssertionError('training ended before the kill:\n' +
                                 proc.stdout.read()[-3000:])
        if time.time() - start > timeout:
            proc.kill()
            raise AssertionError('no checkpoint appeared')
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize('seed', [0, 1])
def test_killed_and_resumed_run_equals_the_uninterrupted_one(setup, seed):
    base, options, last, total = setup
    work = str(base / f'killed_{seed}')
    at = int(np.random.default_rng(seed).integers(1, total - 1))
    _kill_after_checkpoint(_train(work, options), work, at)
    # what a save killed mid-write leaves behind
    stale = osp.join(work, f'.iter_{at + 1}.pth.k1ll3d00.tmp')
    with open(stale, 'wb') as f:
        f.write(b'\0' * 1000)
    proc = _train(work, options, resume=True)
    log = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, log[-3000:]
    assert 'Removed ' + stale in log
    assert not [n for n in os.listdir(work) if n.endswith('.tmp')]
    reference = torch.load(last, weights_only=False)
    resumed = torch.load(osp.join(work, osp.basename(last)),
                         weights_only=False)
    # exactly the configured number of iterations, no batch trained twice
    assert resumed['meta']['iter'] == total
    assert not osp.exists(osp.join(work, f'iter_{total + 1}.pth'))
    assert set(resumed['state_dict']) == set(reference['state_dict'])
    for key, value in reference['state_dict'].items():
        torch.testing.assert_close(resumed['state_dict'][key], value,
                                   rtol=0, atol=1e-6, msg=key)
