"""Physics of the UV models behind the dipoles (issue 12): loop functions, matching,
charged-lepton flavour violation, lepton universality, Z couplings, leptoquark observables.

Pure vectorized functions of numpy arrays (GeV units); the derivations are in
docs/derivations/uv_models.md.
"""
