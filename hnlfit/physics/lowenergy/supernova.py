"""SN 1987A: energy loss to HNLs made in ν e → N e, and γ rays from N → ν γ (seed 001).

One-zone core (parameters stated in the measurement YAML, defaults below): temperature T,
density ρ, electron fraction Y_e, radius R; thermal ν and ν̄ of every flavour (Fermi–Dirac,
zero chemical potential, one helicity each); degenerate relativistic electrons with
μ_e = (3π² n_e)^{1/3}.  Approximations (docs/derivations/low_energy.md §5):

* the cross section is the exact ν e → N e one (cross_sections.py) written in invariants,
  dσ/d|t| = α μ² K(s, t)/(8 t² (s − m_e²)²), with electrons at the Fermi surface
  (s = m_e² + 2E(μ_e − p_F cos θ)), Møller flux (1 − cos θ), and the photon propagator cut
  at the Debye scale |t| > k_D² = 4αμ_e²/π + 4παn_p/T (electrons + non-degenerate protons);
* Pauli blocking of the final electron as the fraction 3T/μ_e of electrons within T of the
  Fermi surface (soft exchange dominates); E_N ≈ E_ν;
* energy-loss rate per mass ε = Σ_{α,ν,ν̄} μ_α² ∫ dE (E²/2π²) f_FD(E) E n_e^eff ⟨(1−c) σ⟩ / ρ;
* trapping: the N escapes with probability exp(−R/λ), 1/λ = n_e^eff ⟨σ_N⟩ + 1/(γβcτ_N) at
  the typical momentum p_N = 3.15 T (σ_N = σ/2 for the spin-averaged inverse process);
* criterion (Raffelt 1996, eq. 13.8; Raffelt, Lect. Notes Phys. 741 (2008) 51):
  ε exp(−R/λ) < 10¹⁹ erg g⁻¹ s⁻¹ at ρ = 3·10¹⁴ g cm⁻³, T = 30 MeV.

γ rays: the N escaping the core (number spectrum dN/dE = M_core Δt_cool (dε/dE)/E) decay
between the progenitor's radius R_env and L₁^max, photons flat in E_γ over
[E(1−β)/2, E(1+β)/2]; the arrival delay Δt = L₁/β + L₂ − d ≈ L₁(1/β − cos α) with
cos α = (2E_N E_γ − M²)/(2E_γ √(E_N² − M²)) (seed 001) must stay below Δt_SMM = 223 s:

    dN_γ/dE_γ dA = ∫ dE_N (e^{−R_env/L_N} − e^{−L₁^max/L_N}) /(4π d² βE_N) dN/dE_N,
    L_N = γβ/Γ_N.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import constants as c
from ...cache import cached_table
from ..numerics import gauss_legendre, kallen_sqrt
from .stellar import AVOGADRO, ERG_PER_GEV, GEV5_TO_ERG_CM3_S

KM_TO_CM = 1e5
CM_TO_INV_GEV = 1.0 / c.HBARC_GEV_CM
MASSES = np.geomspace(1e-6, 2.0, 121)
_VERSION = "lowenergy-sn-1"


@dataclass(frozen=True)
class Core:
    T: float = 0.030            # GeV
    rho: float = 3e14           # g cm^-3
    Y_e: float = 0.3
    R_km: float = 10.0
    eps_max: float = 1e19       # erg g^-1 s^-1
    cooling_s: float = 10.0     # burst duration for the N number (gamma-ray bound)
    mu_nue: float = 0.0         # GeV: nu_e chemical potential (nu-bar_e: -mu_nue)

    @property
    def n_e(self) -> float:     # GeV^3
        return self.rho * self.Y_e * AVOGADRO * c.HBARC_GEV_CM ** 3

    @property
    def mu_e(self) -> float:
        return (3 * np.pi ** 2 * self.n_e) ** (1 / 3)

    @property
    def debye_sq(self) -> float:
        return 4 * c.ALPHA_EM * self.mu_e ** 2 / np.pi + 4 * np.pi * c.ALPHA_EM * self.n_e / self.T

    @property
    def blocking(self) -> float:
        return min(1.0, 3 * self.T / self.mu_e)

    @property
    def mass_g(self) -> float:
        return 4 / 3 * np.pi * (self.R_km * KM_TO_CM) ** 3 * self.rho


def sigma_total(s, m_N, k2_min):
    """σ(ν e → N e)(s) in GeV⁻² per GeV⁻² of μ², with |t| > k2_min (Debye cut)."""
    s = np.asarray(s, dtype=np.float64)
    m = c.M_E
    M2 = np.asarray(m_N, dtype=np.float64) ** 2
    rs = np.sqrt(s)
    p_i = (s - m * m) / (2 * rs)
    p_f = kallen_sqrt(s, np.sqrt(M2), m) / (2 * rs)
    E3 = (s + M2 - m * m) / (2 * rs)
    t_lo = np.maximum(-(M2 - 2 * (E3 * p_i - p_i * p_f)), k2_min)     # |t| range
    t_hi = -(M2 - 2 * (E3 * p_i + p_i * p_f))
    ok = (p_f > 0) & (t_hi > t_lo)
    x, w = gauss_legendre(32, np.log(np.where(ok, t_lo, 1.0)), np.log(np.where(ok, t_hi, 2.0)))
    a = np.exp(x)                                            # |t|
    t = -a
    sm = (s - m * m)[..., None]
    X = sm + 0.5 * (t - M2[..., None] if np.ndim(M2) else t - M2)
    M2b = M2[..., None] if np.ndim(M2) else M2
    k0 = -8 * t * X * X - 2 * M2b * (4 * m * m - t) * (M2b - t)
    k = k0 - 4 * t * (M2b - t) * (M2b + 0.5 * t)
    dsig = c.ALPHA_EM * k / (8 * t * t * sm * sm)
    return np.where(ok, np.sum(w * a * np.maximum(dsig, 0.0), axis=-1), 0.0)


def _rate_tables(core: Core) -> dict:
    """Per unit μ²: dε/dE (erg g⁻¹ s⁻¹ GeV⁻¹) of ν + ν̄ of flavour e (with the ν_e chemical
    potential) and of μ, τ (none), on an E grid, and the inverse scattering length of an N
    at E = 3.15 T (cm⁻¹)."""
    E, wE = gauss_legendre(48, 0.0, 20 * core.T + 3 * abs(core.mu_nue))
    cth, wc = gauss_legendre(16, -1.0, 1.0)
    p_f = np.sqrt(max(core.mu_e ** 2 - c.M_E ** 2, 0.0))
    n_eff = core.n_e * core.blocking
    fd = lambda mu: 1.0 / (np.exp(np.clip((E - mu) / core.T, -700, 700)) + 1.0)  # noqa: E731
    occupation = {"e": fd(core.mu_nue) + fd(-core.mu_nue), "x": 2.0 * fd(0.0)}
    deps = {k: np.zeros((len(MASSES), len(E))) for k in occupation}
    inv_lam = np.zeros(len(MASSES))
    for i, m in enumerate(MASSES):
        s = c.M_E ** 2 + 2 * E[:, None] * (core.mu_e - p_f * cth[None, :])
        sv = np.sum(wc * 0.5 * (1 - cth) * sigma_total(s, m, core.debye_sq), axis=-1)
        for k, occ in occupation.items():
            deps[k][i] = (E ** 2 / (2 * np.pi ** 2) * occ * E * n_eff * sv
                          * GEV5_TO_ERG_CM3_S / core.rho)
        E_N = 3.15 * core.T
        sN = c.M_E ** 2 + 2 * E_N * (core.mu_e - p_f * cth)
        inv_lam[i] = 0.5 * n_eff * np.sum(wc * 0.5 * (1 - cth)
                                          * sigma_total(sN, m, core.debye_sq)) * CM_TO_INV_GEV
    return {"E": E, "wE": wE, "deps_e": deps["e"], "deps_x": deps["x"], "inv_lambda": inv_lam}


def tables(core: Core) -> dict:
    desc = {"version": _VERSION, "core": core.__dict__, "masses": MASSES.tolist()}
    return cached_table("sn1987a_one_zone", desc, lambda: _rate_tables(core))


def _interp(m_N, values):
    x = np.log(np.clip(np.asarray(m_N, float), MASSES[0], MASSES[-1]))
    out = np.stack([np.interp(x, np.log(MASSES), v) for v in np.atleast_2d(values).T], -1)
    return np.where((np.asarray(m_N) > MASSES[-1])[..., None], 0.0, out)


def decay_length_cm(E, m_N, mu_sq):
    """γβ c τ (cm) for N → νγ with Σ μ² = mu_sq: Γ = μ² M³/(16π)."""
    M = np.asarray(m_N, dtype=np.float64)
    gamma = mu_sq * M ** 3 / (16 * np.pi)
    p = np.sqrt(np.clip(E ** 2 - M ** 2, 0.0, None))
    with np.errstate(divide="ignore"):
        return p / M / gamma * c.HBARC_GEV_CM


def _flavour_sum(tab, key_e, key_x, m_N, mu_e2, mu_x2):
    return (_interp(m_N, tab[key_e]) * np.asarray(mu_e2)[..., None]
            + _interp(m_N, tab[key_x]) * np.asarray(mu_x2)[..., None])


def energy_loss(m_N, mu_e2, mu_x2, core: Core):
    """(ε free-streaming in erg g⁻¹ s⁻¹, escape probability exp(−R/λ)); mu_e2 = μ_e²,
    mu_x2 = μ_μ² + μ_τ² (GeV⁻²)."""
    tab = tables(core)
    eps = _flavour_sum(tab, "deps_e", "deps_x", m_N, mu_e2, mu_x2) @ tab["wE"]
    mu_sq = np.asarray(mu_e2) + np.asarray(mu_x2)
    inv_lam = _interp(m_N, tab["inv_lambda"][:, None])[..., 0] * mu_sq
    E_N = np.hypot(3.15 * core.T, np.asarray(m_N, dtype=np.float64))   # typical p = 3.15 T
    lam_dec = decay_length_cm(E_N, m_N, mu_sq)
    with np.errstate(divide="ignore"):
        inv_total = inv_lam + 1.0 / lam_dec
    return eps, np.exp(-core.R_km * KM_TO_CM * inv_total)


def gamma_fluence(m_N, mu_e2, mu_x2, core: Core, window=(0.025, 0.100), delay_s: float = 223.0,
                  distance_kpc: float = 51.4, r_env_cm: float = 3e12):
    """Photon fluence (cm⁻²) in the window arriving within ``delay_s`` of the ν burst."""
    tab = tables(core)
    E, wE = tab["E"], tab["wE"]
    m = np.asarray(m_N, dtype=np.float64)[..., None]
    mu2 = (np.asarray(mu_e2) + np.asarray(mu_x2))[..., None]
    deps = _flavour_sum(tab, "deps_e", "deps_x", m_N, mu_e2, mu_x2)
    n_per_E = deps * core.mass_g * core.cooling_s / (E / ERG_PER_GEV)
    _, p_escape = energy_loss(m_N, mu_e2, mu_x2, core)
    EN = np.maximum(E, 1.0001 * m)
    beta = np.sqrt(1 - (m / EN) ** 2)
    L = decay_length_cm(EN, m, mu2)
    lo = np.maximum(EN * (1 - beta) / 2, window[0])[..., None]
    hi = np.minimum(EN * (1 + beta) / 2, window[1])[..., None]
    ok = (hi > lo)[..., 0]
    u, wu = gauss_legendre(12, 0.0, 1.0)
    Eg = lo + (hi - lo) * u
    cos_a = (2 * EN[..., None] * Eg - m[..., None] ** 2) / (
        2 * Eg * np.sqrt(EN ** 2 - m ** 2)[..., None])
    denom = np.maximum(1 / beta[..., None] - np.minimum(cos_a, 1.0), 1e-300)
    L1max = 2.99792458e10 * delay_s / denom
    Lb = L[..., None]
    with np.errstate(over="ignore", invalid="ignore"):
        P = np.clip(np.exp(-r_env_cm / Lb) - np.exp(-L1max / Lb), 0.0, None)
    frac = np.where(ok, np.sum(wu * P, axis=-1) * (hi - lo)[..., 0] / (beta * EN), 0.0)
    d_cm = distance_kpc * 3.0857e21
    return p_escape * np.sum(wE * n_per_E * frac, axis=-1) / (4 * np.pi * d_cm ** 2)
