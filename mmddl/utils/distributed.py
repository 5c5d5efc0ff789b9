"""Distributed training on CPU-only torch with mmengine 0.10.7.

mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device`` and its DDP
wrapper passes ``device_ids=[LOCAL_RANK]``; both fail without CUDA. On a
machine without CUDA the tools initialise a gloo process group from torchrun's
environment before building the Runner (which then skips its own init) and
build DDP with ``device_ids=None``.

Example:
    >>> # inside tools/train.py, before Runner.from_cfg(cfg)
    >>> # prepare_cpu_distributed(cfg, launcher='pytorch')
"""
import os

import torch
import torch.distributed as dist


def prepare_cpu_distributed(cfg, launcher: str) -> bool:
    """Set up gloo and a CPU-capable DDP wrapper when there is no CUDA.

    Args:
        cfg (Config): The config; its ``model_wrapper_cfg`` is filled in when
            the user did not give one.
        launcher (str): The ``--launcher`` value.

    Returns:
        bool: True when the CPU path was taken.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise RuntimeError(
            f"--launcher {launcher} needs CUDA on this mmengine; on CPU use "
            "--launcher pytorch through tools/dist_train.sh (torchrun).")
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        if key not in os.environ:
            raise RuntimeError(
                f'--launcher pytorch expects ${key} from torchrun; start with '
                'bash tools/dist_train.sh CONFIG NPROC')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None)
    return True


def destroy_distributed() -> None:
    """Tear the process group down before the interpreter exits.

    mmengine never destroys it; with gloo, its threads then die in C++
    destructors at exit and a finished run can still abort with
    "terminate called without an active exception".
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
