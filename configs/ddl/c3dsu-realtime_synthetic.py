# The real-time model (the one of configs/ddl/c3dsu_custom.py: the public
# variant, kernels 3/5/7, widths 8-64) on the synthetic demo, to compare its
# AUC with the full-size demo config (c3dsu_synthetic.py, widths 16-128).
# c3dsu_custom.py streams at 50 frames/s on a 2-core CPU at 128x128
# (docs/deploy.md).
_base_ = ['./c3dsu_synthetic.py']

model = dict(
    backbone=dict(widths=[8, 16, 32, 64], branch_kernels=[3, 5, 7]),
    loss_dist=dict(reduction='pixel_ratio'))
