# The default runtime with a TensorBoard backend beside the local one
# (needs `pip install tensorboard`). Use it as a second _base_ entry.
_base_ = './default_runtime.py'

vis_backends = [
    dict(type='LocalVisBackend'),
    dict(type='TensorboardVisBackend'),
]
visualizer = dict(vis_backends=vis_backends)
