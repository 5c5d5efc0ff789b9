# The paper's detector on the synthetic set (Faster R-CNN + OC-SORT), for
# comparison with the weights-free motion detector; needs COCO weights.
#   python tools/build_masks.py configs/masks/faster-rcnn_ocsort_synthetic.py \
#       --cfg-options detector.checkpoint=PATH/TO/weights.pth
_base_ = ['../_base_/datasets/synthetic.py']

detector = dict(
    type='MMDetDetector',
    config='mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
    checkpoint='checkpoints/faster_rcnn_r50_fpn_1x_coco_20200130-047c8118.pth',
    classes=('person', ),
    score_thr=0.5,
    test_scale=(256, 256),
    device='cpu')
tracker = dict(
    obj_score_thr=0.3, init_track_thr=0.7, match_iou_thr=0.1,
    num_tentatives=2, num_frames_retain=30)
batch_size = 8
