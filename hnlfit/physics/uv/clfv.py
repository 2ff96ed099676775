"""Charged-lepton flavour violation, lepton universality and Z couplings from Wilson
coefficients of a UV model (GeV units).  Derivations: docs/derivations/uv_models.md.

Inputs are the two structures the models produce:
* c_R: coefficient of l-bar_j sigma^{mu nu} P_R l_i F_{mu nu} (GeV^-1), the photon dipole;
* eps_ji: the flavour-changing Z coupling of left-handed charged leptons, in units of g/c_w
  (Z -> l_j l_i), i.e. L_eff = -4 sqrt2 G_F eps_ji (l-bar_j gamma P_L l_i)(f-bar gamma
  (g_L^f P_L + g_R^f P_R) f) after integrating out the Z.

Formulas: Kuno & Okada, Rev. Mod. Phys. 73 (2001) 151 [hep-ph/9909265] eqs. for
BR(mu -> e gamma) = 384 pi^2 |A_R|^2 and BR(mu -> 3e) = 2(g3^2 + g4^2) + g5^2 + g6^2
+ 32 e^2 |A_R|^2 (ln(m_mu^2/m_e^2) - 11/4) (+ interference), with the dictionary
c_R = (4 G_F/sqrt2) m_i A_R and g4 = 2 eps g_L^e, g6 = 2 eps g_R^e; mu-e conversion:
Kitano, Koike, Okada hep-ph/0203110 eq. 14 (overlap integrals in hnlfit/data/uv).
The dipole-Z interference terms are not included (rates add): see the derivation note.
"""
from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np

from ... import constants as c

GAMMA_LEPTON = {"mu": c.GAMMA_MU, "tau": c.GAMMA_TAU}


def _gl_gr(kind: str) -> tuple[float, float]:
    """Tree-level Z couplings (g_L, g_R) = (T3 - Q s_w^2, -Q s_w^2) of fermion ``kind``."""
    s2 = c.SIN2_THETA_W
    t3, q = {"l": (-0.5, -1.0), "nu": (0.5, 0.0), "u": (0.5, 2 / 3), "d": (-0.5, -1 / 3)}[kind]
    return t3 - q * s2, -q * s2


def gamma_muon_decay_like(m_i):
    """G_F^2 m_i^5 / (192 pi^3): the l_i -> l_j nu nu width for m_j -> 0 (GeV)."""
    return c.G_FERMI ** 2 * np.asarray(m_i, float) ** 5 / (192.0 * math.pi ** 3)


def br_radiative(i: str, c_R, c_L=0.0):
    """BR(l_i -> l_j gamma) = m_i^3 (|c_L|^2 + |c_R|^2) / (4 pi Gamma_i), m_j -> 0
    (for L = l-bar_j sigma (c_L P_L + c_R P_R) l_i F: equals 384 pi^2 |A_R|^2 of Kuno-Okada)."""
    m = c.LEPTON_MASS[i]
    return m ** 3 * (np.abs(c_R) ** 2 + np.abs(c_L) ** 2) / (4.0 * math.pi * GAMMA_LEPTON[i])


def _A(i: str, c_dip):
    """Kuno-Okada A_R = c_R / ((4 G_F/sqrt2) m_i) (dimensionless)."""
    return np.asarray(c_dip, float) / (4.0 * c.G_FERMI / math.sqrt(2.0) * c.LEPTON_MASS[i])


def br_three_same(i: str, j: str, eps_ji, c_R=0.0):
    """BR(l_i -> l_j l_j l_j-bar) from the Z (eps_ji) and the photon dipole (c_R):
    [4 eps^2 (2 g_L^2 + g_R^2) + 32 e^2 A^2 (ln(m_i^2/m_j^2) - 11/4)] G_F^2 m_i^5/(192 pi^3)
    / Gamma_i  (Kuno-Okada, identical particles; interference neglected)."""
    gl, gr = _gl_gr("l")
    eps = np.asarray(eps_ji, float)
    z = 4.0 * eps ** 2 * (2.0 * gl ** 2 + gr ** 2)
    log = math.log(c.LEPTON_MASS[i] ** 2 / c.LEPTON_MASS[j] ** 2) - 11.0 / 4.0
    dip = 32.0 * c.E_CHARGE ** 2 * _A(i, c_R) ** 2 * log
    return (z + dip) * gamma_muon_decay_like(c.LEPTON_MASS[i]) / GAMMA_LEPTON[i]


def br_three_mixed(i: str, j: str, k: str, eps_ji, c_R=0.0):
    """BR(l_i^- -> l_j^- l_k^+ l_k^-), k != j, from the Z (eps_ji) and the photon dipole:
    [4 eps^2 (g_L^2 + g_R^2) + 32 e^2 A^2 (ln(m_i^2/m_k^2) - 3)] G_F^2 m_i^5/(192 pi^3)/Gamma_i
    (distinguishable final leptons: no exchange term; dipole log of Brignole-Rossi,
    hep-ph/0404211, for tau -> mu e e)."""
    gl, gr = _gl_gr("l")
    eps = np.asarray(eps_ji, float)
    z = 4.0 * eps ** 2 * (gl ** 2 + gr ** 2)
    log = math.log(c.LEPTON_MASS[i] ** 2 / c.LEPTON_MASS[k] ** 2) - 3.0
    dip = 32.0 * c.E_CHARGE ** 2 * _A(i, c_R) ** 2 * log
    return (z + dip) * gamma_muon_decay_like(c.LEPTON_MASS[i]) / GAMMA_LEPTON[i]


@lru_cache(maxsize=None)
def gold_overlaps() -> dict:
    """Kitano-Koike-Okada overlap integrals for Au (hnlfit/data/uv/mue_conversion_au.yaml)."""
    from ...io import read_yaml

    path = resources.files("hnlfit") / "data" / "uv" / "mue_conversion_au.yaml"
    return dict(read_yaml(str(path), "mu-e conversion overlap integrals"))


def cr_mue_gold(eps_emu, c_R=0.0):
    """Conversion rate / capture rate in Au, hep-ph/0203110 eq. 14 with Z exchange and the
    photon dipole: omega = 2 G_F^2 m_mu^5 (|A_R D|^2 + |g_p V_p + g_n V_n|^2),
    g_LV(q) = 4 eps (g_L^q + g_R^q), g_p = 2 g(u) + g(d), g_n = g(u) + 2 g(d)
    (overlaps in m_mu^(5/2); dipole and vector added in rate, interference neglected)."""
    ov = gold_overlaps()
    eps = np.asarray(eps_emu, float)
    glu, gru = _gl_gr("u")
    gld, grd = _gl_gr("d")
    gu, gd = 4.0 * eps * (glu + gru), 4.0 * eps * (gld + grd)
    gp, gn = 2.0 * gu + gd, gu + 2.0 * gd
    vec = (gp * ov["V_p"] + gn * ov["V_n"]) ** 2
    dip = (_A("mu", c_R) * ov["D"]) ** 2
    omega = 2.0 * c.G_FERMI ** 2 * c.M_MU ** 5 * (vec + dip) / c.HBAR_GEV_S
    return omega / ov["omega_capt_per_s"]


def lfu_ratio(w_num, w_den):
    """g_x/g_y = (1 + w_x)/(1 + w_y): the ratio of charged-current amplitudes with relative
    shifts w (from -eps_aa and +delta_ab), as HFLAV's g_tau/g_mu etc. are defined."""
    return (1.0 + np.asarray(w_num, float)) / (1.0 + np.asarray(w_den, float))


def z_width_ratio(eps_aa, dG_over_G=0.0):
    """Gamma(Z -> l_a l_a) / Gamma_SM with the l_L coupling g_L + eps_aa and the Fermi
    constant measured in muon decay shifted by dG/G (Gamma ~ G_F^(0) = G_mu/(1 + dG/G)):
    [(g_L + eps)^2 + g_R^2] / (g_L^2 + g_R^2) / (1 + dG/G)   (tree level)."""
    gl, gr = _gl_gr("l")
    eps = np.asarray(eps_aa, float)
    return ((gl + eps) ** 2 + gr ** 2) / (gl ** 2 + gr ** 2) / (1.0 + np.asarray(dG_over_G))
