# Training masks for the real-footage check: the weights-free motion
# detector (still camera, pedestrians of about 40x100 px at 768x576)
# feeding OC-SORT.
#   python tools/build_masks.py configs/masks/motion_ocsort_vtest.py
_base_ = ['../_base_/datasets/vtest.py', '../_base_/masks/motion_ocsort.py']
