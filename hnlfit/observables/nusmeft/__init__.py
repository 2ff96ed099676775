"""Observables of the nusmeft sector (see hnlfit.physics.nusmeft)."""
