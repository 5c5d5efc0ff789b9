"""Resume and load_from under torch >= 2.6 with safe loading kept on."""
import copy
import os.path as osp
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint

import mmddl.testing.toy_modules  # noqa: F401
from mmddl.registry import HOOKS
from mmddl.setup_env import register_all_modules
from mmddl.utils import UntrustedCheckpointError, trust_checkpoints

TOY_CONFIG = osp.join(
    osp.dirname(osp.dirname(__file__)), 'data', 'configs',
    'toy_runtime_check.py')


@HOOKS.register_module(force=True)
class RecordIterHook(Hook):
    """Records the iteration each training step starts at."""

    def __init__(self):
        self.seen = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.seen.append(runner.iter)


def build_runner(work_dir, max_iters, resume=False, load_from=None,
                 interrupt_at=None):
    register_all_modules()
    cfg = Config.fromfile(TOY_CONFIG)
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.max_iters = max_iters
    cfg.resume = resume
    cfg.load_from = load_from
    cfg.custom_hooks = [dict(type='RecordIterHook')]
    if interrupt_at is not None:
        cfg.custom_hooks.append(
            dict(type='InterruptTrainingHook', at=interrupt_at))
    cfg.experiment_name = f'toy_{max_iters}_{resume}_{id(cfg)}'
    return Runner.from_cfg(cfg)


def record_hook(runner):
    return next(h for h in runner.hooks if isinstance(h, RecordIterHook))


def test_plain_torch_load_refuses_mmengine_checkpoint(tmp_path):
    """The defect being fixed: torch's default allow-list rejects the file."""
    runner = build_runner(tmp_path, max_iters=3)
    runner.train()
    with pytest.raises(pickle.UnpicklingError, match='Weights only load'):
        _torch_load_without_mmddl_globals(osp.join(tmp_path, 'iter_3.pth'))


def _torch_load_without_mmddl_globals(path):
    saved = list(torch.serialization.get_safe_globals())
    torch.serialization.clear_safe_globals()
    try:
        return torch.load(path, weights_only=True, map_location='cpu')
    finally:
        torch.serialization.add_safe_globals(saved)


def test_resume_continues_from_saved_iteration(tmp_path):
    # A reference run of 6 iterations in one go.
    straight = build_runner(tmp_path / 'straight', max_iters=6)
    straight.train()
    reference = copy.deepcopy(straight.model.state_dict())

    # The same run killed after 3 iterations (checkpoint iter_3.pth) ...
    first = build_runner(tmp_path / 'resumed', max_iters=6, interrupt_at=3)
    with pytest.raises(KeyboardInterrupt):
        first.train()
    assert osp.isfile(tmp_path / 'resumed' / 'iter_3.pth')
    assert not osp.isfile(tmp_path / 'resumed' / 'iter_6.pth')

    # ... then resumed with --resume (auto: the latest checkpoint).
    second = build_runner(tmp_path / 'resumed', max_iters=6, resume=True)
    second.train()
    assert record_hook(second).seen == [3, 4, 5]
    assert second.iter == 6
    for key, value in second.model.state_dict().items():
        torch.testing.assert_close(value, reference[key])


def test_load_from_restores_weights(tmp_path):
    first = build_runner(tmp_path / 'a', max_iters=3)
    first.train()
    weights = first.model.state_dict()
    second = build_runner(
        tmp_path / 'b', max_iters=3, load_from=str(tmp_path / 'a' /
                                                   'iter_3.pth'))
    second.load_or_resume()
    for key, value in second.model.state_dict().items():
        torch.testing.assert_close(value, weights[key])


class NotAllowListed:
    """Stands for any pickled object a checkpoint should not carry."""

    def __init__(self):
        self.payload = 42


def test_untrusted_checkpoint_is_refused_unless_trusted(tmp_path):
    register_all_modules()
    path = str(tmp_path / 'foreign.pth')
    torch.save(
        dict(state_dict=dict(w=torch.ones(2)), meta=dict(x=NotAllowListed())),
        path)
    with pytest.raises(UntrustedCheckpointError) as err:
        _load_checkpoint(path, map_location='cpu')
    assert 'foreign.pth' in str(err.value)
    assert 'NotAllowListed' in str(err.value)
    assert '--trust-checkpoint' in str(err.value)

    trust_checkpoints()
    checkpoint = _load_checkpoint(path, map_location='cpu')
    assert checkpoint['meta']['x'].payload == 42


def test_trust_by_environment_variable(tmp_path, monkeypatch):
    register_all_modules()
    path = str(tmp_path / 'foreign.pth')
    torch.save(dict(meta=dict(x=NotAllowListed())), path)
    monkeypatch.setenv('MMDDL_TRUST_CHECKPOINT', '1')
    assert _load_checkpoint(path)['meta']['x'].payload == 42


def test_missing_checkpoint_names_the_path(tmp_path):
    register_all_modules()
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        _load_checkpoint(str(tmp_path / 'nowhere.pth'))


def test_getattr_stand_in_reaches_only_history_buffer_statistics():
    from mmengine.logging.history_buffer import HistoryBuffer

    from mmddl.utils.checkpoint_loading import history_buffer_statistic
    assert history_buffer_statistic(HistoryBuffer, 'min') is HistoryBuffer.min
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_statistic(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_statistic(torch, 'load')


def test_pickled_getattr_exploit_is_refused(tmp_path):
    """A file that uses getattr to reach other attributes is refused."""
    from mmengine.logging.history_buffer import HistoryBuffer
    register_all_modules()

    class Exploit:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = str(tmp_path / 'exploit.pth')
    torch.save(dict(meta=dict(x=Exploit())), path)
    with pytest.raises(Exception) as err:
        _load_checkpoint(path, map_location='cpu')
    assert 'exploit.pth' in str(err.value) or 'not allowed' in str(err.value)
