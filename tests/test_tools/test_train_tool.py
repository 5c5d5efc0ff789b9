"""tools/train.py end to end on the toy problem: train, resume, AMP, DDP."""
import os
import os.path as osp

import torch

from mmddl.testing.tools import run_tool

TOY = 'tests/data/configs/toy_runtime_check.py'


def test_interrupted_training_resumes_to_the_same_result(tmp_path):
    straight = str(tmp_path / 'straight')
    run_tool(['tools/train.py', TOY, '--work-dir', straight])
    work = str(tmp_path / 'work')
    killed = run_tool([
        'tools/train.py', 'tests/data/configs/toy_interrupted_at_3.py',
        '--work-dir', work
    ], check=False)
    assert killed.returncode != 0
    assert osp.isfile(osp.join(work, 'iter_3.pth'))
    result = run_tool(['tools/train.py', TOY, '--work-dir', work, '--resume'])
    assert 'resumed' in (result.stdout + result.stderr).lower()
    resumed = torch.load(osp.join(work, 'iter_6.pth'), weights_only=False)
    reference = torch.load(
        osp.join(straight, 'iter_6.pth'), weights_only=False)
    assert resumed['meta']['iter'] == 6
    for key, value in reference['state_dict'].items():
        torch.testing.assert_close(resumed['state_dict'][key], value)


def test_resume_from_missing_path_names_it(tmp_path):
    result = run_tool(['tools/train.py', TOY, '--work-dir', str(tmp_path),
                       '--resume', str(tmp_path / 'gone.pth')], check=False)
    assert result.returncode != 0
    assert 'gone.pth' in result.stderr


def test_amp_on_cpu_uses_bf16_autocast(tmp_path):
    result = run_tool(['tools/train.py', TOY, '--work-dir', str(tmp_path),
                       '--amp', '--cfg-options', 'train_cfg.max_iters=2'])
    assert 'AutocastOptimWrapper' in (result.stdout + result.stderr)


def test_dist_train_two_cpu_processes(tmp_path):
    port = str(29500 + os.getpid() % 1000)
    run_tool(['bash', 'tools/dist_train.sh', TOY, '2', '--work-dir',
              str(tmp_path)], env=dict(PORT=port))
    ckpt = torch.load(osp.join(tmp_path, 'iter_6.pth'), weights_only=False)
    assert ckpt['meta']['iter'] == 6
    # DDP's 'module.' prefix is stripped: the same keys as one process.
    assert set(ckpt['state_dict']) == {'linear.weight', 'linear.bias'}


def test_a_hook_argument_typo_fails_before_training(tmp_path):
    work = str(tmp_path / 'work')
    typo = 'default_hooks.checkpoint.intervall=1'
    result = run_tool(['tools/train.py', TOY, '--work-dir', work,
                       '--cfg-options', typo], check=False)
    assert result.returncode != 0
    assert ('default_hooks.checkpoint (CheckpointHook): unknown argument '
            'intervall; did you mean interval?') in result.stderr
    assert not any(name.endswith('.pth') for _, _, files in os.walk(work)
                   for name in files)  # nothing trained


def test_checkpoint_hook_arguments_that_exist_pass():
    from mmddl.engine.hook_args import check_hook_args
    check_hook_args(dict(default_hooks=dict(checkpoint=dict(
        type='CheckpointHook', interval=1, out_dir='x', max_keep_ckpts=2,
        backend_args=dict(backend='atomic_local'), save_optimizer=False))))
