"""Observables of the dipole sector (see hnlfit.physics.dipole)."""
