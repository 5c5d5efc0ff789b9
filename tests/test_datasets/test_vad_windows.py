"""Window indexing, labels and metainfo shared by every VAD dataset."""
import numpy as np
import pytest

from conftest import TEST_LABELS
from mmddl.datasets import FrameFolderVADDataset
from mmddl.registry import DATASETS


def centres(ds):
    return [(ds.get_data_info(i)['video_id'],
             ds.get_data_info(i)['frame_index']) for i in range(len(ds))]


@pytest.mark.parametrize('clip_len', [1, 3, 5])
def test_test_windows_drop_half_a_window_at_each_end(frames_root, clip_len):
    ds = FrameFolderVADDataset(frames_root, split='test', clip_len=clip_len)
    half = (clip_len - 1) // 2
    expected = [('01', c) for c in range(half, 8 - half)] + \
        [('02', c) for c in range(half, 7 - half)]
    assert centres(ds) == expected
    info = ds.get_data_info(0)
    assert info['frame_inds'] == list(range(0, clip_len))
    # labels are dropped with their frames
    want = np.concatenate([x[half:len(x) - half] for x in TEST_LABELS])
    np.testing.assert_array_equal(ds.frame_labels(), want)


def test_metainfo_holds_the_contract(frames_root):
    ds = FrameFolderVADDataset(frames_root, split='test', clip_len=3)
    assert ds.metainfo['clip_len'] == 3
    assert ds.metainfo['video_lengths'] == {'01': 8, '02': 7}
    assert ds.metainfo['dataset_name'] == 'ped2'  # from frame_labels_ped2
    # every frame with a full window appears exactly once
    lengths = ds.metainfo['video_lengths']
    assert len(ds) == sum(n - 2 for n in lengths.values())


def test_training_windows_use_the_stride_and_no_labels(frames_root):
    ds = FrameFolderVADDataset(
        frames_root, split='train', clip_len=3, train_stride=2)
    assert centres(ds) == [('01', 1), ('01', 3), ('02', 1), ('02', 3)]
    info = ds.get_data_info(1)
    assert info['gt_label'] == -1
    assert info['frame_inds'] == [2, 3, 4]
    assert len(info['frame_paths']) == 6
    assert info['frame_paths'][3].endswith('01/003.jpg')


def test_data_list_stays_light(frames_root):
    ds = FrameFolderVADDataset(frames_root, split='train', clip_len=3,
                               serialize_data=False)
    assert set(ds.data_list[0]) == {'video_index', 'frame_index', 'gt_label'}


@pytest.mark.parametrize('clip_len', [2, 0, -1, 3.0])
def test_clip_len_must_be_odd(frames_root, clip_len):
    with pytest.raises(ValueError, match='clip_len'):
        FrameFolderVADDataset(frames_root, split='test', clip_len=clip_len)


def test_bad_split_and_stride(frames_root):
    with pytest.raises(ValueError, match='split'):
        FrameFolderVADDataset(frames_root, split='val')
    with pytest.raises(ValueError, match='train_stride'):
        FrameFolderVADDataset(frames_root, train_stride=0)


def test_video_shorter_than_the_window_is_named(frames_root):
    with pytest.raises(ValueError, match=r'Video 01 .* 6 frames, fewer '
                       r'than clip_len=7'):
        FrameFolderVADDataset(frames_root, split='train', clip_len=7)


def test_datasets_are_registered():
    for name in ('FrameFolderVADDataset', 'Ped2Dataset', 'AvenueDataset',
                 'ShanghaiTechDataset'):
        assert DATASETS.get(name) is not None, name


def test_builds_from_a_config_with_its_pipeline(frames_root):
    from mmddl.setup_env import register_all_modules
    register_all_modules()
    ds = DATASETS.build(
        dict(type='FrameFolderVADDataset', data_root=frames_root,
             split='test', clip_len=3, test_mode=True,
             pipeline=[dict(type='LoadFrameWindow', scale=(12, 8)),
                       dict(type='PackVADInputs')]))
    out = ds[3]
    assert tuple(out['inputs'].shape) == (3, 3, 8, 12)
    sample = out['data_samples']
    assert sample.video_id == '01' and sample.frame_index == 4
    assert sample.frame_inds == [3, 4, 5] and sample.gt_label == 1
