"""tools/benchmark.py on a tiny model: every figure present and sane; the
data-wait share on a tiny synthetic set, or one line saying it was skipped
when the data is missing."""
import json

import pytest

from mmddl.data_generation import make_synthetic_dataset
from mmddl.testing.tools import run_tool
from mmddl.tracking import BoxCache


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    base = tmp_path_factory.mktemp('benchmark')
    make_synthetic_dataset(str(base / 'synthetic'), seed=4, train_videos=2,
                           test_videos=1, frames=16)
    boxes = BoxCache()
    for video in ('01', '02'):
        boxes.set_video(video, [{1: [0.2, 0.2, 0.4, 0.6]}] * 16)
    boxes.save(str(base / 'boxes.json'))
    return base


def data_options(base, root):
    pipeline = 'train_dataloader.dataset.pipeline'
    return [f'train_dataloader.dataset.data_root={root}',
            f'{pipeline}.0.cache_dir={base}/cache',
            f'{pipeline}.1.box_cache={base}/boxes.json',
            'train_dataloader.batch_size=2']


@pytest.mark.parametrize('extra', [[], ['--channels-last']])
def test_benchmark_json(extra, data):
    # with data for the plain run; the channels-last run finds none
    root = data / ('synthetic' if not extra else 'absent')
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py', '--size',
        '32', '32', '--frames', '2', '--repeats', '1', '--train-batch-size',
        '2', '--train-iterations', '1', '--data-iterations', '3',
        '--data-warmup', '1', '--json', '--cfg-options',
        'model.backbone.widths=[8,16,32,64]'
    ] + data_options(data, root) + extra)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['channels_last'] == bool(extra)
    assert report['parameters'] > 0
    # streaming skips the T-1 repeated encoder passes
    assert 0 < report['gflop_streaming'] < report['gflop_plain']
    assert report['gflop_streaming'] == pytest.approx(
        report['gflop_encoder'] + report['gflop_decoder_and_skips'])
    for key in ('plain_fps', 'streaming_fps', 'train_iters_per_s',
                'matmul_peak_gflops_per_s', 'streaming_steady_fps',
                'speedup_steady'):
        assert report[key] > 0, key
    assert report['memory_method'] in ('kernel_hwm', 'rss_sampling',
                                       'maxrss_growth')
    assert report['train_peak_mib'] > 0
    if not extra:
        assert report['data_iterations'] == 3
        assert 0.0 <= report['data_wait_share'] <= 1.0
        assert report['train_iters_per_s_real_data'] > 0
        assert 'data-wait figure skipped' not in result.stderr
    else:
        assert 'data_wait_share' not in report
        skipped = [line for line in result.stderr.splitlines()
                   if line.startswith('data-wait figure skipped')]
        assert len(skipped) == 1
        assert f'make_synthetic_dataset.py {root}' in skipped[0]
        assert report['data_wait_skipped'] in skipped[0]


def test_steady_streaming_is_measured_at_batch_one_only():
    from mmddl.benchmarking.model_speed import benchmark_inference
    from mmddl.testing.reconstructors import build_tiny_reconstructor
    model = build_tiny_reconstructor((8, 16))
    one = benchmark_inference(model, (3, 16, 16), frames=3, repeats=1)
    assert one['streaming_steady_fps'] > 0
    assert one['speedup_steady'] == pytest.approx(
        one['streaming_steady_fps'] / one['plain_fps'])
    two = benchmark_inference(model, (3, 16, 16), frames=4, batch_size=2,
                              repeats=1)
    assert 'streaming_steady_fps' not in two and two['streaming_fps'] > 0


def test_training_modes_side_by_side():
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py', '--size',
        '32', '32', '--train-modes', 'fp32', 'bf16', '--train-batch-size',
        '2', '--train-iterations', '1', '--threads', '1', '--json'
    ])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for mode in ('fp32', 'bf16'):
        assert report[f'train_{mode}_iters_per_s'] > 0
        assert report[f'train_{mode}_first_step_s'] > 0
    assert report['train_bf16_speedup'] == pytest.approx(
        report['train_bf16_iters_per_s'] / report['train_fp32_iters_per_s'])
    assert report['train_batch_size'] == 2


def test_unknown_training_mode_is_refused():
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py',
        '--train-modes', 'fp8'
    ], check=False)
    assert result.returncode != 0
    assert "invalid choice: 'fp8'" in result.stderr
