"""Check that the model and the data agree before any work is done."""
from mmengine.hooks import Hook

from mmddl.engine.model_unwrap import unwrap_model
from mmddl.registry import HOOKS


class ConfigMismatchError(ValueError):
    """A config value that cannot work with another, named by key."""


def _frame_scale(dataset_cfg):
    for step in dataset_cfg.get('pipeline', []) or []:
        if str(step.get('type', '')).split('.')[-1] == 'LoadFrameWindow':
            return step.get('scale')
    return None


@HOOKS.register_module()
class VADConfigCheckHook(Hook):
    """Fail at start, naming the keys, when model and data cannot match.

    Checked for every dataloader of the run: the dataset's ``clip_len``
    equals the backbone's T, the frame size fits the backbone's down-sampling
    (divisible by 2 ** levels) and ``model.test_cfg.patch_size`` fits in a
    frame. Without it these surface at the first validation, after a whole
    training. Models without ``clip_len`` (not VAD reconstructors) are left
    alone.

    Examples:
        >>> default_hooks = dict(config_check=dict(type='VADConfigCheckHook'))
    """
    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        model = unwrap_model(runner.model)
        clip_len = getattr(model, 'clip_len', None)
        if clip_len is None:
            return
        levels = len(getattr(model.backbone, 'widths', ()))
        patch = getattr(model, 'test_cfg', {}).get('patch_size')
        for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            loader = runner.cfg.get(name)
            if not loader or 'dataset' not in loader:
                continue
            dataset = loader['dataset']
            data_t = dataset.get('clip_len', 3)
            if data_t != clip_len:
                raise ConfigMismatchError(
                    f'{name}.dataset.clip_len={data_t} but '
                    f'model.backbone.clip_len={clip_len}: the windows must '
                    'have the T frames the model was built for')
            scale = _frame_scale(dataset)
            if scale is None:
                continue
            width, height = scale
            step = 2**levels
            if levels and (width % step or height % step):
                raise ConfigMismatchError(
                    f'{name}: frames of {width}x{height} (LoadFrameWindow '
                    f'scale) do not divide by {step}, which the '
                    f'{levels}-level backbone needs; change the scale or '
                    'model.backbone.widths')
            if name != 'train_dataloader' and patch is not None and (
                    patch > min(width, height)):
                raise ConfigMismatchError(
                    f'model.test_cfg.patch_size={patch} is larger than the '
                    f'{width}x{height} frames of {name}')
