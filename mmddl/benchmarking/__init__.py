"""The measuring harness behind ``tools/benchmark.py``: frames/s, training
iterations/s, FLOPs, peak memory and the data loader's share of a step.

Tooling, not part of the inference API (:mod:`mmddl.apis`); nothing in the
library imports it.
"""
