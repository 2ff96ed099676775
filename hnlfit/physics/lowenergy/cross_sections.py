"""Up-scattering ν_L T → N T through the transition magnetic moment (seed 001).

Convention: L ⊃ d ν̄ σ^{μν} N F_{μν} + h.c.; the photon vertex is μ σ^{μν} q_ν with the
magnetic moment μ = 2d (the slides' L ⊃ ½ μ ν̄ σ N F has μ_slide = 2d; seed 003's d is half
of it).  For a left-handed massless ν of energy E on a target of mass m and charge Z e at
rest, with recoil kinetic energy T, t = −2mT, X = P·k = m(2E − T) − M²/2 and P = p + p':

    dσ/dT = α μ² Z² F²(q) K / (16 t² m E²),
    K_spin0   = 16 m T X² − 2 M² (4m² + 2mT)(M² + 2mT),
    K_spin1/2 = K_spin0 + 8 m T (M² + 2mT)(M² − mT)

(docs/derivations/low_energy.md §1, from the traces; tests/test_lowenergy_xsec.py checks them
against explicit Dirac spinors).  K_spin1/2 reproduces the seed-001 slide formula exactly,

    α μ² [1/T − 1/E + M²(T − 2E − m)/(4E²Tm) + M⁴(T − m)/(8E²T²m²)],

and for M → 0 the classic α μ² (1/T − 1/E) = (πα²/m_e²)(μ/μ_B)² (1/T − 1/E) on electrons.
Outside the physical region (E < E_min(T)) the cross sections are 0.  Nuclei are treated as
spin-0 charge distributions with the Helm form factor (Lewin & Smith, Astropart. Phys. 6
(1996) 87, eq. 4.7 with c = 1.23 A^{1/3} − 0.60 fm, a = 0.52 fm, s = 0.9 fm); the spin-½
form differs by O(T/m_A) ≲ 10⁻⁷ for xenon.
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from .kinematics import e_nu_min

GEV2_TO_CM2 = c.HBARC_GEV_CM ** 2        # 1 GeV^-2 = 3.894e-28 cm^2
FM_TO_INV_GEV = 1.0e-15 / c.HBARC_GEV_M  # 1 fm = 5.068 GeV^-1


def mu_from_d(d):
    """Transition magnetic moment μ = 2d (GeV^-1) from the project's dipole d."""
    return 2.0 * np.asarray(d, dtype=np.float64)


def kernel(E, T, m_N, m_target, spin: str = "half"):
    """K of the module docstring (GeV^4 · GeV^... : dσ/dT = α μ² Z²F² K/(16 t² m E²))."""
    E, T, M = (np.asarray(x, dtype=np.float64) for x in (E, T, m_N))
    m = float(m_target)
    M2 = M * M
    X = m * (2.0 * E - T) - 0.5 * M2
    k0 = 16.0 * m * T * X * X - 2.0 * M2 * (4.0 * m * m + 2.0 * m * T) * (M2 + 2.0 * m * T)
    if spin == "zero":
        return k0
    if spin == "half":
        return k0 + 8.0 * m * T * (M2 + 2.0 * m * T) * (M2 - m * T)
    raise ValueError(f"spin must be 'half' or 'zero', got {spin!r}")


def dsigma_dT_point(E, T, m_N, mu, m_target, spin: str = "half"):
    """dσ/dT (GeV^-3) on a point-like target of unit charge; 0 outside E ≥ E_min(T)."""
    E, T = np.asarray(E, dtype=np.float64), np.asarray(T, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64)
    m = float(m_target)
    allowed = (T > 0) & (E >= e_nu_min(T, m_N, m))
    Tsafe = np.where(T > 0, T, 1.0)
    Esafe = np.where(E > 0, E, 1.0)
    k = kernel(Esafe, Tsafe, m_N, m, spin)
    t2 = (2.0 * m * Tsafe) ** 2
    val = c.ALPHA_EM * mu * mu * k / (16.0 * t2 * m * Esafe * Esafe)
    return np.where(allowed, np.maximum(val, 0.0), 0.0)


def dsigma_dT_light(E, T, mu):
    """The m_N → 0 limit on electrons: α μ² (1/T − 1/E) for T below T_max (GeV^-3)."""
    E, T = np.asarray(E, dtype=np.float64), np.asarray(T, dtype=np.float64)
    t_max = 2.0 * E * E / (2.0 * E + c.M_E)
    val = c.ALPHA_EM * np.asarray(mu) ** 2 * (1.0 / T - 1.0 / E)
    return np.where((T > 0) & (T <= t_max), val, 0.0)


def slide_formula(E, T, m_N, mu, m_target):
    """Seed 001's dσ/dE_r as written on the slide (for comparison; equals spin ½)."""
    E, T, M = (np.asarray(x, dtype=np.float64) for x in (E, T, m_N))
    m = float(m_target)
    br = (1.0 / T - 1.0 / E + M ** 2 * (T - 2.0 * E - m) / (4.0 * E * E * T * m)
          + M ** 4 * (T - m) / (8.0 * E * E * T * T * m * m))
    return c.ALPHA_EM * np.asarray(mu) ** 2 * br


def helm_form_factor(q, A):
    """Helm charge form factor F(q) (q in GeV), Lewin & Smith 1996 eq. 4.7, F(0) = 1."""
    q = np.asarray(q, dtype=np.float64)
    cc = (1.23 * A ** (1.0 / 3.0) - 0.60) * FM_TO_INV_GEV
    a, s = 0.52 * FM_TO_INV_GEV, 0.9 * FM_TO_INV_GEV
    rn = np.sqrt(cc * cc + 7.0 / 3.0 * np.pi ** 2 * a * a - 5.0 * s * s)
    x = q * rn
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    j1_over_x = np.where(small, 1.0 / 3.0 - x * x / 30.0,
                         (np.sin(xs) / xs ** 2 - np.cos(xs) / xs) / xs)
    return 3.0 * j1_over_x * np.exp(-0.5 * (q * s) ** 2)


def dsigma_dT_electron(E, T, m_N, mu):
    """ν_L e → N e on a free electron at rest, GeV^-3 (spin-½ target)."""
    return dsigma_dT_point(E, T, m_N, mu, c.M_E, spin="half")


def dsigma_dT_nucleus(E, T, m_N, mu, Z, A, m_nucleus):
    """Coherent ν_L A → N A: Z² F_Helm²(q) times the spin-0 point-charge cross section,
    q = √(2 m_A T), GeV^-3."""
    T = np.asarray(T, dtype=np.float64)
    ff = helm_form_factor(np.sqrt(2.0 * m_nucleus * np.maximum(T, 0.0)), A)
    return Z * Z * ff * ff * dsigma_dT_point(E, T, m_N, mu, m_nucleus, spin="zero")


SIN2_THETA_W_LOW_Q = 0.23857   # MSbar sin²θ_W at Q → 0, PDG 2022 EW review (eq. 10.11 vicinity)


def dsigma_dT_cevns(E, T, Z, N, A, m_nucleus):
    """Standard-Model coherent elastic ν–nucleus scattering (any flavour), GeV⁻³:
    G_F² m_A Q_W²/(4π) (1 − m_A T/(2E²) − T/E) F_Helm², Q_W = N − (1 − 4 sin²θ_W) Z
    (Freedman 1974; e.g. XENONnT arXiv:2408.02877 uses the same leading form)."""
    E, T = np.asarray(E, dtype=np.float64), np.asarray(T, dtype=np.float64)
    qw = N - (1.0 - 4.0 * SIN2_THETA_W_LOW_Q) * Z
    kin = 1.0 - m_nucleus * T / (2.0 * E * E) - T / E
    ff = helm_form_factor(np.sqrt(2.0 * m_nucleus * np.maximum(T, 0.0)), A)
    val = c.G_FERMI ** 2 * m_nucleus * qw * qw / (4.0 * np.pi) * kin * ff * ff
    return np.where(kin > 0, val, 0.0)
