"""Monophoton and Z-decay observables of the dipole portal at e+e- colliders.

Physics in :mod:`hnlfit.physics.monophoton` (derivation: docs/derivations/monophoton.md).
Each prediction is the signal an analysis would see: e+e- -> N nu-bar + N-bar nu (or
Z -> nu N), the N decaying to nu gamma inside the calorimeter, the photon passing the cuts.
The analyses (energies, cuts, detector radii, luminosities) are listed in
``hnlfit/data/monophoton_analyses.yaml``; ``sigma_monophoton`` takes any of them by name.
"""
from __future__ import annotations

from ...physics.dipole import monophoton as mono
from ..registry import observable

_F = ("e", "mu", "tau")
_DIPOLES = ("m_N",) + tuple(f"d_{k}_{f}" for k in ("gamma", "Z", "W") for f in _F)
_REFS = ("2301.06050 (seed 002: LEP/CEPC monophoton and Z decays)",
         "docs/derivations/monophoton.md (N polarisation, acceptance tables)")


@observable("sigma_monophoton", unit="pb", tex=r"\sigma(e^+e^-\to N\nu\to\gamma+\mathrm{inv})",
            params=_DIPOLES, refs=_REFS, sm=0.0,
            args={"analysis": "delphi_lep2", "majorana": False},
            description="Accepted monophoton cross section of a named analysis "
                        "(see hnlfit/data/monophoton_analyses.yaml)")
def sigma_monophoton(p, analysis="delphi_lep2", majorana=False):
    """Accepted monophoton signal cross section (pb) of ``analysis``."""
    return mono.sigma_monophoton(p, analysis, majorana=bool(majorana))


@observable("sigma_monophoton_delphi", unit="pb",
            tex=r"\sigma_{\gamma+\mathrm{inv}}^{\rm DELPHI}", params=_DIPOLES,
            refs=_REFS + ("DELPHI, Eur. Phys. J. C 38 (2005) 395",), sm=0.0,
            args={"majorana": False},
            description="DELPHI LEP2 single-photon signal (205.4 GeV, 0.06<x<1.1, 45-135 deg), pb")
def sigma_monophoton_delphi(p, majorana=False):
    """DELPHI LEP2 single-photon signal cross section within its acceptance (pb)."""
    return mono.sigma_monophoton(p, "delphi_lep2", majorana=bool(majorana))


@observable("sigma_monophoton_opal", unit="pb",
            tex=r"\sigma_{\gamma+\mathrm{inv}}^{\rm OPAL}(E_\gamma>23\,\mathrm{GeV})",
            params=_DIPOLES, refs=_REFS + ("OPAL, Z. Phys. C 65 (1995) 47",), sm=0.0,
            args={"majorana": False},
            description="OPAL LEP1 single-photon signal at the Z peak (E_gamma > 23 GeV), pb")
def sigma_monophoton_opal(p, majorana=False):
    """OPAL single-photon signal cross section at the Z peak, E_gamma > 23 GeV (pb)."""
    return mono.sigma_monophoton(p, "opal_lep1", majorana=bool(majorana))


@observable("br_Z_to_gamma_inv_N", unit="1", tex=r"\mathrm{BR}(Z\to\gamma+\mathrm{inv})_N",
            params=_DIPOLES, refs=_REFS + ("L3, Phys. Lett. B 412 (1997) 201",), sm=0.0,
            args={"majorana": False},
            description="BR(Z -> nu N, N -> nu gamma seen as one photon, E_gamma > 15 GeV)")
def br_Z_to_gamma_inv_N(p, majorana=False):
    """BR(Z -> gamma + invisible) from Z -> nu N, N -> nu gamma in L3's acceptance."""
    return mono.br_Z_to_gamma_inv(p, "l3_z", majorana=bool(majorana))
