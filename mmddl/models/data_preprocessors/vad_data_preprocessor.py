"""Batches (C, T, H, W) uint8 clips into (N, C, T, H, W) floats in [0, 1]."""
from typing import Optional, Sequence, Union

import torch
from mmengine.model import BaseDataPreprocessor

from mmddl.registry import MODELS


@MODELS.register_module()
class VADDataPreprocessor(BaseDataPreprocessor):
    """Data preprocessor for the clips of video anomaly detection.

    Follows mmddl's data format: ``PackVADInputs`` gives each sample's
    ``inputs`` as a uint8 tensor (C, T, H, W) and a ``VADDataSample``. This
    stacks the inputs, moves them to the model's device while still uint8
    (a quarter of the bytes of float), then converts them to float in
    [0, 1] by dividing by 255. Floating-point inputs are taken to be in
    [0, 1] already and are only stacked and moved. Data samples (with their
    ``pseudo_mask``) are moved to the device too.

    Args:
        non_blocking (bool): Copy to the device without blocking.
            Defaults to False.

    Examples:
        >>> import torch
        >>> pre = VADDataPreprocessor()
        >>> clip = torch.full((3, 3, 4, 4), 255, dtype=torch.uint8)
        >>> out = pre(dict(inputs=[clip, clip], data_samples=None))
        >>> out['inputs'].shape, float(out['inputs'].max())
        (torch.Size([2, 3, 3, 4, 4]), 1.0)
    """

    def __init__(self, non_blocking: Optional[bool] = False):
        super().__init__(non_blocking=non_blocking)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, move and scale ``data['inputs']``; move the samples.

        Args:
            data (dict): ``inputs`` (list of (C, T, H, W) tensors or one
                (N, C, T, H, W) tensor) and ``data_samples``.
            training (bool): Unused; the same in training and testing.

        Returns:
            dict: ``inputs`` (N, C, T, H, W) float and ``data_samples``.
        """
        inputs = self._stack(data['inputs'])
        inputs = inputs.to(self.device, non_blocking=self._non_blocking)
        if inputs.dtype == torch.uint8:
            inputs = inputs.float().div_(255.0)
        elif not inputs.is_floating_point():
            raise TypeError('VADDataPreprocessor: inputs must be uint8 or '
                            f'floating point, got {inputs.dtype}')
        samples = data.get('data_samples')
        return dict(inputs=inputs, data_samples=self.cast_data(samples))

    @staticmethod
    def _stack(inputs: Union[torch.Tensor, Sequence[torch.Tensor]]
               ) -> torch.Tensor:
        if isinstance(inputs, torch.Tensor):
            batch = inputs
        else:
            shapes = {tuple(x.shape) for x in inputs}
            if len(shapes) != 1:
                raise ValueError('VADDataPreprocessor: all clips of a batch '
                                 f'must have one shape, got {sorted(shapes)}')
            batch = torch.stack(list(inputs))
        if batch.ndim != 5:
            raise ValueError('VADDataPreprocessor: expected (C, T, H, W) '
                             'clips, got a batch of shape '
                             f'{tuple(batch.shape)}')
        return batch
