# The synthetic VAD set from tools/make_synthetic_dataset.py (frames/ layout
# with frame_labels_synthetic.npy): the default for the demo and the tests.
# Make it with `python tools/make_synthetic_dataset.py data/synthetic`.
_base_ = ['./ped2.py']

dataset_type = 'FrameFolderVADDataset'
data_root = 'data/synthetic'
img_scale = (64, 64)
# Paths under the dataset's data_root, resolved when it is built, so that
# setting data_root alone (--cfg-options data_root=X) re-points them too.
frame_cache = 'cache'
box_cache = 'boxes/train_boxes.json'

train_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(
        type='LoadTrackMasks',
        box_cache=box_cache,
        mask_config='configs/masks/motion_ocsort_synthetic.py'),
    dict(type='PackVADInputs'),
]
test_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(type='PackVADInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type=dataset_type, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type=dataset_type, pipeline=test_pipeline))
test_dataloader = val_dataloader
