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
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from . import partonic as pt


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
