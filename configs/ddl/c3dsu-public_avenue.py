# The authors' public-code variant: kernels 3, 5, 7 and the per-pixel
# distinction ratio (configs/_base_/models/c3dsu_public.py).
_base_ = [
    '../_base_/models/c3dsu_public.py', '../_base_/datasets/avenue.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
