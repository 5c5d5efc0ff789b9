# A tiny C3DSU (widths 8-64) on 32x32 frames for the inference tests.
_base_ = ['../../../configs/_base_/models/c3dsu.py']
model = dict(
    backbone=dict(widths=[8, 16, 32, 64]), test_cfg=dict(patch_size=8))
img_scale = (32, 32)  # (width, height)
test_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale),
    dict(type='PackVADInputs'),
]
test_dataloader = dict(
    dataset=dict(
        type='FrameFolderVADDataset',
        data_root='data/unused',
        pipeline=test_pipeline))
