"""The data-wait share of real training iterations on a tiny synthetic set:
a share in [0, 1], the right number of iterations, a slow pipeline waits
longer, and missing data names the commands that make it."""
import time

import pytest
from mmcv.transforms import BaseTransform

from mmddl.benchmarking.data_wait import (MissingTrainingData,
                                          benchmark_data_wait,
                                          build_train_dataloader)
from mmddl.data_generation import make_synthetic_dataset
from mmddl.registry import MODELS, TRANSFORMS
from mmddl.setup_env import load_config
from mmddl.tracking import BoxCache

CONFIG = 'tests/data/configs/tiny_c3dsu_data_wait.py'
FRAMES = 16
SLEEP_S = 0.05


@TRANSFORMS.register_module(force=True)
class SleepForDataWaitTest(BaseTransform):
    """A deliberately slow loading step."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def transform(self, results):
        time.sleep(self.seconds)
        return results


def make_box_cache(path, videos=('01', '02')):
    cache = BoxCache()
    for video in videos:
        cache.set_video(video, [{1: [0.25, 0.25, 0.5, 0.75]}] * FRAMES)
    cache.save(path)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    base = tmp_path_factory.mktemp('data_wait')
    root = str(base / 'synthetic')
    make_synthetic_dataset(root, seed=5, train_videos=2, test_videos=1,
                           frames=FRAMES, size=(32, 32))
    make_box_cache(str(base / 'boxes.json'))
    return base


def config(base, slow=False, data_root=None):
    pipeline = 'train_dataloader.dataset.pipeline'
    cfg = load_config(CONFIG, {
        'train_dataloader.dataset.data_root':
        data_root or str(base / 'synthetic'),
        f'{pipeline}.0.cache_dir': str(base / 'cache'),
        f'{pipeline}.1.box_cache': str(base / 'boxes.json'),
    })
    if slow:
        cfg.train_dataloader.dataset.pipeline.insert(
            1, dict(type='SleepForDataWaitTest', seconds=SLEEP_S))
    return cfg


def run(cfg, iterations, warmup):
    model = MODELS.build(cfg.model)
    steps = []
    train_step = model.train_step

    def counted(data, optim_wrapper):
        steps.append(len(data['inputs']))
        return train_step(data, optim_wrapper)

    model.train_step = counted
    return benchmark_data_wait(model, cfg, iterations, warmup), steps


def test_share_iterations_and_a_slow_pipeline(data):
    # 2 videos x 4 windows (stride 4) = 4 batches of 2: 7 steps cross an
    # epoch boundary
    fast, steps = run(config(data), iterations=5, warmup=2)
    assert steps == [2] * 7
    assert fast['data_iterations'] == 5
    assert fast['data_warmup_iterations'] == 2
    assert fast['data_batch_size'] == 2 and fast['data_num_workers'] == 0
    assert 0.0 <= fast['data_wait_share'] <= 1.0
    assert fast['data_wait_s_per_iter'] <= fast['data_step_s_per_iter']
    assert fast['train_iters_per_s_real_data'] == pytest.approx(
        1.0 / fast['data_step_s_per_iter'])
    # the frame cache was built before timing, for both training videos
    assert fast['frame_cache_fill_s'] > 0
    assert len(list((data / 'cache').glob('*.npy'))) == 2

    slow, _ = run(config(data, slow=True), iterations=3, warmup=1)
    # every batch of 2 windows sleeps 2 x 50 ms in the main process
    assert slow['data_wait_s_per_iter'] >= 2 * SLEEP_S
    assert slow['data_wait_share'] > fast['data_wait_share']
    assert slow['data_wait_share'] <= 1.0


def test_missing_data_names_both_commands(data, tmp_path):
    root = str(tmp_path / 'absent')
    cfg = config(tmp_path, data_root=root)
    with pytest.raises(MissingTrainingData) as error:
        build_train_dataloader(cfg)
    message = str(error.value)
    assert '\n' not in message
    assert f'python tools/make_synthetic_dataset.py {root}' in message
    assert 'python tools/build_masks.py' in message
    assert str(tmp_path / 'boxes.json') in message


def test_iterations_must_be_positive(data):
    cfg = config(data)
    with pytest.raises(ValueError, match='iterations'):
        benchmark_data_wait(MODELS.build(cfg.model), cfg, iterations=0)
