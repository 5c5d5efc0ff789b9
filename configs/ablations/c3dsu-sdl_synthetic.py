# SDL on the synthetic set: sigma fixed at 0.5 (l not trained).
_base_ = ['../ddl/c3dsu_synthetic.py']
model = dict(pseudo_anomaly=dict(learnable=False, init_logit=0.0))
