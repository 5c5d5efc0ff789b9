# DDL's schedule (docs/method.md, section 7): Adam lr 1e-2, 10 epochs,
# learning rate halved after 80 % of the epochs.
max_epochs = 10
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-2))
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[int(0.8 * max_epochs)],
        gamma=0.5)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
