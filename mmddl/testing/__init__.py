"""Helpers for mmddl's tests; import ``mmddl.testing.toy_modules`` to
register the toy model and dataset."""
