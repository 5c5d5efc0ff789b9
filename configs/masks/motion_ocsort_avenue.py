# Training masks for avenue with the weights-free motion detector and OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_avenue.py
_base_ = ['../_base_/datasets/avenue.py', '../_base_/masks/motion_ocsort.py']
