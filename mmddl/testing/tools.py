"""Run mmddl's command-line tools from tests, against this checkout."""
import os
import os.path as osp
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def run_tool(args, timeout=300, check=True, env=None):
    """Run ``args`` (a list; a ``.py`` first item runs with this Python) in
    the repository root with this checkout first on ``PYTHONPATH``.

    Returns:
        subprocess.CompletedProcess: with text ``stdout`` and ``stderr``.

    Example:
        >>> result = run_tool(['tools/train.py', '--help'])
        >>> 'usage' in result.stdout
        True
    """
    args = [str(a) for a in args]
    if args[0].endswith('.py'):
        args = [sys.executable] + args
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env['PYTHONPATH'] = os.pathsep.join(
        [REPO_ROOT] + [p for p in [os.environ.get('PYTHONPATH')] if p])
    result = subprocess.run(
        args, cwd=REPO_ROOT, capture_output=True, text=True, env=full_env,
        timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f'{" ".join(args)} exited {result.returncode}\n--- stdout\n'
            f'{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}')
    return result
