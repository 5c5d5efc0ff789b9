# CUHK Avenue (docs/datasets.md); decode the videos first with
# `python tools/prepare_dataset.py avenue data/avenue`. Test labels:
# label_source='masks' (volLabel, 3,712 anomalous frames), 'ffp' (avenue.mat
# or frame_labels_avenue.npy, 3,867) or 'auto' (masks when present). Frames
# are decoded and resized once into a memory-mapped cache beside the data;
# masks come from tools/build_masks.py.
dataset_type = 'AvenueDataset'
data_root = 'data/avenue'
clip_len = 3
img_scale = (256, 256)  # (width, height)
# Paths under the dataset's data_root, resolved when it is built, so that
# setting data_root alone (--cfg-options data_root=X) re-points them too.
frame_cache = 'cache'
box_cache = 'boxes/train_boxes.json'

train_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(
        type='LoadTrackMasks',
        box_cache=box_cache,
        # named in the error when the cache is missing
        mask_config=[
            'configs/masks/faster-rcnn_ocsort_avenue.py',
            'configs/masks/motion_ocsort_avenue.py'
        ]),
    dict(type='PackVADInputs'),
]
test_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(type='PackVADInputs'),
]

train_dataloader = dict(
    batch_size=10,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        split='train',
        clip_len=clip_len,
        train_stride=1,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=10,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        split='test',
        clip_len=clip_len,
        label_source='auto',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

# The test videos' pixel masks (testing_label_mask/) also give the
# pixel-level AUC and the region/track-based RBDC and TBDC (vad/auc_pixel,
# vad/rbdc, vad/tbdc) at test time, where every test video has its masks
# ('auto'; docs/evaluation.md); --cfg-options test_evaluator.region_auc=False
# skips the slower RBDC/TBDC.
val_evaluator = dict(type='FrameAUCMetric', smoothing_window=17)
test_evaluator = dict(val_evaluator, pixel_auc='auto', region_auc='auto')
