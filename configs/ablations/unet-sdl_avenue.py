# SDL ablation: sigma fixed at 0.5 (l not trained).
_base_ = ['../ddl/unet_avenue.py']
model = dict(pseudo_anomaly=dict(learnable=False, init_logit=0.0))
