# The toy run, killed after iteration 3 (its checkpoint saved) to test resume.
_base_ = ['./toy_runtime_check.py']

custom_hooks = [dict(type='InterruptTrainingHook', at=3)]
