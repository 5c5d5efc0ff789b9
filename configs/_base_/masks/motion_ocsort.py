# Weights-free masks: background subtraction + connected components (still
# cameras) feeding OC-SORT. Used beside a dataset config as a second _base_.
detector = dict(
    type='MotionBlobDetector',
    diff_thr=25,
    min_area=60,
    max_area_ratio=0.3,
    morph_kernel=5,
    background_frames=50)
tracker = dict(
    obj_score_thr=0.3,
    init_track_thr=0.5,
    match_iou_thr=0.3,
    num_tentatives=3,
    num_frames_retain=30)
batch_size = 32
