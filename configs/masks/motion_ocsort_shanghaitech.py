# Training masks for shanghaitech with the weights-free motion detector and OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_shanghaitech.py
_base_ = ['../_base_/datasets/shanghaitech.py', '../_base_/masks/motion_ocsort.py']
