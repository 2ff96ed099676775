"""The sterile–sterile dipole at LEP: Z → N₁N₂ and e⁺e⁻ → γ*/Z* → N₁N₂ (issue 11, item 7).

Same vertex as the LHC production (:mod:`.partonic`): L ⊃ d_NN N̄₁^c σ^{μν} P_R N₂ F_{μν}
+ h.c. (Majorana) with d_NNZ = -tan θ_w d_NN.  Z decay (crossing of the production trace,
Σ_pol ε_ν ε*_ρ → -g_{νρ}; q^ν σ_{μν} q^μ = 0 removes the q_ν q_ρ term)::

    Γ(Z → N₁N₂) = |d_NNZ|² √λ(M_Z², m₁², m₂²) X / (12 π M_Z³)
    X_same = 2 S₊ (M_Z² + 2(m₁ - m₂)²),   X_opposite = 2 S₋ (M_Z² + 2(m₁ + m₂)²),
    X_dirac = (X_same + X_opposite)/2  (N₁N̄₂ + N̄₁N₂),   S± = M_Z² - (m₁ ± m₂)²

The m₁ → 0 limit of the Majorana width is 2 × d_Z²(M_Z² - m²)²(M_Z² + 2m²)/(12π M_Z³), the
Γ(Z → νN̄ + ν̄N) of :func:`hnlfit.physics.dipole.ee_to_N_nu.gamma_Z_to_nu_N` (tested).

e⁺e⁻ → N₁N₂: :func:`.partonic.sigma_hat_neutral` with the electron couplings (N_c = 1),
α(M_Z) by default (the LEP energies are ≥ M_Z; pass ``alpha`` to change it).

Monophoton signal (e⁺e⁻ → N₁N₂, N₂ → N₁γ, N₁ invisible), with the analyses of
:mod:`hnlfit.physics.dipole.monophoton` (``hnlfit/data/monophoton_analyses.yaml``: energy,
photon cuts, Bhabha veto, calorimeter cylinder)::

    σ_acc = σ(e⁺e⁻ → N₁N₂) BR(N₂ → N₁γ) ε,
    ε = ∫ dc [T(c)/∫T] P_dec(c) A₀(c),   P_dec = 1 - exp(-l_max(c)/L_lab)

with c = cos θ(N₂, e⁻) (T is symmetric in c for the Majorana structures and the Dirac sum),
L_lab = (p₂/m₂) ħc/Γ_N₂, Γ_N₂ = Γ(N₂ → N₁γ) + Γ(N₂ → N₁Z) (:mod:`.decays`, C_NNB its only
coupling), and A₀(c) the fraction of photon directions, isotropic in the N₂ rest frame, that
pass the cuts.  In the N₂ frame the photon has E* = (m₂² - m₁²)/(2m₂), so in the lab
E = E₂ (1 - m₁²/m₂²)(1 + β₂ cos θ*)/2 -- the e⁺e⁻ → Nν tables' kinematics with E_N replaced by
E₂(1 - m₁²/m₂²); the angular part (aberration, the φ* moments) is the same
(:func:`hnlfit.physics.dipole.monophoton._phi_moments`).  Isotropy holds for Majorana N₁, N₂
with CP-conserving couplings (the decay asymmetry of N₂ → N₁γ vanishes); for Dirac states it
is an approximation (polarisation not followed).  The photon is counted wherever N₂ decays
inside the calorimeter's inner cylinder (no pointing requirement), as in the N → νγ signal.
Z → γ + invisible (L3): the same ε at √s = M_Z, since for these structures T does not depend
on the electron chirality.
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from ..dipole import monophoton as mono
from . import decays
from . import partonic as pt

_GL_COS = np.polynomial.legendre.leggauss(48)


def _x_factor(M2, m1, m2, structure: str):
    sp = np.clip(M2 - (m1 + m2) ** 2, 0.0, None)
    sm = np.clip(M2 - (m1 - m2) ** 2, 0.0, None)
    xs = 2.0 * sp * (M2 + 2.0 * (m1 - m2) ** 2)
    xo = 2.0 * sm * (M2 + 2.0 * (m1 + m2) ** 2)
    if structure == "same":
        return xs, sp, sm
    if structure == "opposite":
        return xo, sp, sm
    return 0.5 * (xs + xo), sp, sm


def gamma_Z_to_N1N2(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same"):
    """Γ(Z → N₁N₂) in GeV through d_NNZ = -tan θ_w d_NN (module docstring); 0 above threshold."""
    st = pt.structure_for(majorana, cp)
    m1 = np.asarray(m_N1, dtype=np.float64)
    m2 = np.asarray(m_N2, dtype=np.float64)
    M2 = c.M_Z ** 2
    x, sp, sm = _x_factor(M2, m1, m2, st)
    dz2 = np.abs(pt.d_Z_of_d_NN(d_NN)) ** 2
    return dz2 * np.sqrt(sp * sm) * x / (12.0 * math.pi * c.M_Z ** 3)


def sigma_ee_to_N1N2(sqrt_s, m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same",
                     alpha: float | None = None):
    """σ(e⁺e⁻ → γ*/Z* → N₁N₂) in pb (Dirac: N₁N̄₂ + N̄₁N₂); 0 below threshold."""
    st = pt.structure_for(majorana, cp)
    rs = np.asarray(sqrt_s, dtype=np.float64)
    d = np.asarray(d_NN, dtype=np.float64)
    return pt.sigma_hat_neutral(rs * rs, "e", m_N1, m_N2, d, pt.d_Z_of_d_NN(d), st, alpha)


def dsigma_dcos_ee_to_N1N2(sqrt_s, cos_theta, m_N1, m_N2, d_NN, majorana: bool = True,
                           cp: str = "same", alpha: float | None = None):
    """dσ/dcos θ(N₁, e⁻) in pb for e⁺e⁻ → N₁N₂."""
    st = pt.structure_for(majorana, cp)
    rs = np.asarray(sqrt_s, dtype=np.float64)
    d = np.asarray(d_NN, dtype=np.float64)
    return pt.dsigma_dcos_neutral(rs * rs, cos_theta, "e", m_N1, m_N2, d, pt.d_Z_of_d_NN(d),
                                  st, alpha)


def _n2_kinematics(sqrt_s, m1, m2):
    """(E₂, β₂, p₂) of N₂ in e⁺e⁻ → N₁N₂ at sqrt_s."""
    s = np.asarray(sqrt_s, dtype=np.float64) ** 2
    lam = np.clip((s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2), 0.0, None)
    p2 = np.sqrt(lam) / (2.0 * np.sqrt(s))
    E2 = (s + m2 * m2 - m1 * m1) / (2.0 * np.sqrt(s))
    return E2, np.where(E2 > 0, p2 / np.where(E2 > 0, E2, 1.0), 0.0), p2


def photon_acceptance(an, m1, m2, cos_N):
    """A₀: fraction of photon directions (isotropic in the N₂ frame) passing the cuts of
    analysis ``an`` for N₂ emitted at cos θ = cos_N; m1, m2, cos_N broadcast."""
    m1, m2, cn = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (m1, m2, cos_N)))
    E2, beta, _ = _n2_kinematics(an.sqrt_s, m1, m2)
    e_scale = E2 * (1.0 - (m1 / m2) ** 2)         # E_gamma = e_scale (1 + beta cos*)/2
    sin_N = np.sqrt(np.clip(1.0 - cn * cn, 0.0, None))
    gam_inv = np.sqrt(np.clip(1.0 - beta * beta, 0.0, None))
    out = np.zeros(cn.shape)
    nodes, weights = mono._GL_T
    for E_lo, E_hi in an.energy_windows():
        if not E_hi > E_lo:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(beta > 0, beta, 1e-300)
            t_lo = np.clip((2.0 * E_lo / e_scale - 1.0) / b, -1.0, 1.0)
            t_hi = np.clip((2.0 * E_hi / e_scale - 1.0) / b, -1.0, 1.0)
        t_lo = np.where(np.isfinite(t_lo), t_lo, 1.0)
        t_hi = np.where(np.isfinite(t_hi), t_hi, 1.0)
        half = 0.5 * np.clip(t_hi - t_lo, 0.0, None)
        for xi, wi in zip(nodes, weights):
            cs = t_lo + half * (xi + 1.0)
            E = 0.5 * e_scale * (1.0 + beta * cs)
            ss = np.sqrt(np.clip(1.0 - cs * cs, 0.0, None))
            cos_a = (cs + beta) / (1.0 + beta * cs)
            sin_a = ss * gam_inv / (1.0 + beta * cs)
            frac, _ = mono._phi_moments(cos_a * cn, sin_a * sin_N, an.cos_max(E))
            out += 0.5 * half * wi * frac
    return out


def n2_total_width(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same"):
    """Γ(N₂) in GeV with C_NNB its only coupling (N₁γ + N₁Z, :mod:`.decays`)."""
    return sum(decays.n2_widths(m_N1, m_N2, d_NN, majorana, cp).values())


def monophoton_efficiency(analysis, m_N1, m_N2, d_NN, majorana: bool = True,
                          cp: str = "same"):
    """ε of the module docstring for a named analysis (arrays broadcast).  The photon
    acceptance depends on the masses only and is computed once per distinct (m₁, m₂)."""
    an = mono.get_analysis(analysis)
    st = pt.structure_for(majorana, cp)
    m1, m2, d = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64)
                                      for a in (m_N1, m_N2, d_NN)))
    shape = m1.shape
    m1, m2, d = m1.ravel(), m2.ravel(), d.ravel()
    xn, wn = _GL_COS
    pairs, inv = np.unique(np.stack([m1, m2], axis=1), axis=0, return_inverse=True)
    inv = inv.ravel()
    s = an.sqrt_s ** 2
    open_ = pairs[:, 0] + pairs[:, 1] < an.sqrt_s
    pm1, pm2 = pairs[:, 0][:, None], pairs[:, 1][:, None]
    acc = np.where(open_[:, None], photon_acceptance(an, pm1, pm2, xn[None, :]), 0.0)
    T = pt.trace(s, xn[None, :], pm1, pm2, st)
    norm = np.sum(wn * T, axis=1, keepdims=True)
    shape_w = np.where(norm > 0, wn * T / np.where(norm > 0, norm, 1.0), 0.0)    # (U, n_c)
    E2, beta, p2 = _n2_kinematics(an.sqrt_s, m1, m2)
    width = n2_total_width(m1, m2, d, majorana, cp)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.where(width > 0, p2 / m2 * c.HBARC_GEV_M / np.where(width > 0, width, 1.0),
                     np.inf)
    reach = mono.decay_reach(xn, an.r, an.z_half) * an.r                          # (n_c,) m
    with np.errstate(divide="ignore", over="ignore"):
        P = -np.expm1(-reach[None, :] / L[:, None])
    eff = np.sum(shape_w[inv] * acc[inv] * P, axis=1)
    return eff.reshape(shape)


def sigma_monophoton_N1N2(analysis, m_N1, m_N2, d_NN, majorana: bool = True,
                          cp: str = "same"):
    """Accepted monophoton cross section (pb) of ``analysis`` from e⁺e⁻ → N₁N₂, N₂ → N₁γ."""
    an = mono.get_analysis(analysis)
    sig = sigma_ee_to_N1N2(an.sqrt_s, m_N1, m_N2, d_NN, majorana, cp)
    w = decays.n2_widths(m_N1, m_N2, d_NN, majorana, cp)
    tot = w["N1_gamma"] + w["N1_Z"]
    with np.errstate(invalid="ignore", divide="ignore"):
        br = np.where(tot > 0, w["N1_gamma"] / np.where(tot > 0, tot, 1.0), 0.0)
    return sig * br * monophoton_efficiency(an, m_N1, m_N2, d_NN, majorana, cp)


def br_Z_to_gamma_inv_N1N2(m_N1, m_N2, d_NN, analysis: str = "l3_z", majorana: bool = True,
                           cp: str = "same"):
    """BR(Z → N₁N₂, N₂ → N₁γ with the photon in the cuts of ``analysis``)."""
    gam = gamma_Z_to_N1N2(m_N1, m_N2, d_NN, majorana, cp)
    w = decays.n2_widths(m_N1, m_N2, d_NN, majorana, cp)
    tot = w["N1_gamma"] + w["N1_Z"]
    with np.errstate(invalid="ignore", divide="ignore"):
        br = np.where(tot > 0, w["N1_gamma"] / np.where(tot > 0, tot, 1.0), 0.0)
    return gam / c.GAMMA_Z * br * monophoton_efficiency(analysis, m_N1, m_N2, d_NN, majorana,
                                                        cp)
