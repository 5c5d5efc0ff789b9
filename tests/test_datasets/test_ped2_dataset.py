"""UCSD Ped2 in its original layout (.tif, _gt .bmp masks, .m ranges) and in
the frames layout, and the full-copy count check."""
import os
import os.path as osp
import shutil

import pytest
from conftest import TEST_LABELS, frame_value, write_frames

from mmddl.datasets import Ped2Dataset
from mmddl.datasets.full_counts import check_full_counts

WANT = {'Test001': TEST_LABELS[0].tolist(), 'Test002': TEST_LABELS[1].tolist()}


def labels_of(ds):
    return {v['video_id']: v['labels'].tolist() for v in ds.videos}


@pytest.mark.parametrize('label_source', ['auto', 'ranges', 'masks'])
def test_original_layout_labels(ped2_original, label_source):
    ds = Ped2Dataset(ped2_original, split='test', label_source=label_source)
    # the _gt mask folders are not videos
    assert list(ds.metainfo['video_lengths']) == ['Test001', 'Test002']
    assert labels_of(ds) == WANT
    assert ds.used_label_source == ('ranges' if label_source == 'auto'
                                    else label_source)
    assert ds.metainfo['dataset_name'] == 'ped2'


def test_original_layout_from_the_parent_folder(ped2_original):
    ds = Ped2Dataset(osp.dirname(ped2_original), split='train')
    assert ds.metainfo['video_lengths'] == {'Train001': 6, 'Train002': 5}


def test_original_tif_window_pixels(ped2_original):
    ds = Ped2Dataset(
        ped2_original, split='test',
        pipeline=[dict(type='LoadFrameWindow'), dict(type='PackVADInputs')])
    out = ds[len(ds) - 1]  # Test002, centre 5
    inputs = out['inputs']
    assert out['data_samples'].video_id == 'Test002'
    for t, frame in enumerate([4, 5, 6]):
        # .tif is lossless: exact values
        assert int(inputs[1, t, 5, 5]) == frame_value(11, frame)
    # the BGR marker (255, 0, 0) becomes RGB (0, 0, 255)
    assert inputs[:, 0, 0, 0].tolist() == [0, 0, 255]


def test_masks_are_used_without_an_m_file(ped2_original):
    os.remove(osp.join(ped2_original, 'Test', 'UCSDped2.m'))
    ds = Ped2Dataset(ped2_original, split='test')
    assert ds.used_label_source == 'masks'
    assert labels_of(ds) == WANT
    with pytest.raises(FileNotFoundError, match=r'No \.m file .*Test'):
        Ped2Dataset(ped2_original, split='test', label_source='ranges')


def test_mask_count_mismatch_names_video_and_numbers(ped2_original):
    os.remove(osp.join(ped2_original, 'Test', 'Test001_gt', '008.bmp'))
    with pytest.raises(ValueError, match=r'Test001_gt gives 7 frame labels '
                       r'for video Test001, which has 8 frames'):
        Ped2Dataset(ped2_original, split='test', label_source='masks')


def test_missing_mask_folder_is_named(ped2_original):
    shutil.rmtree(osp.join(ped2_original, 'Test', 'Test002_gt'))
    with pytest.raises(FileNotFoundError, match='Test002_gt'):
        Ped2Dataset(ped2_original, split='test', label_source='masks')


def test_m_file_with_wrong_video_count(ped2_original):
    with open(osp.join(ped2_original, 'Test', 'UCSDped2.m'), 'w') as f:
        f.write('TestVideoFile{end+1}.gt_frame = [4:6];\n')
    with pytest.raises(ValueError, match='ranges for 1 videos but .* 2'):
        Ped2Dataset(ped2_original, split='test')


def test_frames_layout(frames_root):
    ds = Ped2Dataset(frames_root, split='test')
    assert labels_of(ds) == {
        '01': TEST_LABELS[0].tolist(),
        '02': TEST_LABELS[1].tolist()
    }


def test_neither_layout_names_both(tmp_path):
    with pytest.raises(FileNotFoundError, match='Train/Train001.*training'):
        Ped2Dataset(str(tmp_path), split='test')


def test_a_full_looking_copy_is_checked(tmp_path):
    root = tmp_path / 'UCSDped2'
    for v in range(1, 13):
        write_frames(str(root / 'Test' / f'Test{v:03d}'), v, 3, '.tif')
    with open(root / 'Test' / 'UCSDped2.m', 'w') as f:
        f.write('TestVideoFile{end+1}.gt_frame = [1:2];\n' * 12)
    with pytest.warns(UserWarning) as record:
        Ped2Dataset(str(root), split='test', clip_len=3)
    text = ' '.join(str(r.message) for r in record)
    assert 'found 36 frames, the full set has 2010' in text
    assert '24 anomalous frames' in text and '1648' in text
    assert 'frames are 24 x 16' in text and '360 x 240' in text
    # one video short: it is named
    shutil.rmtree(root / 'Test' / 'Test012')
    with open(root / 'Test' / 'UCSDped2.m', 'w') as f:
        f.write('TestVideoFile{end+1}.gt_frame = [1:2];\n' * 11)
    with pytest.warns(UserWarning) as record:
        Ped2Dataset(str(root), split='test', clip_len=3)
    assert any('found 11 videos, the full set has 12; missing: Test012' in
               str(r.message) for r in record)


def test_full_counts_pass_silently_on_the_published_numbers(recwarn):
    lengths = {f'Test{v:03d}': 1 for v in range(1, 13)}
    lengths['Test001'] = 2010 - 11
    assert check_full_counts('ped2', 'test', lengths, 1648, 'ranges') == []
    # a small subset is not checked
    assert check_full_counts('ped2', 'test', {'Test001': 5}, 1) == []
    assert not recwarn.list
