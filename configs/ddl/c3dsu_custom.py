# C3DSU + DDL on your own camera's footage (docs/your_own_camera.md), at the
# budget measured on real footage (docs/real_footage.md): the public-code
# variant with widths 8-64 at 128x128, 8 epochs; on 2 CPU cores about 1.5 s
# per batch of 10 windows. For the paper's size use widths [64, 128, 256,
# 512] and img_scale (256, 256) on a GPU.
#   python tools/build_masks.py configs/masks/motion_ocsort_custom.py \
#       --cfg-options data_root=data/mine
#   python tools/train.py configs/ddl/c3dsu_custom.py \
#       --cfg-options data_root=data/mine
_base_ = [
    '../_base_/models/c3dsu_public.py', '../_base_/datasets/custom.py',
    '../_base_/schedules/adam_8e.py', '../_base_/default_runtime.py'
]

model = dict(backbone=dict(widths=[8, 16, 32, 64]))
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=100)]
