"""ShanghaiTech: decoded training videos, test frames, per-video masks,
scenes."""
import os.path as osp
import shutil

import numpy as np
import pytest

from conftest import TEST_LABELS
from mmddl.datasets import ShanghaiTechDataset
from mmddl.datasets.video_decoding import prepare_dataset


def test_test_labels_and_scenes(shanghaitech_root):
    ds = ShanghaiTechDataset(shanghaitech_root, split='test')
    assert ds.used_label_source == 'masks'
    assert {v['video_id']: v['labels'].tolist() for v in ds.videos} == {
        '01_0014': TEST_LABELS[0].tolist(),
        '02_0161': TEST_LABELS[1].tolist()
    }
    one = ShanghaiTechDataset(shanghaitech_root, split='test', scene='02')
    assert one.metainfo['video_lengths'] == {'02_0161': 7}
    assert one.metainfo['scenes'] == ['02']
    assert len(one) == 5
    np.testing.assert_array_equal(one.frame_labels(), np.ones(5))


def test_unknown_scene_lists_the_scenes(shanghaitech_root):
    with pytest.raises(ValueError, match=r"scene=\['13'\] .*\['01', '02'\]"):
        ShanghaiTechDataset(shanghaitech_root, split='test', scene='13')


def test_training_videos_decode_then_load(shanghaitech_root):
    with pytest.raises(FileNotFoundError,
                       match='prepare_dataset.py shanghaitech'):
        ShanghaiTechDataset(shanghaitech_root, split='train')
    prepare_dataset('shanghaitech', shanghaitech_root, progress=False)
    ds = ShanghaiTechDataset(shanghaitech_root, split='train', scene=['01'])
    assert ds.metainfo['video_lengths'] == {'01_001': 6}
    assert ds.get_data_info(0)['gt_label'] == -1


def test_label_length_mismatch_names_video_and_numbers(shanghaitech_root):
    np.save(osp.join(shanghaitech_root, 'testing', 'test_frame_mask',
                     '02_0161.npy'), np.zeros(9))
    with pytest.raises(ValueError, match=r'02_0161.npy gives 9 frame labels '
                       r'for video 02_0161, which has 7 frames'):
        ShanghaiTechDataset(shanghaitech_root, split='test')


def test_ffp_labels_are_split_before_the_scene_filter(shanghaitech_root):
    shutil.rmtree(osp.join(shanghaitech_root, 'testing', 'test_frame_mask'))
    with pytest.raises(FileNotFoundError, match='frame_labels_shanghaitech'):
        ShanghaiTechDataset(shanghaitech_root, split='test')
    # MNAD's name for it
    np.save(osp.join(shanghaitech_root, 'frame_labels_shanghai.npy'),
            np.concatenate(TEST_LABELS))
    ds = ShanghaiTechDataset(shanghaitech_root, split='test', scene='02')
    assert ds.used_label_source == 'ffp'
    assert ds.videos[0]['labels'].tolist() == TEST_LABELS[1].tolist()


def test_one_config_and_cfg_options_choose_the_scene(shanghaitech_root):
    from mmddl.registry import DATASETS
    from mmddl.setup_env import load_config
    from mmddl.testing.tools import REPO_ROOT

    # DictAction turns 01 into the int 1: still scene '01'
    cfg = load_config(
        f'{REPO_ROOT}/configs/ddl/c3dsu_shanghaitech.py',
        dict(scene=1, data_root=shanghaitech_root))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[key].dataset.scene == 1
    test_cfg = dict(cfg.test_dataloader.dataset, pipeline=[])
    ds = DATASETS.build(test_cfg)
    assert {v['video_id'].split('_')[0] for v in ds.videos} == {'01'}
    # no scene: every scene
    cfg = load_config(f'{REPO_ROOT}/configs/ddl/c3dsu_shanghaitech.py',
                      dict(data_root=shanghaitech_root))
    assert cfg.test_dataloader.dataset.get('scene') is None
