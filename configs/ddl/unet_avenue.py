_base_ = [
    '../_base_/models/unet.py', '../_base_/datasets/avenue.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
# The baseline sees single frames: T = 1 for the model and the data.
clip_len = 1
train_dataloader = dict(dataset=dict(clip_len=clip_len))
val_dataloader = dict(dataset=dict(clip_len=clip_len))
test_dataloader = val_dataloader
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
