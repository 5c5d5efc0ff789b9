"""A toy model and dataset for testing runner plumbing (resume, launchers).

Importing this module registers ``ToyRegressor`` and ``ToyRegressionDataset``
and ``InterruptTrainingHook`` in mmddl's registries. Configs that want them say
``custom_imports = dict(imports=['mmddl.testing.toy_modules'])``.

Example:
    >>> import mmddl.testing.toy_modules  # noqa: F401
    >>> from mmddl.registry import MODELS
    >>> model = MODELS.build(dict(type='ToyRegressor'))
"""
import torch
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch.utils.data import Dataset

from mmddl.registry import DATASETS, HOOKS, MODELS


@MODELS.register_module(force=True)
class ToyRegressor(BaseModel):
    """Linear regression from 4 to 1 features with mmengine's forward modes.

    Args:
        in_features (int): Input size. Defaults to 4.
        input_noise (float): Std of Gaussian noise added to the inputs in
            training. Defaults to 0.
    """

    def __init__(self, in_features: int = 4, input_noise: float = 0.0):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)
        # noise drawn from torch's generator in training, as DDL's pseudo
        # anomaly draws: makes a run depend on the random stream
        self.input_noise = float(input_noise)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        inputs = torch.stack(inputs) if isinstance(inputs, list) else inputs
        pred = self.linear(inputs).squeeze(-1)
        if mode == 'tensor':
            return pred
        targets = torch.as_tensor(data_samples, dtype=pred.dtype)
        if mode == 'loss':
            if self.input_noise:
                pred = self.linear(inputs + self.input_noise *
                                   torch.randn_like(inputs)).squeeze(-1)
            return dict(loss=((pred - targets)**2).mean())
        if mode == 'predict':
            return [dict(pred=p, target=t) for p, t in zip(pred, targets)]
        raise RuntimeError(f'invalid mode "{mode}"')


@DATASETS.register_module(force=True)
class ToyRegressionDataset(Dataset):
    """A fixed random regression problem ``y = x @ w``.

    Args:
        length (int): Number of samples. Defaults to 40.
        seed (int): Seed of the data. Defaults to 0.
    """
    metainfo = dict()

    def __init__(self, length: int = 40, seed: int = 0):
        gen = torch.Generator().manual_seed(seed)
        self.x = torch.randn(length, 4, generator=gen)
        self.y = self.x @ torch.tensor([1.0, -2.0, 0.5, 3.0])

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return dict(inputs=self.x[idx], data_samples=float(self.y[idx]))


@HOOKS.register_module(force=True)
class InterruptTrainingHook(Hook):
    """Stops training abruptly after iteration ``at`` (1-based), once the
    checkpoint hook has run, to simulate a killed job.

    Args:
        at (int): The iteration after which to stop.
    """
    priority = 'LOWEST'

    def __init__(self, at: int):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            raise KeyboardInterrupt(
                f'simulated interruption at iter {self.at}')
