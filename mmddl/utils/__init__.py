from .atomic_backend import (AtomicLocalBackend, atomic_output,
                             atomic_write_bytes)
from .checkpoint_loading import (UntrustedCheckpointError,
                                 checkpoint_safe_globals, checkpoints_trusted,
                                 load_local_checkpoint,
                                 register_safe_checkpoint_loader,
                                 trust_checkpoints)
from .config_loading import fill_dataset_defaults
from .config_text import UnsafeConfigError, config_from_text
from .distributed import destroy_distributed, prepare_cpu_distributed

__all__ = [
    'AtomicLocalBackend', 'atomic_output', 'atomic_write_bytes',
    'UntrustedCheckpointError',
    'checkpoint_safe_globals', 'checkpoints_trusted', 'load_local_checkpoint',
    'register_safe_checkpoint_loader', 'trust_checkpoints',
    'fill_dataset_defaults', 'config_from_text',
    'UnsafeConfigError', 'prepare_cpu_distributed',
    'destroy_distributed'
]
