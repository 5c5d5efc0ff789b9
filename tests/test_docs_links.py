"""Every docs/*.md that code, configs, tools or the README point to exists
in the repository (users never see the developers' notes)."""
import glob
import os.path as osp
import re

from mmddl.testing.tools import REPO_ROOT

REFERENCE = re.compile(r'docs/([A-Za-z0-9_\-]+\.md)')


def test_every_referenced_doc_exists():
    sources = [osp.join(REPO_ROOT, 'README.md')]
    for folder in ('mmddl', 'configs', 'tools', 'docs'):
        for ext in ('py', 'md', 'sh'):
            sources += glob.glob(osp.join(REPO_ROOT, folder, '**', f'*.{ext}'),
                                 recursive=True)
    missing = {}
    for path in sources:
        with open(path, encoding='utf-8') as f:
            for name in REFERENCE.findall(f.read()):
                if not osp.isfile(osp.join(REPO_ROOT, 'docs', name)):
                    missing.setdefault(name, []).append(
                        osp.relpath(path, REPO_ROOT))
    assert not missing, f'missing docs (and who points to them): {missing}'


def test_relative_links_between_docs_resolve():
    link = re.compile(r'\]\(([A-Za-z0-9_\-./]+\.md)\)')
    for path in glob.glob(osp.join(REPO_ROOT, 'docs', '*.md')) + [
            osp.join(REPO_ROOT, 'README.md')]:
        with open(path, encoding='utf-8') as f:
            for target in link.findall(f.read()):
                assert osp.isfile(osp.join(osp.dirname(path), target)), (
                    f'{path} links to {target}, which does not exist')
