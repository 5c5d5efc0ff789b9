# C3DSU as in the authors' public code (demetrislappas/DDL): three branches
# with kernels 3, 5, 7 (99.0 M parameters; 386 GFLOP per frame at 256x256,
# T=3, or 357 with the centre-slice skips). The distinction loss is the
# paper's ratio of norms (Eq. 7), not the public code's mean per-pixel
# ratio: on real footage the per-pixel ratio made DDL reconstruct worse
# than its own ablation, with sigma(l) falling (docs/real_footage.md). The
# authors' loss: --cfg-options model.loss_dist.reduction=pixel_ratio
_base_ = ['./c3dsu.py']
model = dict(
    backbone=dict(branch_kernels=[3, 5, 7]),
    loss_dist=dict(reduction='norm_ratio'))
