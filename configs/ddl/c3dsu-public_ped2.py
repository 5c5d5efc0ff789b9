# The authors' public-code variant: kernels 3, 5, 7, with the paper's ratio
# of norms as distinction loss (configs/_base_/models/c3dsu_public.py says
# why; the authors' per-pixel ratio: model.loss_dist.reduction=pixel_ratio).
_base_ = [
    '../_base_/models/c3dsu_public.py', '../_base_/datasets/ped2.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
