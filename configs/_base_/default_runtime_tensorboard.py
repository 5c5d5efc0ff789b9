# The default runtime with a TensorBoard backend beside the local one
# (needs `pip install tensorboard`). Use it in place of default_runtime.py
# (listing both as _base_ entries fails: mmengine refuses duplicate keys).
_base_ = './default_runtime.py'

vis_backends = [
    dict(type='LocalVisBackend'),
    dict(type='TensorboardVisBackend'),
]
visualizer = dict(vis_backends=vis_backends)
