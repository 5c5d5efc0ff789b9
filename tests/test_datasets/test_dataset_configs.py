"""The dataset base configs build working datasets on fixtures of each layout
(train pipelines without LoadTrackMasks, which another part provides)."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmddl.data_generation import make_synthetic_dataset
from mmddl.datasets.video_decoding import prepare_dataset
from mmddl.registry import DATASETS
from mmddl.setup_env import register_all_modules
from mmddl.testing.tools import REPO_ROOT


def build_all(config, data_root, cache_dir):
    register_all_modules()
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', config))
    built = {}
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        ds_cfg = cfg[name].dataset.copy()
        ds_cfg.data_root = data_root
        ds_cfg.pipeline = [
            t for t in ds_cfg.pipeline if t.type != 'LoadTrackMasks'
        ]
        for t in ds_cfg.pipeline:
            if 'cache_dir' in t:
                t.cache_dir = cache_dir
        ds = DATASETS.build(ds_cfg)
        sample = ds[0]
        w, h = cfg.img_scale
        assert tuple(sample['inputs'].shape) == (3, cfg.clip_len, h, w)
        built[name] = ds
    assert built['train_dataloader'].split == 'train'
    assert built['val_dataloader'].split == 'test'
    assert built['val_dataloader'].test_mode
    return cfg, built


@pytest.mark.parametrize('config', ['ped2.py', 'avenue.py',
                                    'shanghaitech.py', 'synthetic.py'])
def test_config_builds_its_datasets(config, ped2_original, avenue_root,
                                    shanghaitech_root, tmp_path):
    if config == 'ped2.py':
        root = ped2_original
    elif config == 'avenue.py':
        root = avenue_root
        prepare_dataset('avenue', root, progress=False)
    elif config == 'shanghaitech.py':
        root = shanghaitech_root
        prepare_dataset('shanghaitech', root, progress=False)
    else:
        root = str(tmp_path / 'synthetic')
        make_synthetic_dataset(root, train_videos=1, test_videos=1,
                               frames=20)
    cfg, built = build_all(config, root, str(tmp_path / 'cache'))
    meta = built['test_dataloader'].metainfo
    assert meta['clip_len'] == cfg.clip_len
    assert sum(n - cfg.clip_len + 1 for n in meta['video_lengths'].values()
               ) == len(built['test_dataloader'])


def test_runner_builds_the_synthetic_dataloader(tmp_path):
    from mmengine.runner import Runner
    root = str(tmp_path / 'synthetic')
    make_synthetic_dataset(root, train_videos=1, test_videos=2, frames=20)
    register_all_modules()
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'synthetic.py'))
    loader_cfg = cfg.test_dataloader.copy()
    loader_cfg.dataset.data_root = root
    loader_cfg.dataset.pipeline[0].cache_dir = str(tmp_path / 'cache')
    loader = Runner.build_dataloader(loader_cfg)
    batches = list(loader)
    assert sum(len(b['inputs']) for b in batches) == 2 * 18
    first = batches[0]
    assert tuple(first['inputs'][0].shape) == (3, 3, 64, 64)
    ids = [(s.video_id, s.frame_index) for b in batches
           for s in b['data_samples']]
    assert ids == [(v, c) for v in ('01', '02') for c in range(1, 19)]
