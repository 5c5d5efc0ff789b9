# The demo config shrunk for the data-wait tests: a tiny C3DSU (widths 8-64)
# on 32x32 frames, batch 2, few windows; the tests set the data paths.
_base_ = ['../../../configs/ddl/c3dsu_synthetic.py']
model = dict(backbone=dict(widths=[8, 16, 32, 64]))
img_scale = (32, 32)  # (width, height)
train_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir='data/unused'),
    dict(type='LoadTrackMasks', box_cache='data/unused/boxes.json'),
    dict(type='PackVADInputs'),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    dataset=dict(
        data_root='data/unused', train_stride=4, pipeline=train_pipeline))
