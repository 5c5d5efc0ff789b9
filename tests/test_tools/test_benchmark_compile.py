"""tools/benchmark.py --compile: compiled inference measured after a warm-up
whose time (the compile) is reported on its own."""
import json

from mmddl.testing.tools import run_tool


def test_benchmark_compile_reports_warm_up_apart():
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py', '--size',
        '32', '32', '--frames', '2', '--repeats', '1', '--train-batch-size',
        '0', '--compile', 'aot_eager', '--json', '--cfg-options',
        'model.backbone.widths=[8,16]'
    ])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['compile'] == dict(backend='aot_eager')
    assert report['fuse_blocks'] is True
    for key in ('plain_fps', 'streaming_fps', 'plain_first_call_s',
                'streaming_first_call_s'):
        assert report[key] > 0, key
    # the warm-up compiles, so it takes longer than a timed run
    assert report['plain_first_call_s'] > 2 / report['plain_fps']
    assert 'train_iters_per_s' not in report


def test_compile_mode_needs_compile():
    result = run_tool([
        'tools/benchmark.py', 'configs/ddl/c3dsu_synthetic.py',
        '--compile-mode', 'default'
    ], check=False)
    assert result.returncode != 0
    assert '--compile-mode needs --compile' in result.stderr
