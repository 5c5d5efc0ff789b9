"""Test and validation loops that score whole videos by streaming.

mmengine's loops feed T-frame windows, so every frame goes through the
encoder T times. These loops read each video of the dataset once (from the
frame cache when the pipeline has one) and score it with
:func:`mmddl.engine.streaming.stream_video`, which encodes each frame
once; the scores equal the window path's. Videos are split over ranks;
each rank's results are padded with ``None`` to a common length before
mmengine gathers them (FrameAUCMetric and DumpVADScores drop the padding),
so no result is lost to the gather's interleaving. The metrics get the data
samples; the ``after_test_iter`` / ``after_val_iter`` hooks also get, as
``data_batch['inputs']``, the centre frames scored (what
``VADVisualizationHook`` draws on).

The test loop can score through an ONNX export instead of torch
(``backend='onnxruntime'`` or ``'openvino'`` with ``onnx_dir``, as
``tools/test.py --backend`` sets them).

Example:
    >>> test_cfg = dict(type='StreamingTestLoop', batch_size=8)
    >>> val_cfg = dict(type='StreamingValLoop', batch_size=8)
    >>> test_cfg = dict(type='StreamingTestLoop', backend='openvino',
    ...                 onnx_dir='work_dirs/x/onnx')
"""
from typing import Dict, List, Optional, Union

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.runner import TestLoop, ValLoop

from mmddl.deploy.build import build_backbone
from mmddl.engine.model_unwrap import unwrap_model
from mmddl.engine.streaming import stream_video
from mmddl.registry import LOOPS
from mmddl.structures import VADDataSample
from mmddl.utils.checkpoint_loading import register_safe_checkpoint_loader
from mmddl.utils.rng_state import preserved_rng


def find_frame_loader(dataset):
    """The dataset pipeline's ``LoadFrameWindow`` (frame size, cache)."""
    from mmddl.datasets.transforms import LoadFrameWindow
    for transform in getattr(dataset.pipeline, 'transforms', []):
        if isinstance(transform, LoadFrameWindow):
            return transform
    raise ValueError('streaming evaluation reads whole videos through the '
                     "dataset pipeline's LoadFrameWindow, and this "
                     'dataset has none; use the plain TestLoop')


def video_pixel_masks(video: dict,
                      required: bool = True) -> Optional[np.ndarray]:
    """A test video's pixel masks; without them None, or (``required``) an
    error saying where they belong."""
    from mmddl.datasets.pixel_masks import load_pixel_masks
    masks = load_pixel_masks(video)
    if masks is None and required:
        raise FileNotFoundError(
            f'FrameAUCMetric(pixel_auc=True or region_auc=True) needs pixel '
            f'masks, and test '
            f'video {video["video_id"]} has none (Ped2: Test/TestNNN_gt/, '
            'Avenue: testing_label_mask/N_label.mat, ShanghaiTech: '
            'testing/test_pixel_mask/<video>.npy)')
    return masks


def mask_at(mask: np.ndarray, shape) -> np.ndarray:
    """A frame's mask at the error map's size (nearest neighbour)."""
    import cv2
    height, width = int(shape[-2]), int(shape[-1])
    mask = np.asarray(mask).astype(np.uint8)
    if mask.shape != (height, width):
        mask = cv2.resize(mask, (width, height),
                          interpolation=cv2.INTER_NEAREST)
    return mask > 0


def stream_dataset(runner, dataloader, evaluator, batch_size: int,
                   hook_prefix: str, backbone=None) -> Dict[str, float]:
    """Score this rank's share of the videos, then evaluate on all ranks
    (through ``backbone``, e.g. an OnnxBackbone, when given)."""
    dataset = dataloader.dataset
    model = unwrap_model(runner.model)
    model.eval()
    loader = find_frame_loader(dataset)
    rank, world_size = get_dist_info()
    videos = dataset.videos[rank::world_size]
    # pixel AUC and RBDC/TBDC both read the ground-truth pixel masks
    options = [getattr(m, key, False) for m in evaluator.metrics
               for key in ('pixel_auc', 'region_auc')]
    want_masks = any(options)
    # True needs every video's masks; 'auto' takes them where they are
    masks_required = True in options
    iteration = 0
    for video in videos:
        frames = torch.from_numpy(
            np.ascontiguousarray(loader.load_video(
                video['frame_paths']))).permute(0, 3, 1, 2)
        labels = video.get('labels')
        masks = (video_pixel_masks(video, masks_required)
                 if want_masks else None)
        for chunk in stream_video(model, frames, batch_size=batch_size,
                                  backbone=backbone):
            samples: List[VADDataSample] = []
            for i, index in enumerate(chunk.frame_inds.tolist()):
                sample = VADDataSample(metainfo=dict(
                    video_id=video['video_id'], frame_index=index))
                sample.set_gt_label(-1 if labels is None else labels[index])
                sample.set_pred_score(chunk.scores[i])
                sample.error_map = chunk.error_maps[i]
                if masks is not None:
                    sample.gt_mask = mask_at(masks[index],
                                             chunk.error_maps[i].shape)
                samples.append(sample)
            # the metrics read the data samples only
            evaluator.process(data_samples=samples)
            # the hooks get the frames that were scored, as the centre frames
            # of the windows: (C, 1, H, W) each (VADVisualizationHook draws
            # its heat maps on them)
            inputs = list(frames[chunk.frame_inds].unsqueeze(2))
            runner.call_hook(
                f'after_{hook_prefix}_iter',
                batch_idx=iteration,
                data_batch=dict(inputs=inputs, data_samples=samples),
                outputs=samples)
            iteration += 1
    counts = all_gather_object(
        [len(m.results) for m in evaluator.metrics]) if world_size > 1 else [
            [len(m.results) for m in evaluator.metrics]]
    longest = max(max(c) for c in counts) if counts else 0
    for metric in evaluator.metrics:
        metric.results.extend([None] * (longest - len(metric.results)))
    return evaluator.evaluate(longest * world_size)


class _StreamingMixin:
    """What the two loops share; ``hook_prefix`` is 'test' or 'val'.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): A VAD dataset whose pipeline has
            ``LoadFrameWindow``.
        evaluator (Evaluator | dict | list): Usually ``FrameAUCMetric``.
        batch_size (int): New frames encoded per step. Defaults to 8.
        fp16 (bool): Accepted for compatibility with mmengine's loops.
    """
    hook_prefix = 'test'

    def __init__(self, runner, dataloader: Union[dict, object],
                 evaluator: Union[dict, list, object], batch_size: int = 8,
                 fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16=fp16)
        # built before the runner loads the checkpoint to test (see
        # ResumableEpochBasedTrainLoop)
        register_safe_checkpoint_loader()
        if batch_size < 1:
            raise ValueError(f'{self.hook_prefix}_cfg.batch_size must be '
                             f'>= 1, got {batch_size}')
        self.batch_size = batch_size
        # what encodes and decodes; None: the model's own (fused) backbone
        self.backbone = None

    def run(self) -> dict:
        prefix = self.hook_prefix
        self.runner.call_hook(f'before_{prefix}')
        self.runner.call_hook(f'before_{prefix}_epoch')
        # scoring must not move the generators training draws from, so a
        # validation between epochs leaves training's randomness as it was
        with torch.no_grad(), preserved_rng():
            metrics = stream_dataset(self.runner, self.dataloader,
                                     self.evaluator, self.batch_size, prefix,
                                     self.backbone)
        self.runner.call_hook(f'after_{prefix}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{prefix}')
        return metrics


@LOOPS.register_module()
class StreamingTestLoop(_StreamingMixin, TestLoop):
    """``TestLoop`` that scores whole videos, encoding each frame once
    (other arguments: see :class:`_StreamingMixin`).

    Args:
        backend (str): 'torch', or 'onnxruntime' / 'openvino' to run the
            ONNX export in ``onnx_dir`` instead. Defaults to 'torch'.
        onnx_dir (str, optional): The folder of
            ``tools/deployment/export_onnx.py``.
        threads (int, optional): The runtime's threads.
    """
    hook_prefix = 'test'

    def __init__(self, runner, dataloader: Union[dict, object],
                 evaluator: Union[dict, list, object], batch_size: int = 8,
                 fp16: bool = False, backend: str = 'torch',
                 onnx_dir: Optional[str] = None,
                 threads: Optional[int] = None):
        super().__init__(runner, dataloader, evaluator, batch_size, fp16)
        try:
            self.backbone = build_backbone(backend, onnx_dir, threads)
        except ValueError as err:
            # name the config keys, not build_backbone's arguments
            raise ValueError(f'test_cfg.backend / test_cfg.onnx_dir: {err}') \
                from None


@LOOPS.register_module()
class StreamingValLoop(_StreamingMixin, ValLoop):
    """``ValLoop`` counterpart of :class:`StreamingTestLoop`."""
    hook_prefix = 'val'
