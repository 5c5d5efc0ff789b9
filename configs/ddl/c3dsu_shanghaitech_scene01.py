# C3DSU + DDL on ShanghaiTech scene 01 only (one model per scene, as in the
# paper); test the 13 scene models and take the median of their AUCs.
_base_ = ['./c3dsu_shanghaitech.py']
scene = '01'
train_dataloader = dict(dataset=dict(scene=scene))
val_dataloader = dict(dataset=dict(scene=scene))
test_dataloader = dict(dataset=dict(scene=scene))
