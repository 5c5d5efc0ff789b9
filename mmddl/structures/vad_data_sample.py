"""The data sample that carries one T-frame window through mmddl.

Metainfo (set once by the dataset's packing transform):
    - ``video_id`` (str): the video the window comes from.
    - ``frame_index`` (int): index in that video of the centre frame, the one
      that is reconstructed and scored.
    - ``frame_inds`` (list[int]): indices of all T frames of the window.

Fields:
    - ``gt_label`` (int): 1 when the centre frame is anomalous, 0 when normal,
      -1 when unknown (training data).
    - ``pseudo_mask`` (Tensor, uint8, (T, H, W)): the training mask M of the
      object to corrupt; all zeros when the window has no tracked object.
    - ``pred_score`` (float): the frame's anomaly score (predict mode).
    - ``error_map`` (Tensor, (H, W)): per-pixel reconstruction error of the
      centre frame (predict mode).
    - ``pred_frame`` (Tensor, (C, H, W)): the reconstruction (predict mode,
      only when asked for).

Example:
    >>> import torch
    >>> from mmddl.structures import VADDataSample
    >>> sample = VADDataSample(metainfo=dict(video_id='01', frame_index=7))
    >>> sample.set_gt_label(1).gt_label
    1
    >>> sample.set_pred_score(0.25).pred_score
    0.25
"""
from typing import Union

import torch
from mmengine.structures import BaseDataElement


class VADDataSample(BaseDataElement):
    """Data sample for video anomaly detection; see the module docstring."""

    def set_gt_label(self, label: int) -> 'VADDataSample':
        """Set the frame label (1 anomalous, 0 normal, -1 unknown)."""
        self.set_field(int(label), 'gt_label', dtype=int)
        return self

    def set_pseudo_mask(self, mask: torch.Tensor) -> 'VADDataSample':
        """Set the (T, H, W) training mask of the object to corrupt."""
        if mask.ndim != 3:
            raise ValueError('pseudo_mask must be (T, H, W), got shape '
                             f'{tuple(mask.shape)}')
        self.set_field(mask, 'pseudo_mask', dtype=torch.Tensor)
        return self

    def set_pred_score(self, score: Union[float,
                                          torch.Tensor]) -> 'VADDataSample':
        """Set the anomaly score of the centre frame."""
        self.set_field(float(score), 'pred_score', dtype=float)
        return self
