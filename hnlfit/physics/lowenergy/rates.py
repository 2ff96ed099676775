"""Solar-neutrino up-scattering rates ν_L T → N T in a detector (seed 001):

    dR/dT = N_T ε(T) ∫_{E_min(T)} dE dΦ/dE dσ/dT                     (seed 001, slide 7)

per mass eigenstate i of the arriving neutrinos: R_i = N_T Σ_sources Φ_s ∫ dE f_s(E) P_ei(E)
dσ/dT(μ = 1 GeV⁻¹), so that a point's rate is Σ_i μ_i² R_i with μ_i = 2 |Σ_α U_αi d_α|
(physical) or Σ_i R_i Σ_α |U_αi|² μ_α² (incoherent flavours); see solar.coupling_weights.

Units: T, E in GeV; rates in events per tonne-year per GeV of true recoil energy per
GeV⁻² of μ².  The E integral of each continuous source runs over Gauss–Legendre nodes
between max(E_min(T), 0) and the source's endpoint; lines are evaluated at their energy.
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ..numerics import gauss_legendre
from . import solar
from .cross_sections import GEV2_TO_CM2, dsigma_dT_electron, dsigma_dT_nucleus
from .kinematics import e_nu_min

_N_NODES = 48


def _source_rate(source: str, T, m_N, xsec, m_target, model: str):
    """Φ_s ∫ dE f_s(E) P_ei(E) dσ/dT for one source: shape T.shape + (3,), GeV⁻³ cm⁻² s⁻¹."""
    flux = solar.fluxes(model)[source]
    ne = solar.production_density(source)
    T, m_N = np.broadcast_arrays(np.asarray(T, dtype=np.float64),
                                 np.asarray(m_N, dtype=np.float64))
    lines = solar.lines()
    if source in lines:
        out = np.zeros(T.shape + (3,))
        for E, br in lines[source]:
            sig = xsec(E, T, m_N)
            out += (flux * br) * sig[..., None] * solar.mass_fractions(E, ne)
        return out
    e_end = solar.endpoint(source)
    lo = np.clip(e_nu_min(T, m_N, m_target), 0.0, e_end)
    x, w = gauss_legendre(_N_NODES, lo, e_end)                 # (..., nodes)
    sig = xsec(x, T[..., None], m_N[..., None])
    f = solar.spectrum(source, x) * w * sig
    P = solar.mass_fractions(x, ne)                           # (..., nodes, 3)
    return flux * np.einsum("...n,...ni->...i", f, P)


def true_rate_per_eigenstate(T, m_N, channel: str, target: dict, model: str = "B16-GS98",
                             n_per_tonne: float | None = None):
    """R_i(T) (last axis i = 1, 2, 3) in events/(t yr GeV) per GeV⁻² of μ_i².

    ``channel`` "electron" (free electrons weighted by the stepping function Z_eff(T) of the
    target's shells) or "nucleus" (coherent, Z² F_Helm²).  ``target``: Z, A, shells (as in
    hnlfit/data/xenonnt_sr0_er/xenon_target.yaml); ``n_per_tonne`` overrides the number of
    scatterers per tonne (e.g. electrons of a scintillator).
    """
    T, m_N = np.broadcast_arrays(np.asarray(T, dtype=np.float64),
                                 np.asarray(m_N, dtype=np.float64))
    atoms = 1e6 / target["A"] * 6.02214076e23                  # atoms per tonne
    if channel == "electron":
        m_t = c.M_E
        def xsec(E, TT, M):
            return dsigma_dT_electron(E, TT, M, 1.0)
        weight = z_eff(T, target) * atoms if n_per_tonne is None else n_per_tonne
    elif channel == "nucleus":
        m_t = nucleus_mass(target)
        Z, A = target["Z"], target["A"]
        def xsec(E, TT, M):
            return dsigma_dT_nucleus(E, TT, M, 1.0, Z, A, m_t)
        weight = atoms if n_per_tonne is None else n_per_tonne
    else:
        raise ValueError(f"channel must be 'electron' or 'nucleus', got {channel!r}")
    total = sum(_source_rate(s, T, m_N, xsec, m_t, model) for s in solar.SOURCES)
    return (np.asarray(weight)[..., None] * total * GEV2_TO_CM2 * c.SECONDS_PER_YEAR)


def z_eff(T, target: dict):
    """Number of electrons with binding energy below T (stepping approximation)."""
    T = np.asarray(T, dtype=np.float64)
    out = np.zeros(T.shape)
    for binding_kev, n in target["shells"].values():
        out = out + n * (T > binding_kev * 1e-6)
    return out


def nucleus_mass(target: dict) -> float:
    """Nuclear mass (GeV): A u − Z m_e (electron binding neglected)."""
    return target["atomic_mass_u"] * 0.93149410242 - target["Z"] * c.M_E
