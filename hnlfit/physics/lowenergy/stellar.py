"""Stellar cooling by plasmon decay γ* → ν N̄, ν̄ N (seed 001, backup slide).

Width of a plasmon of energy ω and invariant mass K (slide; the two charge-conjugate channels
together, each flavour α with its moment μ_α = 2 d_α):

    Γ_γ* = Σ_α μ_α² K⁴/(24π ω) (1 − M²/K²)² (1 + 2M²/K²) θ(K − M)

(docs/derivations/low_energy.md §7: the rest-frame width μ²K³/(24π)(1 − M²/K²)²(1 + 2M²/K²)
follows from −g_αβ L^{αβ} = μ²(K² − M²)(K² + 2M²) per channel).  Energy-loss rate of the
two transverse plasmons on shell (K = ω_p, dispersion ω² = k² + ω_p²), the narrow-width limit
of the slide's Q; for M > ω_p this channel closes (γ e → e ν N, the slides' other process,
is not included):

    Q = 2 ∫ d³k/(2π)³ ω Γ_γ*(ω) f_B(ω) = Σ_α μ_α² ω_p⁴ F(M/ω_p)/(12π) ∫ d³k/(2π)³ f_B(ω).

Plasma frequency of a degenerate relativistic electron gas: ω_p² = 4πα n_e/E_F,
E_F = √(p_F² + m_e²), p_F = (3π² n_e)^{1/3} (Braaten & Segel 1993, classical and degenerate
limits).  Criterion: ε = Q/ρ < ε_max in the red-giant core before helium ignition,
ε_max = 10 erg g⁻¹ s⁻¹ at ρ = 2·10⁵ g cm⁻³, T = 10⁸ K, Y_e = 0.5 (Raffelt, "Stars as
Laboratories for Fundamental Physics" (1996), §2.5; the one-zone form of the RG bound).
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ..numerics import gauss_legendre

AVOGADRO = 6.02214076e23
ERG_PER_GEV = 1.602176634e-3
GEV5_TO_ERG_CM3_S = ERG_PER_GEV / c.HBARC_GEV_CM ** 3 / c.HBAR_GEV_S   # GeV⁵ → erg cm⁻³ s⁻¹
KELVIN_TO_GEV = 8.617333262e-14


def phase_space_factor(x):
    """(1 − x²)² (1 + 2x²) θ(1 − x), x = M/K."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x < 1.0, (1 - x * x) ** 2 * (1 + 2 * x * x), 0.0)


def plasmon_width(omega, K, m_N, mu_sq):
    """Γ_γ* (GeV) for a plasmon (ω, K); mu_sq = Σ_α μ_α² (GeV⁻²)."""
    K = np.asarray(K, dtype=np.float64)
    return mu_sq * K ** 4 / (24 * np.pi * omega) * phase_space_factor(np.asarray(m_N) / K)


def plasma_frequency(rho_g_cm3: float, Y_e: float) -> float:
    """ω_p (GeV) of a degenerate electron gas, 4πα n_e / E_F."""
    n_e = rho_g_cm3 * Y_e * AVOGADRO * c.HBARC_GEV_CM ** 3          # GeV³
    p_f = (3 * np.pi ** 2 * n_e) ** (1 / 3)
    return float(np.sqrt(4 * np.pi * c.ALPHA_EM * n_e / np.hypot(p_f, c.M_E)))


def thermal_plasmon_density(T: float, omega_p: float, n: int = 200) -> float:
    """∫ d³k/(2π)³ 1/(e^{ω/T} − 1), ω² = k² + ω_p² (GeV³), one polarisation."""
    k, w = gauss_legendre(n, 0.0, 40 * T)
    om = np.sqrt(k * k + omega_p ** 2)
    return float(np.sum(w * k * k / np.expm1(om / T)) / (2 * np.pi ** 2))


def energy_loss_rate(m_N, mu_sq, T: float, rho_g_cm3: float, Y_e: float):
    """ε = Q/ρ in erg g⁻¹ s⁻¹ (on-shell transverse plasmons)."""
    wp = plasma_frequency(rho_g_cm3, Y_e)
    Q = (np.asarray(mu_sq) * wp ** 4 * phase_space_factor(np.asarray(m_N) / wp) / (12 * np.pi)
         * thermal_plasmon_density(T, wp))
    return Q * GEV5_TO_ERG_CM3_S / rho_g_cm3
