# "Without DDL" ablation: reconstruction loss only; no pseudo anomaly, no
# noise, no second forward, no distinction loss.
_base_ = ['../ddl/unet_ped2.py']
model = dict(pseudo_anomaly=None, loss_dist=None)
custom_hooks = []
