# The paper's UNet baseline: the C3DSU U-Net on single frames (T = 1), no
# Conv3d skips, trained with DDL.
_base_ = ['./c3dsu.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='UNet2D',
        in_channels=3,
        clip_len=1,  # must equal the dataset's clip_len
        widths=[64, 128, 256, 512],
        branch_kernels=[3, 3, 3, 3],
        output_activation='sigmoid'))
