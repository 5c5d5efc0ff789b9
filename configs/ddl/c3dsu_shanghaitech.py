# C3DSU + DDL on ShanghaiTech Campus. The paper trains one model per scene
# (configs/ddl/c3dsu_shanghaitech_sceneNN.py) and reports the median of the
# per-scene AUCs; this config trains one model on all scenes at once.
_base_ = [
    '../_base_/models/c3dsu.py', '../_base_/datasets/shanghaitech.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
