# "Without DDL" on the synthetic set: reconstruction loss only (the demo
# prints it beside C3DSU + DDL).
_base_ = ['../ddl/c3dsu_synthetic.py']
model = dict(pseudo_anomaly=None, loss_dist=None)
custom_hooks = [{{_base_.precise_bn}}]
