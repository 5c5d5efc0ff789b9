"""Every command block of the README and docs/ marked runnable succeeds.

A block is marked by an HTML comment line ``<!-- runnable -->`` (invisible
when the markdown is rendered) right before its ```` ```bash ```` fence. Each
marked block runs in bash with ``set -eo pipefail`` from the repository root
and must exit with status 0. Mark only blocks that take a few seconds and need
no dataset, checkpoint or network (docs/layout.md, "Development").
"""
import glob
import os
import os.path as osp
import re
import subprocess
import sys

import pytest

from mmddl.testing.tools import REPO_ROOT

MARKER = re.compile(r'^\s*<!--\s*runnable\s*-->\s*$')
FENCE = re.compile(r'^\s*```\s*(bash|sh|shell|console)?\s*$')
TIMEOUT_S = 120


def markdown_files():
    files = [osp.join(REPO_ROOT, 'README.md')]
    files += sorted(
        glob.glob(osp.join(REPO_ROOT, 'docs', '**', '*.md'), recursive=True))
    return files


def find_blocks(path):
    """``(line, code)`` of each marked block and ``(line, problem)`` of each
    marker that is not followed by a bash block; lines are 1-based (the
    marker's line)."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    blocks, problems = [], []
    i = 0
    while i < len(lines):
        if not MARKER.match(lines[i]):
            i += 1
            continue
        marker_line = i + 1
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        opening = FENCE.match(lines[j]) if j < len(lines) else None
        if opening is None or opening.group(1) not in ('bash', 'sh'):
            problems.append((marker_line, 'not followed by a ```bash block'))
            i = j
            continue
        k = j + 1
        while k < len(lines) and lines[k].strip() != '```':
            k += 1
        if k == len(lines):
            problems.append((marker_line, 'its ```bash block is not closed'))
            break
        code = '\n'.join(lines[j + 1:k])
        if not code.strip():
            problems.append((marker_line, 'its ```bash block is empty'))
        else:
            blocks.append((marker_line, code))
        i = k + 1
    return blocks, problems


def collect():
    cases, problems = [], []
    for path in markdown_files():
        rel = osp.relpath(path, REPO_ROOT)
        blocks, bad = find_blocks(path)
        cases += [pytest.param(code, id=f'{rel}:{line}')
                  for line, code in blocks]
        problems += [f'{rel}:{line}: {why}' for line, why in bad]
    return cases, problems


CASES, PROBLEMS = collect()


def test_markers_are_well_formed():
    assert not PROBLEMS, 'runnable markers without a block:\n' + '\n'.join(
        PROBLEMS)


def test_there_are_runnable_blocks():
    assert CASES, 'no <!-- runnable --> block in README.md or docs/'


def test_find_blocks_reads_only_marked_blocks(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text('\n'.join([
        '# t', '```bash', 'false', '```', '<!-- runnable -->', '```bash',
        'echo one', 'echo two', '```', '', '<!-- runnable -->', '',
        '```python', 'print(1)', '```', '<!-- runnable -->'
    ]))
    blocks, problems = find_blocks(str(page))
    assert blocks == [(5, 'echo one\necho two')]
    assert [line for line, _ in problems] == [11, 16]


@pytest.mark.parametrize('code', CASES)
def test_runnable_block_succeeds(code):
    env = dict(os.environ)
    # `python` in a block is the interpreter running the tests
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env.get(
        'PATH', '')
    # and imports mmddl from this checkout, as mmddl.testing.run_tool does
    env['PYTHONPATH'] = os.pathsep.join(
        [REPO_ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    try:
        proc = subprocess.run(['bash', '-c', 'set -eo pipefail\n' + code],
                              cwd=REPO_ROOT,
                              env=env,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as err:
        pytest.fail(f'timed out after {TIMEOUT_S} s:\n{code}\n--- output:\n'
                    f'{(err.stdout or b"").decode(errors="replace")[-3000:]}')
    output = proc.stdout.decode(errors='replace')
    assert proc.returncode == 0, (
        f'exit status {proc.returncode}:\n{code}\n--- output (last 3000 '
        f'characters):\n{output[-3000:]}')
