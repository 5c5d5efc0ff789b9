# UCSD Ped2 (docs/datasets.md). data_root is the original UCSDped2 folder
# (Train/, Test/ with the _gt masks and UCSDped2.m) or an FFP "frames" copy
# (training/frames, testing/frames, ped2.mat). Test labels: the .m file's
# gt_frame ranges, else the _gt masks (Ped2Dataset's label_source). Frames are
# decoded and resized once into a memory-mapped cache beside the data; masks
# come from tools/build_masks.py.
dataset_type = 'Ped2Dataset'
data_root = 'data/ped2'
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
            'configs/masks/faster-rcnn_ocsort_ped2.py',
            'configs/masks/motion_ocsort_ped2.py'
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
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

# The test videos' pixel masks (Test/TestNNN_gt/) also give the pixel-level
# AUC and the region/track-based RBDC and TBDC (vad/auc_pixel, vad/rbdc,
# vad/tbdc) at test time, where every test video has its masks ('auto';
# docs/evaluation.md); --cfg-options test_evaluator.region_auc=False skips
# the slower RBDC/TBDC.
val_evaluator = dict(type='FrameAUCMetric', smoothing_window=17)
test_evaluator = dict(val_evaluator, pixel_auc='auto', region_auc='auto')
