# The demo: C3DSU + DDL on the synthetic set (tools/make_synthetic_dataset.py,
# masks from configs/masks/motion_ocsort_synthetic.py), small enough to train
# on 2 CPU cores in minutes. Everything else as in the paper's recipe.
_base_ = [
    '../_base_/models/c3dsu.py', '../_base_/datasets/synthetic.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(widths=[16, 32, 64, 128]),
    # 64x64 frames: 8x8 patches fit the ~4x8 px walkers
    test_cfg=dict(patch_size=8))

max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[int(0.8 * max_epochs)],
        gamma=0.5)
]
# A 472-iteration schedule leaves BatchNorm's running statistics at the
# mercy of the last few batches; recompute them over 100 clean batches
# after the last epoch (the weights are not touched).
precise_bn = dict(type='PreciseBNHook', num_batches=100, interval=max_epochs)
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=100), precise_bn]
default_hooks = dict(logger=dict(interval=20))
