import numpy as np
import pytest

from mmddl.tracking import (MotionBlobDetector, OCSORTVideoTracker,
                            track_video)

from .clips import moving_squares_clip


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) +
                    (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_motion_detector_finds_the_moving_objects():
    frames, truth = moving_squares_clip()
    detector = MotionBlobDetector(min_area=20)
    detector.prepare_video(frames)
    for dets, boxes in zip(detector.detect(frames), truth):
        assert len(dets['bboxes']) == 2
        for box in boxes.values():
            assert max(iou(box, d) for d in dets['bboxes']) > 0.8
        assert (dets['scores'] > 0.5).all()


def test_motion_detector_needs_a_background_first():
    with pytest.raises(RuntimeError, match='prepare_video'):
        MotionBlobDetector().detect([np.zeros((8, 8, 3), np.uint8)])


def test_ocsort_keeps_ids_on_moving_objects():
    frames, truth = moving_squares_clip(num_frames=15)
    detector = MotionBlobDetector(min_area=20)
    tracks = track_video(frames, detector, dict(init_track_thr=0.5),
                         batch_size=4)
    assert len(tracks) == len(frames)
    # after the tentative frames every frame holds the same two ids, each
    # following one object
    ids_per_frame = [sorted(t) for t in tracks[3:]]
    assert all(ids == ids_per_frame[0] for ids in ids_per_frame)
    assert len(ids_per_frame[0]) == 2
    height, width = frames[0].shape[:2]
    for frame_tracks, boxes in zip(tracks[3:], truth[3:]):
        for tid, norm in frame_tracks.items():
            pixel = [norm[0] * width, norm[1] * height, norm[2] * width,
                     norm[3] * height]
            best = max(boxes, key=lambda o: iou(boxes[o], pixel))
            assert iou(boxes[best], pixel) > 0.7
    first = {tid: max(truth[3], key=lambda o: iou(truth[3][o], [
        b[0] * width, b[1] * height, b[2] * width, b[3] * height]))
        for tid, b in tracks[3].items()}
    last = {tid: max(truth[-1], key=lambda o: iou(truth[-1][o], [
        b[0] * width, b[1] * height, b[2] * width, b[3] * height]))
        for tid, b in tracks[-1].items()}
    assert first == last


def test_tracker_resets_on_frame_zero():
    tracker = OCSORTVideoTracker(init_track_thr=0.5)
    box = np.array([[10, 10, 20, 20]], np.float32)
    for frame_id in range(4):
        tracker.step(frame_id, box, np.array([0.9]))
    _, ids = tracker.step(0, box, np.array([0.9]))
    assert list(ids) == [0]
