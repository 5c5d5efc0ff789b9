# Training masks for the synthetic set: the weights-free motion detector
# (still camera) feeding OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_synthetic.py
_base_ = [
    '../_base_/datasets/synthetic.py', '../_base_/masks/motion_ocsort.py'
]

# 64x64 frames with walkers of about 4x8 px
detector = dict(min_area=12, max_area_ratio=0.5, morph_kernel=3)
# A 1 px step already costs much IoU for such small boxes: a low
# match_iou_thr keeps one id per walker (median track 30 frames instead of 2
# at 0.3, measured on the default synthetic set), and blob scores (the
# foreground share of the box) are ~0.6-1.
tracker = dict(
    match_iou_thr=0.1,
    weight_iou_with_det_scores=False,
    num_tentatives=2)
