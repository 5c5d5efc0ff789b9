"""Install mmddl. The OpenMMLab packages come from ``requirements/mminstall.txt``
(``pip install -e .[mim]``); torch is never a dependency here so that an
installed CUDA or CPU build is kept as it is."""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_requirements(name):
    """Read one file of ``requirements/`` without comments and blanks."""
    with open(osp.join(HERE, 'requirements', name)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


def read_version():
    namespace = {}
    with open(osp.join(HERE, 'mmddl', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


setup(
    name='mmddl',
    version=read_version(),
    description='Dynamic Distinction Learning for video anomaly detection, '
    'as an OpenMMLab plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    python_requires='>=3.9',
    install_requires=read_requirements('runtime.txt'),
    extras_require={
        'mim': read_requirements('mminstall.txt'),
        'tests': read_requirements('tests.txt'),
        'deploy': read_requirements('deploy.txt'),
    },
    zip_safe=False,
)
