# Training masks for your own camera: the weights-free motion detector (a
# still camera) feeding OC-SORT. detector.min_area is the smallest object in
# source pixels: about a tenth of a person's box at your camera's
# resolution (docs/your_own_camera.md says how to tune and look).
#   python tools/build_masks.py configs/masks/motion_ocsort_custom.py \
#       --cfg-options data_root=data/mine
_base_ = ['../_base_/datasets/custom.py', '../_base_/masks/motion_ocsort.py']
