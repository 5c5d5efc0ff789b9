# Training masks for ped2 as in the paper: Faster R-CNN + OC-SORT.
#   python tools/build_masks.py configs/masks/faster-rcnn_ocsort_ped2.py \
#       --device cuda --cfg-options detector.checkpoint=PATH/TO/weights.pth
_base_ = ['../_base_/datasets/ped2.py', '../_base_/masks/faster-rcnn_ocsort.py']
