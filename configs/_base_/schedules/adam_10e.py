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
# mmengine's EpochBasedTrainLoop, except that --resume from an iteration
# checkpoint continues with the next batch and the saved random states
# (mmddl/engine/runner/resumable_train_loop.py).
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs,
                 val_interval=max_epochs)
# Whole videos are scored by streaming: each frame is encoded once, with the
# same scores as the sliding window (mmddl/engine/runner/streaming_loops.py).
# dict(type='ValLoop') / dict(type='TestLoop') give mmengine's window loops.
val_cfg = dict(type='StreamingValLoop', batch_size=8)
test_cfg = dict(type='StreamingTestLoop', batch_size=8)
