from .backbones import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .pseudo_anomaly import *  # noqa: F401,F403
from .reconstructors import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
