from unittest.mock import MagicMock

import pytest
import torch

from mmddl.engine.hooks import NaNGuardHook, NonFiniteLossError


def runner(iteration=41, epoch=2):
    mock = MagicMock()
    mock.iter, mock.epoch = iteration, epoch
    return mock


def test_finite_losses_pass():
    NaNGuardHook().after_train_iter(
        runner(), 0, outputs=dict(loss=torch.tensor(0.5), sigma=0.4))


@pytest.mark.parametrize('bad', [float('nan'), float('inf')])
def test_non_finite_loss_names_iteration_and_sigma(bad):
    with pytest.raises(NonFiniteLossError) as err:
        NaNGuardHook().after_train_iter(
            runner(),
            0,
            outputs=dict(
                loss=torch.tensor(bad),
                loss_dist=torch.tensor(bad),
                sigma=torch.tensor(0.73)))
    message = str(err.value)
    assert 'iteration 42' in message
    assert 'sigma(l)=0.73' in message
    assert '--resume' in message


def test_sigma_absent_is_said():
    with pytest.raises(NonFiniteLossError, match='not logged'):
        NaNGuardHook().after_train_iter(
            runner(), 0, outputs=dict(loss=torch.tensor(float('nan'))))
