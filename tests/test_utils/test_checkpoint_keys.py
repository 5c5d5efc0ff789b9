"""check_checkpoint_fits: a checkpoint that leaves weights random fails."""
import pytest
import torch
from torch import nn

from mmddl.utils.checkpoint_keys import (CheckpointMismatchError,
                                         check_checkpoint_fits)


class Net(nn.Module):

    def __init__(self, width=4, extra=False):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, width, 3))
        if extra:
            self.backbone.add_module('skip', nn.Conv3d(width, width, 1))
        self.head = nn.Linear(width, 1)


def test_a_fitting_checkpoint_passes_and_module_prefix_is_stripped():
    model = Net()
    state = {'module.' + k: v for k, v in model.state_dict().items()}
    assert check_checkpoint_fits(model, {'state_dict': state}, 'a.pth') == []


def test_missing_weights_are_named():
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(Net(extra=True), {'state_dict':
                                                Net().state_dict()}, 'a.pth')
    text = str(err.value)
    assert 'checkpoint a.pth does not fit' in text
    assert 'backbone.skip.weight' in text and 'stay random' in text


def test_reshaped_weights_are_named():
    with pytest.raises(CheckpointMismatchError, match='another shape'):
        check_checkpoint_fits(Net(width=4), Net(width=8).state_dict(), 'b')


def test_foreign_network_weights_fail_other_extras_are_returned():
    with pytest.raises(CheckpointMismatchError, match='does not have'):
        check_checkpoint_fits(Net(), Net(extra=True).state_dict(), 'c')
    state = dict(Net().state_dict())
    state['pseudo_anomaly.logit'] = torch.zeros(1)
    assert check_checkpoint_fits(Net(), state, 'd') == [
        'pseudo_anomaly.logit'
    ]
