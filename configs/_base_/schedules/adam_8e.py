# The short schedule of the CPU-sized configs (your own camera, the
# real-footage check): DDL's Adam lr 1e-2 for 8 epochs, the learning rate
# halved after 80 % of them (6 epochs), validation after the last.
_base_ = ['./adam_10e.py']
max_epochs = 8
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[int(0.8 * max_epochs)],
        gamma=0.5)
]
