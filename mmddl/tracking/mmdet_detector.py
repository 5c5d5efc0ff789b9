"""Any mmdet detector (the paper: Faster R-CNN) as a source of boxes.

The model config comes from mmdet's package (``mmdet::faster_rcnn/...``) or a
file; the checkpoint is a path the user gives: no weights are downloaded.

Example:
    >>> detector = MMDetDetector(
    ...     config='mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
    ...     checkpoint='checkpoints/faster_rcnn_r50_fpn_1x_coco.pth',
    ...     classes=('person', 'bicycle', 'car'), score_thr=0.5)
    >>> # detector.detect([frame_rgb, ...]) -> [dict(bboxes, scores, labels)]
"""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import numpy as np

from mmddl.registry import TASK_UTILS


def resolve_mmdet_config(config: str) -> str:
    """The file behind ``mmdet::<path>`` (mmdet ships its configs), or
    ``config`` itself; a clear error when it does not exist."""
    if config.startswith('mmdet::'):
        import mmdet
        path = osp.join(
            osp.dirname(mmdet.__file__), '.mim', 'configs',
            config[len('mmdet::'):])
    else:
        path = config
    if not osp.isfile(path):
        raise FileNotFoundError(f'detector.config {config} not found '
                                f'(looked for {path})')
    return path


@TASK_UTILS.register_module()
class MMDetDetector:
    """Wraps ``mmdet.apis.init_detector`` / ``inference_detector``.

    Args:
        config (str): mmdet model config, a file or ``mmdet::<path>``.
        checkpoint (str, optional): Path of the detector's weights. Required
            unless ``allow_random_weights`` (tests only).
        classes (sequence[str], optional): Class names to keep (the model's
            ``dataset_meta['classes']``); None keeps all. Defaults to None.
        score_thr (float): Drop detections scored below. Defaults to 0.3.
        test_scale (tuple[int, int], optional): (w, h) the detector resizes
            frames to (keeping the aspect ratio); None keeps the config's
            (1333, 800). Smaller is much faster on CPU.
        device (str): Where the detector runs. Defaults to 'cpu'.
        allow_random_weights (bool): Build with random weights when
            ``checkpoint`` is None (for tests). Defaults to False.
        cfg_options (dict, optional): Overrides of the model config.
    """

    def __init__(self,
                 config: str,
                 checkpoint: Optional[str] = None,
                 classes: Optional[Sequence[str]] = None,
                 score_thr: float = 0.3,
                 test_scale: Optional[Tuple[int, int]] = None,
                 device: str = 'cpu',
                 allow_random_weights: bool = False,
                 cfg_options: Optional[dict] = None):
        from mmdet.apis import init_detector
        from mmengine.config import Config
        if checkpoint is None and not allow_random_weights:
            raise ValueError(
                'detector.checkpoint is not set: give the path of the '
                "detector's weights (e.g. Faster R-CNN R50-FPN 1x COCO from "
                "mmdet's model zoo, downloaded where you have network), as "
                "--cfg-options detector.checkpoint=PATH")
        if checkpoint is not None and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'detector.checkpoint {checkpoint} does not exist; download '
                "the weights from mmdet's model zoo and give their path")
        cfg = Config.fromfile(resolve_mmdet_config(config))
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
        # No ImageNet download for the backbone: the weights come from the
        # checkpoint (or stay random in tests).
        cfg.model.backbone.init_cfg = None
        if test_scale is not None:
            for step in cfg.test_dataloader.dataset.pipeline:
                if step['type'] == 'Resize':
                    step['scale'] = tuple(test_scale)
        self.model = init_detector(cfg, checkpoint, device=device)
        self.score_thr = float(score_thr)
        names = list(self.model.dataset_meta.get('classes', []))
        if classes is not None:
            missing = [c for c in classes if c not in names]
            if missing:
                raise ValueError(f'detector.classes {missing} are not among '
                                 f"the model's classes {names}")
            self.keep = np.array([names.index(c) for c in classes])
        else:
            self.keep = None

    def prepare_video(self, frames) -> None:
        """Nothing to prepare: detection is per frame."""

    def detect(self, frames: List[np.ndarray]) -> List[dict]:
        """Detect objects in a batch of RGB uint8 frames.

        Returns:
            list[dict]: per frame ``bboxes`` (N, 4) pixels, ``scores``,
            ``labels``.
        """
        from mmdet.apis import inference_detector

        # mmdet's pipeline takes BGR arrays like cv2.imread gives.
        results = inference_detector(self.model,
                                     [np.ascontiguousarray(f[..., ::-1])
                                      for f in frames])
        out = []
        for result in results:
            pred = result.pred_instances
            scores = pred.scores.cpu().numpy()
            labels = pred.labels.cpu().numpy()
            keep = scores >= self.score_thr
            if self.keep is not None:
                keep &= np.isin(labels, self.keep)
            out.append(
                dict(
                    bboxes=pred.bboxes.cpu().numpy()[keep].astype(np.float32),
                    scores=scores[keep].astype(np.float32),
                    labels=labels[keep].astype(np.int64)))
        return out
