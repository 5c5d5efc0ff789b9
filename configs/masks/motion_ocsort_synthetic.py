# Training masks for the synthetic set: the weights-free motion detector
# (still camera) feeding OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_synthetic.py
_base_ = ['../_base_/datasets/synthetic.py']

detector = dict(
    type='MotionBlobDetector',
    diff_thr=25,
    min_area=12,
    max_area_ratio=0.5,
    morph_kernel=3,
    background_frames=50)
# Blob scores are the foreground share of their box (compact blobs ~0.6-1).
# The objects are about 4x8 px, so a 1 px step already costs much IoU: a low
# match_iou_thr keeps one id per walker (median track 30 frames instead of 2
# at the default 0.3, measured on the default synthetic set).
tracker = dict(
    obj_score_thr=0.3,
    init_track_thr=0.5,
    match_iou_thr=0.1,
    weight_iou_with_det_scores=False,
    num_tentatives=2,
    num_frames_retain=30)
batch_size = 32
