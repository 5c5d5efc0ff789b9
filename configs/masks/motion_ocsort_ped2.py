# Training masks for ped2 with the weights-free motion detector and OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_ped2.py
_base_ = ['../_base_/datasets/ped2.py', '../_base_/masks/motion_ocsort.py']
