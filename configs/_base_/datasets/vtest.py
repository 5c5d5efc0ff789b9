# The real-footage check (docs/real_footage.md): OpenCV's vtest.avi cut into
# 5 normal training clips and 3 test clips with injected anomalies by
# tools/benchmarks/make_real_footage_set.py (frames layout with
# frame_labels_vtest.npy). 768x576 source frames, trained at 128x128 with the
# pipelines and loaders of your own camera's data (custom.py).
_base_ = ['./custom.py']

dataset_type = 'FrameFolderVADDataset'
data_root = 'data/vtest'
train_dataloader = dict(dataset=dict(type=dataset_type))
val_dataloader = dict(dataset=dict(type=dataset_type))
test_dataloader = val_dataloader
