# C3DSU trained with DDL, as in the paper (docs/method.md, sections 4-6):
# four 3x3 branches per block, the learnable anomaly weight sigma(l) and the
# distinction loss as a ratio of norms with lambda = 0.01.
model = dict(
    type='DDLReconstructor',
    data_preprocessor=dict(type='VADDataPreprocessor'),
    backbone=dict(
        type='C3DSU',
        in_channels=3,
        clip_len=3,  # must equal the dataset's clip_len
        widths=[64, 128, 256, 512],
        branch_kernels=[3, 3, 3, 3],
        skip_kernel=3,
        # 'centre' computes only the used time slice of each skip Conv3d
        # (same weights and output as 'full', the authors' way, 1/T the work)
        skip_conv_mode='centre',
        output_activation='sigmoid'),
    pseudo_anomaly=dict(
        type='AdaptivePseudoAnomaly', learnable=True, init_logit=0.0),
    loss_recon=dict(type='ReconstructionLoss'),
    loss_dist=dict(
        type='DistinctionLoss',
        reduction='norm_ratio',
        eps=1e-6,
        loss_weight=0.01),  # lambda
    # The corrupted batch's forward updates BatchNorm's running statistics
    # too, as in the authors' code (False: clean windows only).
    bn_stats_from_pseudo=True,
    test_cfg=dict(
        patch_size=16,
        shifted_grid=True,
        with_pred_frame=False,
        # speed at test time: 'bfloat16' runs the backbone under autocast
        # (CPUs with AVX-512 BF16, CUDA; scores within 1 %), channels_last
        # stores the 2-D weights channels-last (exact)
        autocast=None,
        channels_last=False,
        # inference runs a copy of the backbone with eval BatchNorm folded
        # into the convs, same-kernel branches merged and the pixel
        # (un)shuffles folded into the 1x1 convs (same scores to 1e-5)
        fuse_blocks=True,
        # True or torch.compile arguments, e.g. dict(backend='inductor',
        # dynamic=False): compiled on the first inference call
        compile=False))
