"""Observables of the LHC sector (see hnlfit.physics.lhc)."""
