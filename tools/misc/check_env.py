"""Say whether this Python environment already holds everything mmddl needs.

Exit code 0 when complete (``make install`` then does nothing), 1 otherwise,
with one line per missing or mismatched piece. Reads package metadata only, so
it answers in about a second.

Example:
    $ python tools/misc/check_env.py
    mmddl: environment complete (torch 2.13.0+cpu, mmcv 2.1.0 with ops, ...)
"""
import argparse
import importlib.metadata as md
import importlib.util
import os.path as osp
import re
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def read_requirements(*names):
    reqs = []
    for name in names:
        with open(osp.join(ROOT, 'requirements', name)) as f:
            for line in f:
                line = line.split('#')[0].strip()
                if line and not line.startswith('-'):
                    reqs.append(line)
    return reqs


def version_tuple(text):
    return tuple(int(p) for p in re.findall(r'\d+', text.split('+')[0])[:3])


def satisfies(installed, spec):
    """Check ``installed`` against specifiers like ``>=2.1.0,<2.2.0``."""
    for clause in filter(None, spec.split(',')):
        op, want = re.match(r'(==|>=|<=|<|>)(.+)', clause.strip()).groups()
        have, want = version_tuple(installed), version_tuple(want)
        ok = {'==': have == want, '>=': have >= want, '<=': have <= want,
              '<': have < want, '>': have > want}[op]
        if not ok:
            return False
    return True


# The names pip knows a distribution by are not always the import names.
DIST_ALIASES = {'opencv-python-headless': ('opencv-python-headless',
                                           'opencv-python')}


def problems():
    found = []
    for req in read_requirements('mminstall.txt', 'runtime.txt', 'tests.txt',
                                 'deploy.txt', 'openvino.txt'):
        name, spec = re.match(r'([A-Za-z0-9_.\-]+)(.*)', req).groups()
        installed = None
        for dist in DIST_ALIASES.get(name, (name, )):
            try:
                installed = md.version(dist)
                break
            except md.PackageNotFoundError:
                continue
        if installed is None:
            found.append(f'{name}: not installed')
        elif spec and not satisfies(installed, spec):
            found.append(f'{name}: {installed} installed, {spec} required')
    try:
        md.version('torch')
    except md.PackageNotFoundError:
        found.append('torch: not installed')
    if importlib.util.find_spec('mmcv') is not None:
        # mmcv-lite or a build without ops lacks the compiled extension
        # that mmdet's models import.
        mmcv_dir = osp.dirname(importlib.util.find_spec('mmcv').origin)
        import glob
        if not glob.glob(osp.join(mmcv_dir, '_ext*.so')):
            found.append('mmcv: installed without its compiled ops (_ext)')
    spec = importlib.util.find_spec('mmddl')
    if spec is None or not osp.abspath(spec.origin).startswith(ROOT + osp.sep):
        found.append(f'mmddl: not installed from {ROOT}')
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quiet', action='store_true')
    args = parser.parse_args()
    # Run from elsewhere so that the repo root on sys.path does not make a
    # not-installed mmddl look installed.
    sys.path = [p for p in sys.path if osp.abspath(p or '.') != ROOT]
    found = problems()
    if found:
        if not args.quiet:
            print('mmddl: environment incomplete:\n  ' + '\n  '.join(found))
        return 1
    if not args.quiet:
        print(f'mmddl: environment complete (torch {md.version("torch")}, '
              f'mmengine {md.version("mmengine")}, mmcv {md.version("mmcv")} '
              f'with ops, mmdet {md.version("mmdet")})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
