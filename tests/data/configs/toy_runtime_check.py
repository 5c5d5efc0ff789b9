# A few-second training run on a toy regression problem; the tests use it to
# check the runner plumbing (resume, launchers) independently of any model.
_base_ = ['../../../configs/_base_/default_runtime.py']

custom_imports = dict(
    imports=['mmddl.testing.toy_modules'], allow_failed_imports=False)
model = dict(type='ToyRegressor')
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='ToyRegressionDataset', length=40))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[4])]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=6)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=3, max_keep_ckpts=5))
log_processor = dict(by_epoch=False)
