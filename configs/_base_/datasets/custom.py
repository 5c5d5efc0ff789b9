# Your own camera (docs/your_own_camera.md): video files (.mp4, .avi, .mkv,
# .mov) or frame folders under data_root, decoded once automatically.
#   <data_root>/training/*.mp4              normal footage
#   <data_root>/testing/*.mp4               optional, with
#   <data_root>/test_labels.json            {"<video>": [[start, end], ...]}
# Without testing/ the model trains without validation. Set data_root
# (--cfg-options data_root=data/mine) and nothing else.
_base_ = ['./ped2.py']

dataset_type = 'VideoFolderVADDataset'
data_root = 'data/custom'
img_scale = (128, 128)
frame_cache = 'cache'  # under data_root
box_cache = 'boxes/train_boxes.json'

train_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(type='LoadTrackMasks', box_cache=box_cache),
    dict(type='PackVADInputs'),
]
test_pipeline = [
    dict(type='LoadFrameWindow', scale=img_scale, cache_dir=frame_cache),
    dict(type='PackVADInputs'),
]
train_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(type=dataset_type, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(type=dataset_type, pipeline=test_pipeline))
test_dataloader = val_dataloader
