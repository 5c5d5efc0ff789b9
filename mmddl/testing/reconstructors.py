"""Small eval-mode reconstructors for tests of the inference options."""
import torch

from mmddl.registry import MODELS
from mmddl.setup_env import register_all_modules


def build_tiny_reconstructor(widths=(8, 16), **test_cfg):
    """A C3DSU ``DDLReconstructor`` in eval mode, 8x8 score patches.

    Example:
        >>> model = build_tiny_reconstructor(fuse_blocks=False)
        >>> model.training
        False
    """
    register_all_modules()
    return MODELS.build(
        dict(type='DDLReconstructor',
             backbone=dict(type='C3DSU', widths=tuple(widths)),
             test_cfg=dict(patch_size=8, **test_cfg))).eval()


def randomise_bn_stats(model, mean_range=0.3, var_range=(0.5, 1.5),
                       affine=False):
    """Random running statistics in every BatchNorm2d, so that a test of
    folding or of numerics does not pass on the trivial (0, 1) ones; with
    ``affine``, random scales and shifts too. An eval-mode reconstructor
    gets its deployed model built again from them (in-place writes are
    not watched)."""
    for norm in model.modules():
        if isinstance(norm, torch.nn.BatchNorm2d):
            norm.running_mean.uniform_(-mean_range, mean_range)
            norm.running_var.uniform_(*var_range)
            if affine:
                norm.weight.data.uniform_(0.5, 1.5)
                norm.bias.data.uniform_(-0.3, 0.3)
    if not model.training and hasattr(model, 'switch_to_deploy'):
        model.switch_to_deploy()
    return model
