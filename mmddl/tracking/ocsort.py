"""OC-SORT over one video at a time, from mmdet's trackers.

MMTracking's trackers now live in mmdet (``mmdet.models.trackers``); mmtrack
itself cannot be installed beside mmengine-based mmdet (see docs/install.md). The
tracker takes no detector: any detector's boxes can feed it.

Example:
    >>> import numpy as np
    >>> tracker = OCSORTVideoTracker(init_track_thr=0.5)
    >>> boxes = np.array([[10, 10, 20, 30]], dtype=np.float32)
    >>> for frame_id in range(3):
    ...     ids = tracker.step(frame_id, boxes + frame_id, np.array([0.9]))[1]
"""
import numpy as np
import torch
from mmengine.structures import InstanceData

# The settings of mmdet's OC-SORT configs, for pedestrians in surveillance
# video; every one is a config value (``tracker=dict(...)`` in
# configs/masks/).
DEFAULT_OCSORT = dict(
    type='OCSORTTracker',
    motion=dict(type='KalmanFilter'),
    obj_score_thr=0.3,
    init_track_thr=0.7,
    weight_iou_with_det_scores=True,
    match_iou_thr=0.3,
    num_tentatives=3,
    vel_consist_weight=0.2,
    vel_delta_t=3,
    num_frames_retain=30)


class OCSORTVideoTracker:
    """Feeds per-frame detections to mmdet's ``OCSORTTracker``.

    Args:
        **tracker_cfg: Overrides of :data:`DEFAULT_OCSORT` (any argument of
            ``mmdet.models.trackers.OCSORTTracker``).
    """

    def __init__(self, **tracker_cfg):
        from mmdet.registry import MODELS as MMDET_MODELS
        cfg = dict(DEFAULT_OCSORT, **tracker_cfg)
        # _scope_ makes the nested KalmanFilter resolve in mmdet's registry
        # whatever the current default scope is.
        cfg['_scope_'] = 'mmdet'
        self.tracker = MMDET_MODELS.build(cfg)

    def step(self, frame_id: int, bboxes: np.ndarray, scores: np.ndarray,
             labels: np.ndarray = None):
        """Track one frame. ``frame_id`` 0 starts a new video.

        Args:
            frame_id (int): Index of the frame in its video, in order.
            bboxes (ndarray): (N, 4) ``x0, y0, x1, y1`` in pixels.
            scores (ndarray): (N, ) detection scores.
            labels (ndarray, optional): (N, ) class indices; zeros if None.

        Returns:
            tuple[ndarray, ndarray]: the tracked boxes (M, 4) in pixels and
            their track ids (M, ).
        """
        from mmdet.structures import DetDataSample
        bboxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, 4)
        scores = np.asarray(scores, dtype=np.float32).reshape(-1)
        if labels is None:
            labels = np.zeros(len(scores), dtype=np.int64)
        sample = DetDataSample(metainfo=dict(frame_id=int(frame_id)))
        sample.pred_instances = InstanceData(
            bboxes=torch.from_numpy(bboxes),
            scores=torch.from_numpy(scores),
            labels=torch.as_tensor(labels, dtype=torch.long))
        result = self.tracker.track(sample)
        return (result.bboxes.cpu().numpy().reshape(-1, 4),
                result.instances_id.cpu().numpy().astype(np.int64))
