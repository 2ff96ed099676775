"""Observables of the UV models (issue 12): the moments they predict and their own flavour,
universality, electroweak and direct-search constraints.  They read the UV parameters of
the point; the EFT observables read the EFT parameters the model maps them onto
(:mod:`hnlfit.models`)."""
from . import leptoquark, vll  # noqa: F401
