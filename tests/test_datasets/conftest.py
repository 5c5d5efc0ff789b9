"""Tiny fixtures in the real layouts and file kinds of the VAD datasets.

Every frame encodes where it comes from: its pixels equal
``frame_value(video_number, frame_index)``, so a test can check that a
window holds the right frames (exactly for lossless files, within JPEG
error for .jpg and .avi).
"""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from scipy.io import savemat

W, H = 24, 16


def frame_value(video: int, index: int) -> int:
    return (40 * video + 9 * index) % 250


def make_frame(video: int, index: int) -> np.ndarray:
    img = np.full((H, W, 3), frame_value(video, index), np.uint8)
    img[0, 0] = (255, 0, 0)  # a BGR marker to check the channel order
    return img


def write_frames(folder, video, n, ext, digits=3):
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        assert cv2.imwrite(
            osp.join(folder, f'{i:0{digits}d}{ext}'), make_frame(video, i))


def write_avi(path, video, n):
    os.makedirs(osp.dirname(path), exist_ok=True)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25,
                             (W, H))
    assert writer.isOpened()
    for i in range(n):
        writer.write(make_frame(video, i))
    writer.release()


def write_masks(folder, labels, ext='.bmp', digits=3):
    os.makedirs(folder, exist_ok=True)
    for i, label in enumerate(labels):
        mask = np.zeros((H, W), np.uint8)
        if label:
            mask[5:8, 3:9] = 255
        assert cv2.imwrite(osp.join(folder, f'{i + 1:0{digits}d}{ext}'), mask)


def ranges_cell(ranges_per_video):
    cell = np.empty((1, len(ranges_per_video)), dtype=object)
    for i, ranges in enumerate(ranges_per_video):
        cell[0, i] = np.array(ranges, dtype=np.float64).T.reshape(2, -1)
    return cell


# Test videos of every fixture: lengths and labels (0-based frames).
TEST_LENGTHS = [8, 7]
TEST_LABELS = [np.array([0, 0, 0, 1, 1, 1, 0, 0], np.uint8),
               np.array([1, 1, 1, 1, 1, 1, 1], np.uint8)]
TRAIN_LENGTHS = [6, 5]


@pytest.fixture
def frames_root(tmp_path):
    """The FFP "frames" layout with .jpg frames and both label files."""
    root = tmp_path / 'ped2_frames'
    for v, n in enumerate(TRAIN_LENGTHS):
        write_frames(str(root / 'training' / 'frames' / f'{v + 1:02d}'), v,
                     n, '.jpg')
    for v, n in enumerate(TEST_LENGTHS):
        write_frames(str(root / 'testing' / 'frames' / f'{v + 1:02d}'),
                     v + 10, n, '.jpg')
    savemat(str(root / 'ped2.mat'),
            dict(gt=ranges_cell([[(4, 6)], [(1, 7)]])))
    np.save(str(root / 'frame_labels_ped2.npy'),
            np.concatenate(TEST_LABELS)[None])
    return str(root)


@pytest.fixture
def ped2_original(tmp_path):
    """The original UCSD layout: .tif frames, _gt folders of .bmp masks and
    the .m file of gt_frame ranges."""
    root = tmp_path / 'UCSD_Anomaly_Dataset.v1p2' / 'UCSDped2'
    for v, n in enumerate(TRAIN_LENGTHS):
        write_frames(str(root / 'Train' / f'Train{v + 1:03d}'), v, n, '.tif')
    for v, n in enumerate(TEST_LENGTHS):
        name = f'Test{v + 1:03d}'
        write_frames(str(root / 'Test' / name), v + 10, n, '.tif')
        write_masks(str(root / 'Test' / (name + '_gt')), TEST_LABELS[v])
    with open(root / 'Test' / 'UCSDped2.m', 'w') as f:
        f.write('TestVideoFile = {};\n'
                'TestVideoFile{end+1}.gt_frame = [4:6];\n'
                'TestVideoFile{end+1}.gt_frame = [1:7];\n')
    return str(root)


@pytest.fixture
def avenue_root(tmp_path):
    """The original Avenue release: .avi videos and volLabel .mat masks."""
    root = tmp_path / 'avenue'
    for v, n in enumerate(TRAIN_LENGTHS):
        write_avi(str(root / 'training_videos' / f'{v + 1:02d}.avi'), v, n)
    mask_dir = root / 'ground_truth_demo' / 'testing_label_mask'
    os.makedirs(mask_dir)
    for v, n in enumerate(TEST_LENGTHS):
        write_avi(str(root / 'testing_videos' / f'{v + 1:02d}.avi'), v + 10,
                  n)
        cell = np.empty((1, n), dtype=object)
        for i in range(n):
            mask = np.zeros((H, W), np.uint8)
            mask[2, 3] = TEST_LABELS[v][i]
            cell[0, i] = mask
        savemat(str(mask_dir / f'{v + 1}_label.mat'), dict(volLabel=cell))
    # FFP-style labels that differ from the masks on one frame
    ffp = [labels.copy() for labels in TEST_LABELS]
    ffp[0][2] = 1
    np.save(str(root / 'frame_labels_avenue.npy'), np.concatenate(ffp))
    return str(root)


@pytest.fixture
def shanghaitech_root(tmp_path):
    """ShanghaiTech: training .avi videos, test frames and per-video masks,
    two scenes."""
    root = tmp_path / 'shanghaitech'
    for v, (name, n) in enumerate(zip(['01_001', '02_001'], TRAIN_LENGTHS)):
        write_avi(str(root / 'training' / 'videos' / f'{name}.avi'), v, n)
    os.makedirs(root / 'testing' / 'test_frame_mask')
    for v, (name, n) in enumerate(zip(['01_0014', '02_0161'],
                                      TEST_LENGTHS)):
        write_frames(str(root / 'testing' / 'frames' / name), v + 10, n,
                     '.jpg')
        np.save(str(root / 'testing' / 'test_frame_mask' / f'{name}.npy'),
                TEST_LABELS[v].astype(np.int64))
    return str(root)
