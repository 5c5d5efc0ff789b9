"""The library never imports upward: nothing below ``mmddl.apis`` imports
it (the API layer builds on the engine, models and datasets, not the other
way round)."""
import ast
import os
import os.path as osp

from mmddl.testing.tools import REPO_ROOT

LOWER = ('engine', 'models', 'datasets', 'evaluation', 'structures',
         'tracking', 'utils', 'visualization')


def imported_modules(path):
    tree = ast.parse(open(path, encoding='utf-8').read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ''


def test_lower_layers_do_not_import_the_api_layer():
    offenders = []
    for package in LOWER:
        for folder, _, files in os.walk(osp.join(REPO_ROOT, 'mmddl',
                                                 package)):
            for name in files:
                if not name.endswith('.py'):
                    continue
                path = osp.join(folder, name)
                for module in imported_modules(path):
                    if module == 'mmddl.apis' or module.startswith(
                            'mmddl.apis.') or module.startswith('tools'):
                        offenders.append(
                            f'{osp.relpath(path, REPO_ROOT)}: {module}')
    assert not offenders, offenders
