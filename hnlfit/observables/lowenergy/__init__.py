"""Observables of the low-energy dipole portal (see hnlfit.physics.lowenergy)."""
