"""The magnetic-moment (dipole) portal at low energies (seed 001; issue 13).

Solar neutrinos up-scattering to an HNL on electrons and nuclei in xenon detectors and
Borexino, SN 1987A, stellar cooling, cosmology and the light neutrinos' own moments.
Convention: L ⊃ d_α ν̄_α σ^{μν} N F_{μν} + h.c. (seed 003 eq. 2.1), so the transition
magnetic moment is μ_ν = 2 d (the slides' L ⊃ ½ μ ν̄ σ N F); μ_B = e/(2 m_e).
Derivations: docs/derivations/low_energy.md.
"""
