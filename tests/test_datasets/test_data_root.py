"""One key: data_root given once (child config, dataset key or
--cfg-options) re-points the frames, the frame cache and the box cache; a
box cache built from other videos is an error."""
import os
import os.path as osp

import pytest

from mmddl.data_generation import make_synthetic_dataset
from mmddl.datasets.data_root import resolve_under_root
from mmddl.datasets.mask_coverage import box_cache_owner, check_box_cache_owner
from mmddl.registry import DATASETS
from mmddl.setup_env import load_config
from mmddl.testing.tools import REPO_ROOT
from mmddl.tracking import BoxCache

CONFIG = osp.join(REPO_ROOT, 'configs', 'ddl', 'c3dsu_synthetic.py')


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    base = tmp_path_factory.mktemp('roots')
    out = {}
    for name, seed in (('a', 0), ('b', 1)):
        out[name] = str(base / name)
        make_synthetic_dataset(out[name], seed=seed, train_videos=1,
                               test_videos=1, frames=16)
    return out


def paths_of(dataset):
    transforms = {type(t).__name__: t for t in dataset.pipeline.transforms}
    return (transforms['LoadFrameWindow'].cache_dir,
            transforms.get('LoadTrackMasks') and
            transforms['LoadTrackMasks'].box_cache)


def build(cfg, key):
    dataset_cfg = dict(cfg[key].dataset)
    if key == 'train_dataloader':
        # LoadTrackMasks needs its cache to exist: check its path only
        pipeline = [dict(t) for t in dataset_cfg['pipeline']]
        for t in pipeline:
            if t['type'] == 'LoadTrackMasks':
                box_cache = t['box_cache']
        dataset_cfg['pipeline'] = [
            t for t in pipeline if t['type'] != 'LoadTrackMasks'
        ]
        dataset = DATASETS.build(dataset_cfg)
        return dataset, resolve_under_root(box_cache, dataset.data_root)
    return DATASETS.build(dataset_cfg), None


def check_all_under(cfg, root):
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset, box_cache = build(cfg, key)
        assert dataset.data_root == root
        assert paths_of(dataset)[0] == osp.join(root, 'cache')
        assert all(p.startswith(root) for v in dataset.videos
                   for p in v['frame_paths'])
        if box_cache is not None:
            assert box_cache == osp.join(root, 'boxes', 'train_boxes.json')


def test_cfg_options_data_root_re_points_everything(roots):
    cfg = load_config(CONFIG, dict(data_root=roots['b']))
    check_all_under(cfg, roots['b'])


def test_a_child_config_that_sets_only_data_root(roots, tmp_path):
    child = tmp_path / 'mine.py'
    child.write_text(f"_base_ = [{CONFIG!r}]\ndata_root = {roots['a']!r}\n")
    check_all_under(load_config(str(child)), roots['a'])


def test_a_dataset_key_re_points_that_dataset(roots):
    cfg = load_config(
        CONFIG, {'train_dataloader.dataset.data_root': roots['b']})
    dataset, box_cache = build(cfg, 'train_dataloader')
    assert paths_of(dataset)[0] == osp.join(roots['b'], 'cache')
    assert box_cache.startswith(roots['b'])
    # the others keep the config's root
    assert cfg.val_dataloader.dataset.data_root == 'data/synthetic'


def test_the_train_pipeline_box_cache_is_under_the_root(roots):
    cfg = load_config(CONFIG, dict(data_root=roots['a']))
    train, path = build(cfg, 'train_dataloader')
    os.makedirs(osp.dirname(path), exist_ok=True)
    BoxCache(meta=box_cache_owner(train)).save(path)
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset))
    assert paths_of(dataset)[1] == path


def test_resolution_rules():
    assert resolve_under_root('cache', 'r') == osp.join('r', 'cache')
    assert resolve_under_root('r/cache', 'r') == 'r/cache'
    assert resolve_under_root('/x/cache', 'r') == '/x/cache'
    assert resolve_under_root(None, 'r') is None


def test_another_datasets_box_cache_is_an_error(roots):
    cfg_a = load_config(CONFIG, dict(data_root=roots['a']))
    cfg_b = load_config(CONFIG, dict(data_root=roots['b']))
    train_a = build(cfg_a, 'train_dataloader')[0]
    train_b = build(cfg_b, 'train_dataloader')[0]
    cache = BoxCache(meta=box_cache_owner(train_a))
    check_box_cache_owner(cache, train_a, 'a.json')  # its own: fine
    with pytest.raises(ValueError, match='built from 1 videos under') as err:
        check_box_cache_owner(cache, train_b, 'a.json')
    assert roots['a'] in str(err.value) and roots['b'] in str(err.value)
    # the authors' JSON carries no owner: not checked here
    check_box_cache_owner(BoxCache(), train_b, 'authors.json')


def test_no_data_root_at_all_is_a_clear_error():
    with pytest.raises(ValueError, match='data_root is not set'):
        DATASETS.build(dict(type='FrameFolderVADDataset'))
