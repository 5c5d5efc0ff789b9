# The paper's detector on the synthetic set (Faster R-CNN + OC-SORT), for
# comparison with the weights-free motion detector; needs COCO weights.
#   python tools/build_masks.py configs/masks/faster-rcnn_ocsort_synthetic.py \
#       --cfg-options detector.checkpoint=PATH/TO/weights.pth
_base_ = [
    '../_base_/datasets/synthetic.py', '../_base_/masks/faster-rcnn_ocsort.py'
]
detector = dict(classes=('person', ), test_scale=(256, 256))
# walkers of about 4x8 px: see motion_ocsort_synthetic.py
tracker = dict(match_iou_thr=0.1, num_tentatives=2)
