"""Observables of the forward sector (see hnlfit.physics.forward)."""
