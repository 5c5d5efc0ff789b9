"""FrameAUCMetric inside mmengine's Runner.test(): data samples arrive as
dicts through the Evaluator, dataset_meta comes from the dataset; beside it
DumpVADScores writes the scores file and VADVisualizationHook the plots
(on the centre frames of the clips of mmengine's TestLoop)."""
import os

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmddl.evaluation.functional import load_scores
from mmddl.structures import VADDataSample

CLIP_LEN = 3


class BlobVideos(Dataset):
    """Two 16-frame videos of 3x12x16 frames; anomalous frames hold a
    bright blob. Every frame with a full window is one sample."""

    def __init__(self):
        self.lengths = {'v1': 16, 'v2': 16}
        self.anomalous = {'v1': range(6, 11), 'v2': range(3, 6)}
        self.items = [(vid, i) for vid, n in self.lengths.items()
                      for i in range(1, n - 1)]
        self.metainfo = dict(clip_len=CLIP_LEN, video_lengths=self.lengths)

    def __len__(self):
        return len(self.items)

    def frame(self, vid, index):
        frame = torch.full((3, 12, 16), 40, dtype=torch.uint8)
        if index in self.anomalous[vid]:
            frame[:, 3:8, 5:10] = 250
        return frame

    def __getitem__(self, idx):
        vid, i = self.items[idx]
        inds = [i - 1, i, i + 1]
        sample = VADDataSample(
            metainfo=dict(video_id=vid, frame_index=i, frame_inds=inds))
        sample.set_gt_label(int(i in self.anomalous[vid]))
        clip = torch.stack([self.frame(vid, j) for j in inds], dim=1)
        return dict(inputs=clip, data_samples=sample)


class CentreBrightness(BaseModel):
    """Scores a window by the mean brightness of its centre frame."""

    def __init__(self):
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        outputs = []
        for clip, sample in zip(inputs, data_samples):
            centre = clip[:, CLIP_LEN // 2].float() / 255
            sample.error_map = centre.mean(0)
            sample.set_pred_score(centre.mean())
            outputs.append(sample)
        return outputs


def test_runner_test_writes_scores_and_plots(tmp_path):
    out_file = str(tmp_path / 'scores.json')
    show_dir = str(tmp_path / 'vis')
    runner = Runner(
        model=CentreBrightness(),
        work_dir=str(tmp_path / 'work'),
        test_dataloader=dict(
            dataset=BlobVideos(),
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=4,
            num_workers=0),
        test_cfg=dict(),
        test_evaluator=[
            dict(type='FrameAUCMetric', smoothing_window=None),
            dict(type='DumpVADScores', smoothing_window=None,
                 out_file=out_file)
        ],
        custom_hooks=[
            dict(type='VADVisualizationHook', smoothing_window=None,
                 show_dir=show_dir)
        ],
        default_scope='mmddl',
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=100)))
    metrics = runner.test()
    assert metrics['vad/auc'] == 1.0
    assert metrics['vad/auc_macro'] == 1.0
    assert not [k for k in metrics if not k.startswith('vad/auc')]
    data = load_scores(out_file)
    assert data['meta']['metrics']['auc'] == 1.0
    np.testing.assert_array_equal(data['videos']['v2']['frame_index'],
                                  np.arange(1, 15))
    np.testing.assert_array_equal(data['videos']['v2']['label'],
                                  [0, 0, 1, 1, 1] + [0] * 9)
    assert sorted(os.listdir(show_dir)) == [
        'v1_heatmaps.png', 'v1_scores.png', 'v2_heatmaps.png',
        'v2_scores.png'
    ]
