"""Registered predictions, grouped by sector (nusmeft/, dipole/, forward/, published).

Importing this package registers the built-in observables (:mod:`.builtin`); plugins add
theirs with :func:`hnlfit.observable`.
"""
from . import builtin  # noqa: F401
