"""tools/benchmark.py on a tiny model: every figure present and sane."""
import json

import pytest

from mmddl.testing.tools import run_tool


@pytest.mark.parametrize('extra', [[], ['--channels-last']])
def test_benchmark_json(extra):
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py', '--size',
        '32', '32', '--frames', '2', '--repeats', '1', '--train-batch-size',
        '2', '--train-iterations', '1', '--json', '--cfg-options',
        'model.backbone.widths=[8,16,32,64]'
    ] + extra)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['channels_last'] == bool(extra)
    assert report['parameters'] > 0
    # streaming skips the T-1 repeated encoder passes
    assert 0 < report['gflop_streaming'] < report['gflop_plain']
    assert report['gflop_streaming'] == pytest.approx(
        report['gflop_encoder'] + report['gflop_decoder_and_skips'])
    for key in ('plain_fps', 'streaming_fps', 'train_iters_per_s',
                'matmul_peak_gflops_per_s'):
        assert report[key] > 0, key
