default_scope = 'mmddl'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Checkpoints are written to a temporary file and renamed, so a run
    # killed while saving never leaves a truncated checkpoint.
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # Stops at the first NaN/inf loss, naming the iteration and sigma(l).
    nan_guard=dict(type='NaNGuardHook'),
    # Model and data must agree (T, frame size, patch size) before training.
    config_check=dict(type='VADConfigCheckHook'),
    # Says per epoch whether DDL works (sigma(l), windows with a mask, the
    # distinction ratio, masked vs unmasked error); no mask at all is an
    # error before training starts.
    ddl_monitor=dict(type='DDLMonitorHook'),
    # Saves the random states with each checkpoint (restored by the train
    # loop on --resume) and removes temporaries a killed save left.
    exact_resume=dict(type='ExactResumeHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

# Local files always. For TensorBoard (needs `pip install tensorboard`) use
# default_runtime_tensorboard.py in this one's place, or set
# visualizer.vis_backends in a config of your own (docs/training.md,
# "TensorBoard"); --cfg-options cannot give a list of dicts.
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='Visualizer', vis_backends=vis_backends, name='visualizer')

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
