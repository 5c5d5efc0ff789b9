# build_masks.py with a randomly initialised mmdet Faster R-CNN (no weights
# anywhere): exercises the mmdet path end to end on tiny frames in tests.
_base_ = ['../../../configs/masks/faster-rcnn_ocsort_synthetic.py']

detector = dict(
    checkpoint=None,
    allow_random_weights=True,
    classes=None,
    score_thr=0.0,
    test_scale=(96, 96),
    # random weights score everything low: keep what the RPN proposes
    cfg_options=dict(model=dict(test_cfg=dict(rcnn=dict(score_thr=0.0)))))
tracker = dict(init_track_thr=0.0, obj_score_thr=0.0)
batch_size = 4
