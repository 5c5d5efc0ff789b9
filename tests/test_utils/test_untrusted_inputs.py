"""What a user is handed never runs code: a checkpoint's stored config, a
pickled scores file; a truncated checkpoint names the file."""
import glob
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch

from mmddl.apis import init_model
from mmddl.evaluation.functional import dump_scores, load_scores
from mmddl.evaluation.functional.scores_file import UntrustedScoresError
from mmddl.setup_env import load_config
from mmddl.testing.tools import REPO_ROOT, run_tool
from mmddl.utils import (UnsafeConfigError, config_from_text,
                         load_local_checkpoint)


class RunsCode:
    """Unpickling this touches a marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def test_stored_config_text_is_read_as_data_not_run(tmp_path):
    marker = str(tmp_path / 'ran')
    for text in (f"import os\nos.system('touch {marker}')\n",
                 f"model = dict(type=open({marker!r}, 'w').name)\n",
                 f"model = __import__('os').system('touch {marker}')\n"):
        checkpoint = str(tmp_path / 'evil.pth')
        torch.save(dict(state_dict={}, meta=dict(cfg=text)), checkpoint)
        with pytest.raises(UnsafeConfigError, match='not plain data'):
            init_model(None, checkpoint)
        assert not osp.exists(marker)


def test_a_real_config_round_trips_through_its_text():
    cfg = load_config(osp.join(REPO_ROOT, 'configs/ddl/c3dsu_synthetic.py'))
    assert config_from_text(cfg.pretty_text).to_dict() == cfg.to_dict()


def test_pickled_scores_need_trust_and_never_run_by_default(tmp_path):
    marker = str(tmp_path / 'ran')
    evil = str(tmp_path / 'scores.pkl')
    with open(evil, 'wb') as f:
        pickle.dump(RunsCode(marker), f)
    with pytest.raises(UntrustedScoresError, match='--trust-pickle'):
        load_scores(evil)
    assert not osp.exists(marker)
    result = run_tool(['tools/analysis/plot_scores.py', evil], check=False)
    assert result.returncode != 0 and '--trust-pickle' in result.stderr
    assert not osp.exists(marker)
    # data-only formats need no trust; a trusted .pkl still reads
    video = dict(frame_index=np.arange(1, 4), label=np.array([0, 1, 1]),
                 score_raw=np.array([.1, .5, .4]),
                 score_smoothed=np.array([.1, .4, .4]))
    for ext in ('.npz', '.json', '.pkl'):
        path = str(tmp_path / f'ok{ext}')
        dump_scores(dict(videos={'v': video}, meta={}), path)
        loaded = load_scores(path, trust_pickle=ext == '.pkl')
        np.testing.assert_array_equal(loaded['videos']['v']['label'],
                                      video['label'])


def test_a_truncated_checkpoint_names_the_file(tmp_path):
    whole = str(tmp_path / 'whole.pth')
    torch.save(dict(state_dict=dict(w=torch.zeros(1000))), whole)
    cut = str(tmp_path / 'cut.pth')
    with open(whole, 'rb') as f:
        data = f.read()
    with open(cut, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(ValueError, match='cut.pth is incomplete'):
        load_local_checkpoint(cut)


def test_no_unguarded_unpickling_in_the_tree():
    """Only the two guarded places may unpickle: the checkpoint loader
    (weights_only unless trusted) and a trusted .pkl scores file."""
    offenders = []
    for path in glob.glob(osp.join(REPO_ROOT, 'mmddl', '**', '*.py'),
                          recursive=True) + glob.glob(
                              osp.join(REPO_ROOT, 'tools', '**', '*.py'),
                              recursive=True):
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, start=1):
                code = line.split('#')[0]
                if ('weights_only=False' in code or 'pickle.load(' in code
                        or 'pickle.loads(' in code or
                        'allow_pickle=True' in code) and \
                        '# trusted by the caller' not in line:
                    offenders.append(
                        f'{osp.relpath(path, REPO_ROOT)}:{number}')
    assert not offenders, offenders
    assert os.path.isfile(osp.join(REPO_ROOT, 'mmddl', 'utils',
                                   'checkpoint_loading.py'))


def test_configs_stored_before_the_antialias_default_score_bilinear(tmp_path):
    cfg = load_config(osp.join(REPO_ROOT, 'configs/ddl/c3dsu_synthetic.py'))
    old = str(tmp_path / 'old.pth')
    torch.save(dict(state_dict={}, meta=dict(cfg=cfg.pretty_text)), old)
    from mmddl.apis.inference import config_from_checkpoint
    stored = config_from_checkpoint(old)
    assert stored.test_dataloader.dataset.pipeline[0].interpolation == \
        'bilinear'
    cfg.test_dataloader.dataset.pipeline[0].interpolation = 'antialias'
    new = str(tmp_path / 'new.pth')
    torch.save(dict(state_dict={}, meta=dict(cfg=cfg.pretty_text)), new)
    stored = config_from_checkpoint(new)
    assert stored.test_dataloader.dataset.pipeline[0].interpolation == \
        'antialias'
