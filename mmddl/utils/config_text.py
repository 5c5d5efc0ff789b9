"""Read a config's text as data, never as code.

mmengine stores the training config in every checkpoint as Python text
(``meta['cfg']``, ``Config.pretty_text``) and ``Config.fromstring`` runs that
text. A checkpoint is a file people exchange, so mmddl reads the text with
:mod:`ast` instead: only assignments ``name = <value>`` whose values are
literals (numbers, strings, booleans, None), lists, tuples, dicts and
``dict(key=value, ...)`` calls are accepted, which is all that
``pretty_text`` writes. Anything else (another call, an attribute, an
import, an expression) is refused with the line that holds it.

Example:
    >>> config_from_text("model = dict(type='C3DSU', widths=[8, 16])\\n"
    ...                  "size = (64, -1)").to_dict()
    {'model': {'type': 'C3DSU', 'widths': [8, 16]}, 'size': (64, -1)}
    >>> try:
    ...     config_from_text("x = __import__('os').system('ls')")
    ... except UnsafeConfigError as err:
    ...     print(err)
    line 1: a call to something other than dict() is not data
"""
import ast
from typing import Any

from mmengine.config import Config

_NAMES = {'True': True, 'False': False, 'None': None}


class UnsafeConfigError(ValueError):
    """The config text holds something that is not plain data."""


def _value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_value(n) for n in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_value(n) for n in node.elts)
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise UnsafeConfigError(f'line {node.lineno}: ** in a dict is '
                                    'not data')
        return {_value(k): _value(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id == 'dict'
                and not node.args
                and all(k.arg is not None for k in node.keywords)):
            raise UnsafeConfigError(f'line {node.lineno}: a call to '
                                    'something other than dict() is not data')
        return {k.arg: _value(k.value) for k in node.keywords}
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(
            node.op, (ast.USub, ast.UAdd)) and isinstance(
                node.operand, ast.Constant) and isinstance(
                    node.operand.value, (int, float)):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    raise UnsafeConfigError(
        f'line {getattr(node, "lineno", "?")}: {type(node).__name__} is not '
        'data')


def config_from_text(text: str) -> Config:
    """A :class:`~mmengine.config.Config` from config text, without running
    it; raises :class:`UnsafeConfigError` for anything but plain data."""
    try:
        tree = ast.parse(text)
    except SyntaxError as err:
        raise UnsafeConfigError(f'not a config: {err}') from None
    data = {}
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            raise UnsafeConfigError(
                f'line {statement.lineno}: only `name = value` assignments '
                f'are data, got {type(statement).__name__}')
        data[statement.targets[0].id] = _value(statement.value)
    return Config(data)
