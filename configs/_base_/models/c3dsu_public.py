# C3DSU as in the authors' public code (demetrislappas/DDL): three branches
# with kernels 3, 5, 7 (99.0 M parameters; 386 GFLOP per frame at 256x256,
# T=3, or 357 with the centre-slice skips) and the distinction loss as the
# mean per-pixel ratio over the masked pixels.
_base_ = ['./c3dsu.py']
model = dict(
    backbone=dict(branch_kernels=[3, 5, 7]),
    loss_dist=dict(reduction='pixel_ratio'))
