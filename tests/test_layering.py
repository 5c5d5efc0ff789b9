"""The library never imports upward and has no import circle between its
packages.

Every ``import`` counts, including those inside functions (a lazy import is
still a dependency). :data:`LAYERS` lists the layers, lowest first; a
package imports only lower layers, and its own layer's other members only
where :data:`SAME_LAYER_OK` lists the pair.
"""
import ast
import os
import os.path as osp
from collections import defaultdict

from mmddl.testing.tools import REPO_ROOT

LAYERS = (
    ('version', 'registry', 'utils', 'data_generation'),
    ('structures', ),
    ('visualization', ),
    ('evaluation', ),  # scoring functions the models use too
    ('datasets', 'models'),
    ('tracking', ),  # runs over datasets, writes the box cache they read
    ('deploy', ),  # ONNX export and the runtimes that run it
    ('engine', ),  # loops, hooks, streaming: over models and datasets
    ('setup_env', ),  # registers everything below
    ('apis', ),
    ('testing', 'benchmarking'),  # helpers for tests; tools/benchmark.py's
)
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
SAME_LAYER_OK = {('version', 'registry'), ('registry', 'utils')}


def package_of(path: str) -> str:
    rel = osp.relpath(path, osp.join(REPO_ROOT, 'mmddl'))
    first = rel.split(os.sep)[0]
    return first[:-3] if first.endswith('.py') else first


def imported_packages(path: str):
    """(line, mmddl package) of every import in the file at ``path``."""
    rel = osp.relpath(path, REPO_ROOT)[:-3].split(os.sep)
    package_parts = rel[:-1]
    tree = ast.parse(open(path, encoding='utf-8').read(), path)
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[:len(package_parts) - node.level + 1]
                names = ['.'.join(base + ([node.module]
                                          if node.module else []))]
            else:
                names = [node.module or '']
        for name in names:
            parts = name.split('.')
            if parts[0] == 'mmddl' and len(parts) > 1:
                yield node.lineno, parts[1]
            elif parts[0] == 'tools':
                yield node.lineno, 'tools'


def import_edges():
    edges = defaultdict(list)
    for folder, _, files in os.walk(osp.join(REPO_ROOT, 'mmddl')):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = osp.join(folder, name)
            source = package_of(path)
            if source == '__init__':  # mmddl/__init__.py: the version check
                continue
            for line, target in imported_packages(path):
                if target != source:
                    edges[(source, target)].append(
                        f'{osp.relpath(path, REPO_ROOT)}:{line}')
    return edges


def test_every_package_has_a_layer():
    packages = {package_of(osp.join(folder, name))
                for folder, _, files in os.walk(osp.join(REPO_ROOT, 'mmddl'))
                for name in files if name.endswith('.py')}
    packages.discard('__init__')
    assert packages <= set(LAYER), sorted(packages - set(LAYER))


def test_no_package_imports_upward():
    offenders = []
    for (source, target), where in sorted(import_edges().items()):
        if target == 'tools' or target not in LAYER:
            offenders.append(f'{source} -> {target}: {where}')
        elif LAYER[target] > LAYER[source] or (
                LAYER[target] == LAYER[source]
                and (source, target) not in SAME_LAYER_OK):
            offenders.append(f'{source} -> {target}: {where}')
    assert not offenders, '\n'.join(offenders)


def test_no_import_circle_between_packages():
    graph = defaultdict(set)
    for source, target in import_edges():
        graph[source].add(target)
    circles = []

    def visit(node, path):
        for nxt in sorted(graph[node]):
            if nxt == path[0]:
                circles.append(' -> '.join(path + [nxt]))
            elif nxt not in path and len(path) < len(graph) + 1:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not circles, circles
