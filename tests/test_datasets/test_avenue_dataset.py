"""CUHK Avenue: .avi videos decoded by prepare_dataset, volLabel masks."""
import os.path as osp
import shutil
import sys

import numpy as np
import pytest
from conftest import TEST_LABELS, frame_value
from scipy.io import savemat

from mmddl.datasets import AvenueDataset
from mmddl.datasets.vad_labels import load_mat
from mmddl.datasets.video_decoding import prepare_dataset


@pytest.fixture
def avenue(avenue_root):
    stats = prepare_dataset('avenue', avenue_root, progress=False)
    assert stats == dict(decoded=4, skipped=0, frames=6 + 5 + 8 + 7)
    return avenue_root


def labels_of(ds):
    return {v['video_id']: v['labels'].tolist() for v in ds.videos}


def test_volume_label_masks(avenue):
    ds = AvenueDataset(avenue, split='test')
    assert ds.used_label_source == 'masks'
    assert labels_of(ds) == {
        '01': TEST_LABELS[0].tolist(),
        '02': TEST_LABELS[1].tolist()
    }
    assert ds.metainfo['video_lengths'] == {'01': 8, '02': 7}


def test_ffp_labels_differ_and_are_chosen_explicitly(avenue):
    ds = AvenueDataset(avenue, split='test', label_source='ffp')
    assert ds.used_label_source == 'ffp'
    assert labels_of(ds)['01'][2] == 1  # the FFP fixture marks frame 2 too


def test_decoded_frames_hold_the_video(avenue):
    ds = AvenueDataset(
        avenue, split='train', clip_len=3,
        pipeline=[dict(type='LoadFrameWindow'), dict(type='PackVADInputs')])
    out = ds[2]  # video 01, frames 2, 3, 4
    for t, frame in enumerate([2, 3, 4]):
        # MJPG then JPEG: close, not exact
        assert abs(int(out['inputs'][1, t, 8, 12]) -
                   frame_value(0, frame)) <= 6


def test_undecoded_videos_say_to_run_prepare(avenue_root):
    with pytest.raises(FileNotFoundError, match='prepare_dataset.py avenue'):
        AvenueDataset(avenue_root, split='train')


def test_missing_label_mat_is_named(avenue):
    mask_dir = osp.join(avenue, 'ground_truth_demo', 'testing_label_mask')
    shutil.move(osp.join(mask_dir, '2_label.mat'), osp.join(avenue, 'x.mat'))
    with pytest.raises(FileNotFoundError, match='2_label.mat .* video 02'):
        AvenueDataset(avenue, split='test')


def test_vol_label_length_mismatch_names_the_numbers(avenue):
    cell = np.empty((1, 5), dtype=object)
    for i in range(5):
        cell[0, i] = np.zeros((4, 4), np.uint8)
    savemat(osp.join(avenue, 'ground_truth_demo', 'testing_label_mask',
                     '2_label.mat'), dict(volLabel=cell))
    with pytest.raises(ValueError,
                       match=r'2_label.mat gives 5 frame labels for video '
                       r'02, which has 7 frames'):
        AvenueDataset(avenue, split='test')


def test_matlab_v73_without_h5py_is_a_clear_error(tmp_path, monkeypatch):
    # The 128-byte MAT header of a v7.3 (HDF5) file.
    path = str(tmp_path / '1_label.mat')
    header = b'MATLAB 7.3 MAT-file, HDF5 schema 1.00 .'.ljust(116, b' ')
    with open(path, 'wb') as f:
        f.write(header + b'\0' * 8 + b'\0\x02' + b'IM' + b'\0' * 512)
    monkeypatch.setitem(sys.modules, 'h5py', None)  # as if not installed
    with pytest.raises(ImportError, match=r'1_label.mat is a MATLAB v7.3 .*'
                       r'pip install h5py'):
        load_mat(path)


def write_v73_vol_label(path, masks):
    """A MATLAB v7.3 file as MATLAB writes it: a 512-byte user block with
    the MAT header, then HDF5; a cell array is a dataset of references to
    arrays in ``#refs#``, each stored transposed (column-major)."""
    h5py = pytest.importorskip('h5py')
    with h5py.File(path, 'w', userblock_size=512) as f:
        refs = f.create_group('#refs#')
        cell = f.create_dataset(
            'volLabel', (len(masks), 1), dtype=h5py.ref_dtype)
        for i, mask in enumerate(masks):
            cell[i, 0] = refs.create_dataset(f'm{i}', data=mask.T).ref
    header = b'MATLAB 7.3 MAT-file, HDF5 schema 1.00 .'.ljust(116, b' ')
    with open(path, 'r+b') as f:
        f.write(header + b'\0' * 8 + b'\0\x02' + b'IM')


def test_matlab_v73_vol_label_is_read_with_h5py(tmp_path):
    masks = [np.zeros((4, 6), np.uint8) for _ in range(3)]
    masks[1][2, 5] = 1
    path = str(tmp_path / '1_label.mat')
    write_v73_vol_label(path, masks)
    mat = load_mat(path)
    assert mat['volLabel'].shape == (1, 3)
    assert mat['volLabel'][0, 1].shape == (4, 6)
    assert mat['volLabel'][0, 1][2, 5] == 1
