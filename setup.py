"""Install mmddl. The OpenMMLab packages come from ``requirements/mminstall.txt``
(``pip install -e .[mim]``); torch is never a dependency here so that an
installed CUDA or CPU build is kept as it is."""
import os
import os.path as osp
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

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


#: What ``mim`` (and ``mmddl::`` config paths) look for in the installed
#: package, as the OpenMMLab codebases ship them: its ``.mim`` folder.
MIM_FILES = ('configs', 'tools')


class BuildPyWithMim(build_py):
    """``build_py`` that also puts configs/ and tools/ into ``mmddl/.mim``.

    A wheel or a plain ``pip install .`` gets copies in the build tree (the
    repository is not there afterwards); an editable install gets symlinks
    in the source tree, so edits to configs/ show through. Then
    ``mim train mmddl CONFIG`` runs ``mmddl/.mim/tools/train.py`` and
    ``Config.fromfile('mmddl::ddl/c3dsu_ped2.py')`` reads
    ``mmddl/.mim/configs``.
    """

    def run(self):
        super().run()
        editable = getattr(self, 'editable_mode', False)
        mim_dir = osp.join(HERE if editable else self.build_lib, 'mmddl',
                           '.mim')
        os.makedirs(mim_dir, exist_ok=True)
        for name in MIM_FILES:
            src, dst = osp.join(HERE, name), osp.join(mim_dir, name)
            if osp.islink(dst) or osp.isfile(dst):
                os.remove(dst)
            elif osp.isdir(dst):
                shutil.rmtree(dst)
            if editable:
                os.symlink(osp.relpath(src, mim_dir), dst)
            else:
                shutil.copytree(
                    src, dst,
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


setup(
    name='mmddl',
    version=read_version(),
    description='Dynamic Distinction Learning for video anomaly detection, '
    'as an OpenMMLab plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    cmdclass={'build_py': BuildPyWithMim},
    python_requires='>=3.9',
    install_requires=read_requirements('runtime.txt'),
    extras_require={
        'mim': read_requirements('mminstall.txt'),
        'tests': read_requirements('tests.txt'),
        'deploy': read_requirements('deploy.txt'),
        'openvino': read_requirements('openvino.txt'),
    },
    zip_safe=False,
)
