"""Packing a loaded window into model inputs and a data sample."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from mmddl.registry import TRANSFORMS
from mmddl.structures import VADDataSample


@TRANSFORMS.register_module()
class PackVADInputs(BaseTransform):
    """Pack a window as ``inputs`` (C, T, H, W) uint8 plus a VADDataSample.

    Required Keys:
        - imgs (np.ndarray): (T, H, W, C) uint8.

    Optional Keys:
        - gt_label (int): 1/0, or -1 (unknown, training). Defaults to -1.
        - pseudo_mask (np.ndarray | Tensor): (T, H, W) training mask.
        - the ``meta_keys`` (``video_id``, ``frame_index``, ``frame_inds``).

    Args:
        meta_keys (Sequence[str]): keys copied into the sample's metainfo.
            Defaults to ('video_id', 'frame_index', 'frame_inds').

    Examples:
        >>> import numpy as np
        >>> out = PackVADInputs()(dict(
        ...     imgs=np.zeros((3, 8, 8, 3), np.uint8), gt_label=1,
        ...     video_id='01', frame_index=1, frame_inds=[0, 1, 2]))
        >>> tuple(out['inputs'].shape), out['data_samples'].gt_label
        ((3, 3, 8, 8), 1)
    """

    def __init__(self,
                 meta_keys: Sequence[str] = ('video_id', 'frame_index',
                                             'frame_inds')):
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        imgs = np.asarray(results['imgs'])
        if imgs.ndim != 4 or imgs.dtype != np.uint8:
            raise ValueError('imgs must be a (T, H, W, C) uint8 array, got '
                             f'{imgs.dtype} {imgs.shape}')
        inputs = torch.from_numpy(
            np.ascontiguousarray(imgs.transpose(3, 0, 1, 2)))
        sample = VADDataSample(metainfo={
            k: results[k]
            for k in self.meta_keys if k in results
        })
        sample.set_gt_label(results.get('gt_label', -1))
        if results.get('pseudo_mask') is not None:
            mask = torch.as_tensor(np.asarray(results['pseudo_mask']))
            sample.set_pseudo_mask(mask.to(torch.uint8))
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
