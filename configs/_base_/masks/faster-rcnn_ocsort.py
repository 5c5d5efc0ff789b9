# Masks as in the paper: mmdet's Faster R-CNN (COCO weights that you download
# yourself) feeding OC-SORT. Used beside a dataset config as a second _base_.
detector = dict(
    type='MMDetDetector',
    config='mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
    # Faster R-CNN R50-FPN 1x COCO from mmdet's model zoo
    checkpoint='checkpoints/faster_rcnn_r50_fpn_1x_coco_20200130-047c8118.pth',
    # objects that move through these scenes
    classes=('person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck',
             'skateboard'),
    score_thr=0.5,
    test_scale=(1333, 800),
    device='cpu')
tracker = dict(
    obj_score_thr=0.3,
    init_track_thr=0.7,
    match_iou_thr=0.3,
    num_tentatives=3,
    num_frames_retain=30)
batch_size = 8
