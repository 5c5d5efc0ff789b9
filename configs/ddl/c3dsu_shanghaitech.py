# C3DSU + DDL on ShanghaiTech Campus. The paper trains one model per scene
# and reports the median of the per-scene AUCs; choose the scene with the
# top-level `scene` (every dataset takes it):
#   python tools/train.py configs/ddl/c3dsu_shanghaitech.py \
#       --cfg-options scene=01 --work-dir work_dirs/c3dsu_shanghaitech_scene01
# (for s in 01 02 ... 12; a shell loop or one cluster job each). Without a
# scene, one model is trained on all scenes at once.
_base_ = [
    '../_base_/models/c3dsu.py', '../_base_/datasets/shanghaitech.py',
    '../_base_/schedules/adam_10e.py', '../_base_/default_runtime.py'
]
custom_hooks = [dict(type='SigmaLoggerHook', plot_interval=500)]
