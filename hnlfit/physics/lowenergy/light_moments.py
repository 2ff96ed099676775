"""Magnetic moments of the light neutrinos themselves (seed 001, first slide).

Dirac neutrinos (Fujikawa & Shrock 1980):   μ_ii = 3 e G_F m_i / (8√2 π²),
i.e. μ/μ_B = 3 G_F m_e m_i/(4√2 π²) ≈ 3.2·10⁻²⁰ (m_i / 0.1 eV).
Majorana transition moments (Pal & Wolfenstein 1982; the slide's form):
    μ_ij = −3 e G_F (m_i + m_j)/(16√2 π²) Σ_k Im[U*_ki U_kj] m_k²/m_W²,
k over the charged leptons, U the PMNS matrix (hnlfit/data/solar/oscillations.yaml), with
Majorana phases (α21, α31) as arguments.  Both are far below any experimental reach.
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from .solar import pmns


def mu_dirac_over_muB(m_nu_eV):
    """μ_ii/μ_B for a Dirac neutrino of mass m (eV)."""
    m = np.asarray(m_nu_eV, dtype=np.float64) * 1e-9
    mu = 3.0 * c.E_CHARGE * c.G_FERMI * m / (8.0 * math.sqrt(2.0) * math.pi ** 2)
    return mu / c.MU_BOHR_GEV


def light_masses_eV(m_lightest_eV, ordering: str = "normal"):
    from .solar import oscillation_parameters
    o = oscillation_parameters()
    m0 = np.asarray(m_lightest_eV, dtype=np.float64)
    d21, d31 = o["dm2_21_eV2"], o["dm2_31_eV2"]
    if ordering == "normal":
        return m0, np.sqrt(m0 ** 2 + d21), np.sqrt(m0 ** 2 + d31)
    m2 = np.sqrt(m0 ** 2 + d31)          # inverted: m3 lightest, |Δm²32| ≈ Δm²31
    return np.sqrt(m2 ** 2 - d21), m2, m0


def mu_majorana_over_muB(i: int, j: int, m_lightest_eV, alpha21: float = 0.0,
                         alpha31: float = 0.0):
    """|μ_ij|/μ_B (i, j = 1, 2, 3) of Majorana neutrinos, normal ordering."""
    U = pmns() @ np.diag([1.0, np.exp(0.5j * alpha21), np.exp(0.5j * alpha31)])
    m = light_masses_eV(m_lightest_eV)
    ml = np.array([c.M_E, c.M_MU, c.M_TAU])
    s = np.sum(np.imag(np.conj(U[:, i - 1]) * U[:, j - 1]) * ml ** 2) / c.M_W ** 2
    mi_plus_mj = (m[i - 1] + m[j - 1]) * 1e-9
    mu = 3.0 * c.E_CHARGE * c.G_FERMI * mi_plus_mj / (16.0 * math.sqrt(2.0) * math.pi ** 2) * s
    return np.abs(mu) / c.MU_BOHR_GEV
