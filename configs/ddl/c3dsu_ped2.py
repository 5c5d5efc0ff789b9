_base_ = [
    '../_base_/models/c3dsu.py', '../_base_/datasets/ped2.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
# sigma(l) every iteration to the visualizer, its curve (paper Fig. 5) to
# <work_dir>/sigma_curve.png every 500 iterations and at the end.
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
