"""mmddl: Dynamic Distinction Learning for video anomaly detection.

Importing mmddl checks the OpenMMLab versions it was built against and says
clearly what to install when one is too old or known to break.
"""
import importlib.metadata as _md
import re as _re

from .version import __version__, version_info

# (package, minimum, first version known to break or None)
_REQUIREMENTS = (
    ('mmengine', '0.10.0', None),
    ('mmcv', '2.1.0', '2.2.0'),  # mmdet 3.3.0 refuses mmcv >= 2.2.0
    ('mmdet', '3.3.0', '3.4.0'),
)


def _as_tuple(version: str) -> tuple:
    numbers = _re.findall(r'\d+', version.split('+')[0])
    return tuple(int(p) for p in numbers[:3])


def _check_versions():
    for name, minimum, breaks in _REQUIREMENTS:
        try:
            installed = _md.version(name)
        except _md.PackageNotFoundError:
            if name == 'mmengine':
                raise ImportError(
                    'mmddl needs mmengine; run `make install` or see '
                    'docs/install.md, "Manual install".') from None
            continue  # mmcv/mmdet are needed only by some parts
        if _as_tuple(installed) < _as_tuple(minimum):
            raise ImportError(
                f'mmddl needs {name}>={minimum}, but {name}=={installed} is '
                'installed; run `make install` or see docs/install.md.')
        if breaks and _as_tuple(installed) >= _as_tuple(breaks):
            raise ImportError(
                f'{name}=={installed} is known not to work with mmddl '
                f'(needs {name}<{breaks}); run `make install` or see '
                'docs/install.md.')


_check_versions()

__all__ = ['__version__', 'version_info']
