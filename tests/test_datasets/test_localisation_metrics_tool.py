"""tools/test.py on the Ped2, Avenue and ShanghaiTech configs reports the
frame AUCs (micro, both macro rules) and, where the test videos have pixel
masks, the pixel-level AUC and RBDC/TBDC ('auto' in the test evaluators);
without masks those are left out with a log line, not an error."""
import pytest
import torch

from mmddl.apis import init_model
from mmddl.evaluation import FrameAUCMetric
from mmddl.evaluation.functional import load_scores
from mmddl.testing.tools import run_tool

WIDTHS = '[8,16,32,64]'
FRAME_KEYS = ('vad/auc:', 'vad/auc_macro:', 'vad/auc_macro_padded:')
MASK_KEYS = ('vad/auc_pixel:', 'vad/rbdc:', 'vad/tbdc:')


def run_test_tool(config, root, tmp_path, extra=(), tool_args=()):
    torch.manual_seed(0)
    options = [f'data_root={root}', f'model.backbone.widths={WIDTHS}',
               'test_dataloader.dataset.pipeline.0.scale=[32,32]'] + list(
                   extra)
    model = init_model(config, cfg_options=dict(
        model=dict(backbone=dict(widths=[8, 16, 32, 64]))))
    ckpt = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=model.cfg.pretty_text)), ckpt)
    result = run_tool(['tools/test.py', config, ckpt, '--work-dir',
                       str(tmp_path / 'work')] + list(tool_args) +
                      ['--cfg-options'] + options)
    return result.stdout + result.stderr


@pytest.mark.parametrize('config, fixture', [
    ('configs/ddl/c3dsu_ped2.py', 'ped2_original'),
    ('configs/ddl/c3dsu_avenue.py', 'avenue_root'),
])
def test_masks_give_pixel_auc_and_rbdc_tbdc(config, fixture, request,
                                            tmp_path):
    root = request.getfixturevalue(fixture)
    if fixture == 'avenue_root':  # the release's videos, decoded once
        run_tool(['tools/prepare_dataset.py', 'avenue', root])
    out = run_test_tool(config, root, tmp_path)
    for key in FRAME_KEYS + MASK_KEYS:
        assert key in out, (key, out[-3000:])


def test_without_masks_they_are_left_out(shanghaitech_root, tmp_path):
    # --out: the scores dump takes the evaluator's 'auto' too
    scores = tmp_path / 'scores.json'
    out = run_test_tool('configs/ddl/c3dsu_shanghaitech.py',
                        shanghaitech_root, tmp_path,
                        tool_args=['--out', str(scores)])
    for key in FRAME_KEYS:
        assert key in out, (key, out[-3000:])
    for key in MASK_KEYS:
        assert key not in out
    assert 'have no pixel masks' in out
    metrics = load_scores(str(scores))['meta']['metrics']
    assert 'auc' in metrics and 'auc_pixel' not in metrics


def frame(video, index, label, with_mask):
    error = torch.zeros(8, 8)
    error[2:4, 2:4] = 1.0 + index  # the anomaly's pixels score highest
    sample = dict(video_id=video, frame_index=index, gt_label=label,
                  pred_score=float(label), error_map=error)
    if with_mask:
        mask = torch.zeros(8, 8, dtype=torch.bool)
        mask[2:4, 2:4] = bool(label)
        sample['gt_mask'] = mask
    return sample


@pytest.mark.parametrize('masked, expected', [((True, True), True),
                                              ((True, False), False)])
def test_auto_needs_every_videos_masks(masked, expected):
    metric = FrameAUCMetric(smoothing_window=None, pixel_auc='auto',
                            region_auc='auto', region_size=8)
    samples = [frame(video, i, int(i >= 2), with_mask)
               for video, with_mask in zip(('a', 'b'), masked)
               for i in range(4)]
    metric.process(None, samples)
    metrics = metric.compute_metrics(metric.results)
    assert ('auc_pixel' in metrics) is expected
    assert ('rbdc' in metrics and 'tbdc' in metrics) is expected
    if expected:
        assert metrics['auc_pixel'] == 1.0


def test_true_still_requires_the_masks():
    metric = FrameAUCMetric(smoothing_window=None, pixel_auc=True)
    with pytest.raises(KeyError, match='gt_mask'):
        metric.process(None, [frame('a', 1, 0, False)])


def test_other_values_are_refused():
    with pytest.raises(ValueError, match='pixel_auc must be True, False or'):
        FrameAUCMetric(pixel_auc='yes')
