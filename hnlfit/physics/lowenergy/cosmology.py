"""Cosmology of an HNL with a transition moment (seed 001, "Towards smaller μ_ν: cosmology").

* Lifetime: Γ(N → νγ) = Σ_α |d_α|² M³/(4π) = Σ_α μ_α² M³/(16π) (seed 003 eq. 2.19, μ = 2d),
  which is the slide's τ_N ≃ 3760 s (10⁻¹¹ μ_B/μ_ν)² (MeV/M_N)³ (3767 s from the constants).
* Decoupling: T_dec ≃ 1.28 GeV (10⁻¹¹ μ_B/μ_ν)² (seed 001; Brdar, Greljo, Kopp, Opferkuch,
  JCAP 01 (2021) 039, arXiv:2007.15563), with μ_ν² → Σ_α μ_α².  Its scaling follows from
  Γ_int ∝ α μ² T³ against H ∝ T²/M_Pl; the prefactor is taken from the reference (the
  order-of-magnitude check in docs/derivations/low_energy.md §6 gives O(1 GeV)).
* ΔN_eff of an N thermalised above T_dec and relativistic and undecayed at BBN: the entropy
  dilution of a decoupled Weyl fermion (two helicities),
  ΔN_eff = (g_*s(T_ν,dec)/g_*s(T_dec))^{4/3} with g_*s(T_ν,dec) = 10.75.
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ..dipole.hnl_decays import gamma_nu_gamma

T_DEC_REF_GEV = 1.28            # seed 001 / arXiv:2007.15563, at μ = 1e-11 μ_B
MU_REF = 1e-11                  # μ_B

# g_*s(T) of the Standard Model as steps at the particle thresholds (textbook counting:
# e± 10.75, + μ± 14.25, + π 17.25 below the QCD transition (taken at 0.2 GeV), u d s g 61.75,
# + c τ 75.75, + b 86.25, + W Z 96.25 (approximately), + t h 106.75); interpolated
# log-linearly between the thresholds (accurate to ~10% near the QCD transition only).
# Below ~1 MeV an N still in equilibrium shares the neutrinos' temperature (ΔN_eff = 1), so
# the table stays at 10.75 there (the 3.91 of photons alone is never used).
_GSTAR_T = np.array([1e-4, 0.03, 0.1, 0.14, 0.2, 1.2, 4.0, 80.0, 170.0, 1e3])
_GSTAR = np.array([10.75, 10.75, 14.25, 17.25, 61.75, 75.75, 86.25, 96.25, 106.75, 106.75])


def mu_eff_sq(point):
    """Σ_α μ_α² = 4 Σ_α d_α² (GeV⁻²)."""
    return 4.0 * sum(np.asarray(point[f"d_gamma_{f}"]) ** 2 for f in ("e", "mu", "tau"))


def lifetime_s(point):
    """τ_N = ħ / Σ_α Γ(N → ν_α γ) in s (Dirac N); inf at zero coupling."""
    width = sum(gamma_nu_gamma(point["m_N"], point[f"d_gamma_{f}"]) for f in ("e", "mu", "tau"))
    with np.errstate(divide="ignore"):
        return c.HBAR_GEV_S / np.asarray(width)


def decoupling_temperature(point):
    """T_dec in GeV (inf at zero coupling)."""
    mu2 = mu_eff_sq(point) / c.MU_BOHR_GEV ** 2
    with np.errstate(divide="ignore"):
        return T_DEC_REF_GEV * MU_REF ** 2 / mu2


def g_star_s(T_GeV):
    return np.exp(np.interp(np.log(np.asarray(T_GeV, float)), np.log(_GSTAR_T), np.log(_GSTAR)))


def delta_n_eff(point):
    """ΔN_eff of a relativistic N that decoupled at T_dec (0 if T_dec is below the SM
    neutrinos' decoupling, where N would share their temperature: then ΔN_eff = 1)."""
    t = decoupling_temperature(point)
    g = g_star_s(np.minimum(t, 1e3))
    return np.where(np.isfinite(t), np.minimum((10.75 / g) ** (4.0 / 3.0), 1.0), 0.0)


def temperature_at(t_s):
    """Photon temperature (GeV) at time t (s) in the radiation era after e± annihilation
    began, T ≈ 0.86 MeV (1 s / t)^{1/2} (g_* = 10.75; t = 0.301 g_*^{-1/2} M_Pl/T²)."""
    return 0.86e-3 / np.sqrt(np.asarray(t_s, dtype=np.float64))


def delta_n_eff_bbn(point, T_RH_GeV: float = np.inf, t_bbn_s: float = 1.0,
                    t_end_s: float = 180.0):
    """Effective extra radiation of a thermalised N during BBN (approximation):

        ΔN_eff^BBN = ΔN_eff(T_dec) · exp(−t_BBN/τ_N) · √(1 + (m_N/(3.15 T_N(t*)))²),

    zero unless T_dec < T_RH (the N was never in equilibrium otherwise); T_N = T (10.75/
    g_*s(T_dec))^{1/3} is the N temperature and t* = clip(τ_N, t_BBN, t_end) the time its
    energy density matters most.  The √ factor is the energy per particle over the massless
    value.  Not included: photodisintegration and η shifts from decays after BBN
    (τ_N ≳ 10⁴ s), which strengthen the bound for heavy long-lived N."""
    t_dec = decoupling_temperature(point)
    dn = delta_n_eff(point)
    tau = lifetime_s(point)
    m = np.asarray(point["m_N"], dtype=np.float64)
    t_star = np.clip(tau, t_bbn_s, t_end_s)
    T_N = temperature_at(t_star) * (10.75 / g_star_s(np.minimum(t_dec, 1e3))) ** (1 / 3)
    heavy = np.sqrt(1.0 + (m / (3.15 * T_N)) ** 2)
    with np.errstate(over="ignore", invalid="ignore"):
        alive = np.exp(-t_bbn_s / tau)
    return np.where(t_dec < T_RH_GeV, dn * alive * heavy, 0.0)
