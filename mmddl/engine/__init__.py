from mmddl.utils import register_safe_checkpoint_loader
from .hooks import *  # noqa: F401,F403
from .optim_wrappers import *  # noqa: F401,F403
from .runner import *  # noqa: F401,F403

# Building anything in the mmddl scope imports this package first, so the
# torch >= 2.6 checkpoint fix is in place before any resume or load_from.
register_safe_checkpoint_loader()
