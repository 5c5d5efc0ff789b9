"""Your own camera: a folder of .avi/.mp4 files (written here with OpenCV)
builds masks, trains, tests and scores with data_root as the only setting;
a root with only training videos trains with no labels."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmddl.data_generation import make_synthetic_dataset
from mmddl.datasets import NoTestSplitError, VideoFolderVADDataset
from mmddl.datasets.vad_layout import list_frames, list_subdirs
from mmddl.testing.tools import run_tool

CONFIG = 'configs/ddl/c3dsu_custom.py'
MASKS = 'configs/masks/motion_ocsort_custom.py'
# the synthetic walkers are ~4x8 px: the motion detector tuned for them,
# as configs/masks/motion_ocsort_synthetic.py does
SMALL_OBJECTS = ['detector.min_area=12', 'detector.max_area_ratio=0.5',
                 'detector.morph_kernel=3', 'tracker.match_iou_thr=0.1',
                 'tracker.weight_iou_with_det_scores=False',
                 'tracker.num_tentatives=2']
TINY = ['model.backbone.widths=[4,8,16,32]', 'img_scale=(64,64)',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'model.test_cfg.patch_size=8']


def write_video(path, frame_paths, fourcc):
    first = cv2.imread(frame_paths[0])
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), 25,
                             first.shape[1::-1])
    for frame_path in frame_paths:
        writer.write(cv2.imread(frame_path))
    writer.release()


def opencv_count(path):
    cap = cv2.VideoCapture(path)
    count = 0
    while cap.read()[0]:
        count += 1
    return count


def ranges(labels):
    """0-based inclusive [start, end] runs of ones."""
    edges = np.flatnonzero(np.diff(np.r_[0, labels, 0]))
    return [[int(a), int(b) - 1] for a, b in zip(edges[::2], edges[1::2])]


@pytest.fixture(scope='module')
def camera(tmp_path_factory):
    """Synthetic footage re-encoded as the video files a camera gives."""
    base = tmp_path_factory.mktemp('camera')
    frames = str(base / 'frames')
    make_synthetic_dataset(frames, seed=7, train_videos=2, test_videos=1,
                           frames=24)
    root = str(base / 'mine')
    labels = np.load(osp.join(frames, 'frame_labels_synthetic.npy'))
    labels = labels.reshape(-1)
    kinds = iter([('.avi', 'MJPG'), ('.mp4', 'mp4v'), ('.avi', 'MJPG')])
    for split in ('training', 'testing'):
        os.makedirs(osp.join(root, split))
        folder = osp.join(frames, split, 'frames')
        for video in list_subdirs(folder):
            ext, fourcc = next(kinds)
            write_video(osp.join(root, split, f'cam_{video}{ext}'),
                        list_frames(osp.join(folder, video)), fourcc)
    with open(osp.join(root, 'test_labels.json'), 'w') as f:
        json.dump({'cam_01': ranges(labels)}, f)
    return root, labels


def test_video_files_are_decoded_once_with_opencvs_counts(camera):
    root, labels = camera
    train = VideoFolderVADDataset(data_root=root)
    assert [v['video_id'] for v in train.videos] == ['cam_01', 'cam_02']
    for video in train.videos:
        name = video['video_id'] + ('.avi' if video['video_id'] == 'cam_01'
                                    else '.mp4')
        assert len(video['frame_paths']) == opencv_count(
            osp.join(root, 'training', name))
    stamp = os.stat(train.videos[0]['frame_paths'][0]).st_mtime_ns
    again = VideoFolderVADDataset(data_root=root)  # not decoded again
    assert os.stat(again.videos[0]['frame_paths'][0]).st_mtime_ns == stamp
    test = VideoFolderVADDataset(data_root=root, split='test')
    np.testing.assert_array_equal(test.videos[0]['labels'], labels)


def test_bad_label_ranges_name_the_file(camera, tmp_path):
    root, _ = camera
    bad = tmp_path / 'labels.json'
    bad.write_text(json.dumps({'cam_01': [[3, 999]]}))
    with pytest.raises(ValueError, match='does not fit its 24 frames'):
        VideoFolderVADDataset(data_root=root, split='test',
                              label_file=str(bad))
    bad.write_text(json.dumps({'cam_09': [[3, 4]]}))
    with pytest.raises(ValueError, match="cam_09"):
        VideoFolderVADDataset(data_root=root, split='test',
                              label_file=str(bad))
    csv = tmp_path / 'labels.csv'
    csv.write_text('video,start,end\ncam_01,2,5\n')
    labels = VideoFolderVADDataset(
        data_root=root, split='test', label_file=str(csv)).videos[0]['labels']
    assert labels.tolist() == [0, 0, 1, 1, 1, 1] + [0] * 18


def test_from_video_files_to_a_scored_video(camera, tmp_path):
    root, _ = camera
    data = [f'data_root={root}']
    result = run_tool(['tools/build_masks.py', MASKS, '--cfg-options'] +
                      data + SMALL_OBJECTS)
    assert 'training windows' in result.stdout
    work = str(tmp_path / 'work')
    result = run_tool(['tools/train.py', CONFIG, '--work-dir', work,
                       '--cfg-options'] + data + TINY, timeout=600)
    assert 'vad/auc' in result.stdout
    checkpoint = osp.join(work, 'epoch_1.pth')
    # the stored config names the resize the model was trained with
    from mmddl.apis.inference import config_from_checkpoint
    from mmddl.utils import register_safe_checkpoint_loader
    register_safe_checkpoint_loader()
    stored = config_from_checkpoint(checkpoint)
    assert stored.test_dataloader.dataset.pipeline[0].interpolation == \
        'antialias'
    result = run_tool(['tools/test.py', CONFIG, checkpoint, '--work-dir',
                       work, '--cfg-options'] + data + TINY)
    assert 'vad/auc' in result.stdout
    out = str(tmp_path / 'scored')
    run_tool(['tools/infer_video.py', CONFIG, checkpoint,
              osp.join(root, 'testing', 'cam_01.avi'), '--out-dir', out,
              '--no-video', '--cfg-options'] + data + TINY)
    assert os.listdir(out)


def test_only_training_videos_train_without_labels(camera, tmp_path):
    source, _ = camera
    root = str(tmp_path / 'normal_only')
    os.makedirs(root)
    # a plain folder of videos: all training footage
    for name in os.listdir(osp.join(source, 'training')):
        if name.endswith(('.avi', '.mp4')):
            os.link(osp.join(source, 'training', name), osp.join(root, name))
    with pytest.raises(NoTestSplitError):
        VideoFolderVADDataset(data_root=root, split='test')
    data = [f'data_root={root}']
    run_tool(['tools/build_masks.py', MASKS, '--cfg-options'] + data +
             SMALL_OBJECTS)
    work = str(tmp_path / 'work')
    result = run_tool(['tools/train.py', CONFIG, '--work-dir', work,
                       '--cfg-options'] + data + TINY, timeout=600)
    assert 'No test split, so no validation' in result.stdout + \
        result.stderr
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
