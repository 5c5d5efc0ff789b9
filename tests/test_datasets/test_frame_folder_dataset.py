"""The generic frames layout: label files and clear errors."""
import os
import os.path as osp
import shutil

import numpy as np
import pytest
from conftest import TEST_LABELS, ranges_cell
from scipy.io import savemat

from mmddl.datasets import FrameFolderVADDataset


def labels_of(ds):
    return {v['video_id']: v['labels'].tolist() for v in ds.videos}


def test_mat_ranges_and_npy_give_the_same_labels(frames_root):
    from_npy = FrameFolderVADDataset(frames_root, split='test',
                                     label_file='frame_labels_ped2.npy')
    from_mat = FrameFolderVADDataset(frames_root, split='test',
                                     label_file='ped2.mat')
    want = {'01': TEST_LABELS[0].tolist(), '02': TEST_LABELS[1].tolist()}
    assert labels_of(from_npy) == want
    assert labels_of(from_mat) == want


def test_flat_npy_and_absolute_label_file(frames_root, tmp_path):
    path = str(tmp_path / 'labels.npy')
    np.save(path, np.concatenate(TEST_LABELS))  # shape (N,)
    ds = FrameFolderVADDataset(frames_root, split='test', label_file=path)
    assert labels_of(ds)['01'] == TEST_LABELS[0].tolist()


def test_npy_length_mismatch_names_both_numbers(frames_root):
    np.save(osp.join(frames_root, 'frame_labels_ped2.npy'), np.zeros(14))
    with pytest.raises(ValueError, match=r'14 frame labels .* 15 frames'):
        FrameFolderVADDataset(frames_root, split='test')


def test_mat_range_beyond_the_video_names_video_and_file(frames_root):
    savemat(osp.join(frames_root, 'ped2.mat'),
            dict(gt=ranges_cell([[(4, 6)], [(1, 9)]])))
    with pytest.raises(ValueError, match=r'ped2.mat.*\[1, 9\] of video 02 '
                       r'.* 7 frames'):
        FrameFolderVADDataset(frames_root, split='test',
                              label_file='ped2.mat')


def test_mat_with_wrong_number_of_videos(frames_root):
    savemat(osp.join(frames_root, 'ped2.mat'),
            dict(gt=ranges_cell([[(4, 6)]])))
    with pytest.raises(ValueError, match='ranges for 1 videos but 2'):
        FrameFolderVADDataset(frames_root, split='test',
                              label_file='ped2.mat')


def test_missing_labels_say_what_was_expected(frames_root):
    os.remove(osp.join(frames_root, 'frame_labels_ped2.npy'))
    os.remove(osp.join(frames_root, 'ped2.mat'))
    with pytest.raises(FileNotFoundError, match='frame_labels_x.npy'):
        FrameFolderVADDataset(frames_root, split='test', dataset_name='x')


def test_missing_folder_is_named_with_the_layout(frames_root):
    shutil.rmtree(osp.join(frames_root, 'testing'))
    with pytest.raises(FileNotFoundError,
                       match=r'testing/frames .*\{training,testing\}'):
        FrameFolderVADDataset(frames_root, split='test')


def test_empty_video_folder_is_named(frames_root):
    os.makedirs(osp.join(frames_root, 'training', 'frames', '03'))
    with pytest.raises(FileNotFoundError, match='training/frames/03'):
        FrameFolderVADDataset(frames_root, split='train')


def test_unreadable_frame_is_named(frames_root):
    bad = osp.join(frames_root, 'training', 'frames', '01', '002.jpg')
    with open(bad, 'wb') as f:
        f.write(b'not a jpeg')
    ds = FrameFolderVADDataset(
        frames_root, split='train',
        pipeline=[dict(type='LoadFrameWindow'), dict(type='PackVADInputs')])
    with pytest.raises(ValueError, match='Cannot read frame .*01/002.jpg'):
        ds[0]
