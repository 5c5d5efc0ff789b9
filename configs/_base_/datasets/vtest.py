# The real-footage check (docs/real_footage.md): OpenCV's vtest.avi cut into
# 5 normal training clips and 3 test clips with injected anomalies by
# tools/benchmarks/make_real_footage_set.py (frames layout with
# frame_labels_vtest.npy). 768x576 source frames, trained at 128x128.
_base_ = ['./ped2.py']

dataset_type = 'FrameFolderVADDataset'
data_root = 'data/vtest'
img_scale = (128, 128)
# Paths under the dataset's data_root, resolved when it is built, so that
# setting data_root alone (--cfg-options data_root=X) re-points them too.
frame_cache = 'cache'
box_cache = 'boxes/train_boxes.json'

train_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(
        type='LoadTrackMasks',
        box_cache=box_cache,
        mask_config='configs/masks/motion_ocsort_vtest.py'),
    dict(type='PackVADInputs'),
]
test_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(type='PackVADInputs'),
]
train_dataloader = dict(
    batch_size=10,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type=dataset_type, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=10,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type=dataset_type, pipeline=test_pipeline))
test_dataloader = val_dataloader
