# Training masks for avenue with the weights-free motion detector (the camera
# is still) and OC-SORT; no weights needed.
#   python tools/build_masks.py configs/masks/motion_ocsort_avenue.py
_base_ = ['../_base_/datasets/avenue.py']

detector = dict(
    type='MotionBlobDetector',
    diff_thr=25,
    min_area=60,
    max_area_ratio=0.3,
    morph_kernel=5,
    background_frames=50)
tracker = dict(
    obj_score_thr=0.3, init_track_thr=0.5, match_iou_thr=0.3,
    num_tentatives=3, num_frames_retain=30)
batch_size = 32
