"""The motion detector and OC-SORT on the synthetic set, against its truth."""
import json
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from mmddl.data_generation import make_synthetic_dataset
from mmddl.tracking import MotionBlobDetector, VideoFrames, track_video

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) *
             (b[3] - b[1]) - inter)
    return inter / union if union > 0 else 0.0


@pytest.fixture(scope='module')
def synthetic(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic') / 'set')
    make_synthetic_dataset(root, seed=1, train_videos=2, test_videos=1,
                           frames=60)
    truth = json.load(open(osp.join(root, 'annotations',
                                    'training_objects.json')))
    return root, truth


def frame_paths(root, video):
    import glob
    return sorted(glob.glob(osp.join(root, 'training', 'frames', video,
                                     '*.jpg')))


def test_motion_detector_finds_the_synthetic_walkers(synthetic):
    root, truth = synthetic
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/masks/motion_ocsort_synthetic.py'))
    params = {k: v for k, v in cfg.detector.items() if k != 'type'}
    found = total = 0
    for video, objects in truth.items():
        frames = VideoFrames(frame_paths(root, video))
        detector = MotionBlobDetector(**params)
        detector.prepare_video(frames)
        detections = detector.detect([frames[i] for i in range(len(frames))])
        for dets, objs in zip(detections, objects):
            for obj in objs:
                total += 1
                found += any(iou(obj['box'], d) > 0.3 for d in dets['bboxes'])
    assert total > 100
    assert found / total > 0.85


def test_ocsort_keeps_one_id_per_walker(synthetic):
    root, truth = synthetic
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/masks/motion_ocsort_synthetic.py'))
    params = {k: v for k, v in cfg.detector.items() if k != 'type'}
    for video, objects in truth.items():
        frames = VideoFrames(frame_paths(root, video))
        tracks = track_video(frames, MotionBlobDetector(**params),
                             dict(cfg.tracker), batch_size=16)
        height, width = frames[0].shape[:2]
        # for each true object, the track ids that covered it over time
        ids_per_object = {}
        for frame_tracks, objs in zip(tracks, objects):
            for obj in objs:
                for tid, b in frame_tracks.items():
                    box = [b[0] * width, b[1] * height, b[2] * width,
                           b[3] * height]
                    if iou(obj['box'], box) > 0.3:
                        ids_per_object.setdefault(obj['id'], []).append(tid)
        # most frames of an object carry its most common id
        shares = [
            np.bincount(ids).max() / len(ids)
            for ids in ids_per_object.values() if len(ids) >= 10
        ]
        assert shares and np.median(shares) > 0.8
