"""Matching of the vector-like lepton E + charged scalar phi model (2405.08877, seed 000).

Fields: E ~ (1,1)_-1 (mass m_E), phi ~ (1,1)_-1 (mass m_phi), N_1, N_2 singlets;
L = -[L-bar Y_E H E_R + L-bar f L-tilde phi + N-bar h E_L phi* + N-bar^c h' E_R phi* + h.c.]
with f antisymmetric; -L-bar f L-tilde phi = -2 nu-bar f l^c phi (each vertex carries 2f).
Couplings are real here.  Derivations: docs/derivations/uv_models.md.

Tree level (0803.4008 for the E part):
  C_Hl^(1) = C_Hl^(3) = -Y^a Y^b / (4 m_E^2)  ->  Z coupling of l_L shifts by
  eps_ab = v^2 Y^a Y^b / (4 m_E^2) (in units of g/c_w; |g_L| decreases), W coupling of l_a by
  (1 - eps_aa); phi exchange adds delta_ab = f_ab^2 / (sqrt2 G_F m_phi^2) to the muon-decay-
  like amplitude l_a -> l_b nu nu (constructive, C_ll = +f f*/m_phi^2).
One loop (F = E, S = phi, r = m_phi^2/m_E^2, f(r) of loops.f_dipole):
  C_NNB^(5)ij = g' (h'_i h_j - h_i h'_j) f(r) / (64 pi^2 m_E)       (antisymmetric, Sum_ij)
  d_NN = 2 c_w C_NNB^(5)12 = e (h'_1 h_2 - h_1 h'_2) f(r) / (32 pi^2 m_E)
  d_gamma^a (N_1) = e v Sum_b f_ab Y^b h'_1 f(r) / (sqrt2 16 pi^2 m_E^2)
  C_NB = (3/4) g' K, C_NW = (1/2) g K, K = Sum_b f_ab Y^b h'_1 f(r) / (16 pi^2 m_E^2)
  (the slides' split; a = C_NW/C_NB = 2 g / (3 g') = 2 / (3 tan theta_w) in 2308.16608's
  convention; the slides' "a = 2/3" is (g'/g) C_NW/C_NB).
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from .loops import f_dipole

FLAVOURS = ("e", "mu", "tau")
PAIRS = {("e", "mu"): "f_emu", ("e", "tau"): "f_etau", ("mu", "tau"): "f_mutau"}


def _sw_cw():
    sw = math.sqrt(c.SIN2_THETA_W)
    return sw, math.sqrt(1.0 - c.SIN2_THETA_W)


def gauge_couplings() -> tuple[float, float]:
    """(g, g') with e = g s_w = g' c_w (the project's e and sin^2 theta_w)."""
    sw, cw = _sw_cw()
    return c.E_CHARGE / sw, c.E_CHARGE / cw


def f_matrix(p) -> dict:
    """The antisymmetric f_ab as a dict {(a, b): array} for all ordered pairs a != b."""
    out = {}
    for (a, b), name in PAIRS.items():
        out[(a, b)] = p[name]
        out[(b, a)] = -p[name]
    return out


def ratio_r(m_E, m_phi):
    """r = m_phi^2 / m_E^2 (scalar over fermion mass squared), the argument of f(r)."""
    return (np.asarray(m_phi, float) / np.asarray(m_E, float)) ** 2


def c_nnb5_12(p):
    """C_NNB^(5)12 in GeV^-1 (2405.08877 slide, Sum_ij normalisation, antisymmetric)."""
    _, gp = gauge_couplings()
    x = p["hp_1"] * p["h_2"] - p["h_1"] * p["hp_2"]
    return gp * x * f_dipole(ratio_r(p["m_E"], p["m_phi"])) / (64.0 * math.pi ** 2 * p["m_E"])


def d_NN(p):
    """Sterile-sterile photon dipole d_NN = 2 c_w C_NNB^(5)12 in GeV^-1 (the project's
    convention, Gamma(N2 -> N1 gamma) = |d_NN|^2 (m2^2 - m1^2)^3 / (2 pi m2^3))."""
    _, cw = _sw_cw()
    return 2.0 * cw * c_nnb5_12(p)


def active_sterile_K(p, flavour: str):
    """K_a = Sum_b f_ab Y_E^b h'_1 f(r) / (16 pi^2 m_E^2) in GeV^-2 (N = N_1)."""
    fm = f_matrix(p)
    s = 0.0
    for b in FLAVOURS:
        if b != flavour:
            s = s + fm[(flavour, b)] * p[f"Y_E_{b}"]
    return s * p["hp_1"] * f_dipole(ratio_r(p["m_E"], p["m_phi"])) / (
        16.0 * math.pi ** 2 * p["m_E"] ** 2)


def unbroken_dipoles(p, flavour: str):
    """(d_UB, d_UW) in GeV^-2 for L_flavour (2308.16608 eq. 2.2 basis): C_NB = 3 g' K / 4,
    C_NW = g K / 2 (the slides' matching; the photon combination is derived, the B/W split
    is the slides')."""
    g, gp = gauge_couplings()
    k = active_sterile_K(p, flavour)
    return 0.75 * gp * k, 0.5 * g * k


def d_gamma(p, flavour: str):
    """Active-sterile photon dipole d_gamma^a = e v K_a / sqrt2 in GeV^-1 (seed 003 eq. 2.4
    applied to unbroken_dipoles; equals the broken-phase mass-insertion result)."""
    return c.E_CHARGE * c.VEV * active_sterile_K(p, flavour) / math.sqrt(2.0)


def ratio_a() -> float:
    """The model's a = d_UW/d_UB = 2 g/(3 g') = 2/(3 tan theta_w) (2308.16608 eq. 2.6)."""
    g, gp = gauge_couplings()
    return 2.0 * g / (3.0 * gp)


def eps_Z(p, a: str, b: str):
    """eps_ab = v^2 Y_E^a Y_E^b / (4 m_E^2) = -(v^2/2)(C_Hl^(1) + C_Hl^(3))_ab: the shift
    of the Z coupling of l_L (units g/c_w) and, for a = b, of the W coupling (1 - eps_aa)."""
    return c.VEV ** 2 * p[f"Y_E_{a}"] * p[f"Y_E_{b}"] / (4.0 * p["m_E"] ** 2)


def delta_phi(p, a: str, b: str):
    """delta_ab = f_ab^2 / (sqrt2 G_F m_phi^2): relative shift of the l_a -> l_b nu nu
    amplitude from phi exchange (adds to the W; C_ll = +f f*/m_phi^2)."""
    fab = f_matrix(p)[(a, b)]
    return fab ** 2 / (math.sqrt(2.0) * c.G_FERMI * p["m_phi"] ** 2)


def phi_loop_dipole(p, i: str, j: str):
    """Coefficient c_R (GeV^-1) of l-bar_j sigma^{mu nu} P_R l_i F_{mu nu} from the phi-nu
    loop (photon on phi), c_R = -e m_i Sum_a f_ai f_aj / (96 pi^2 m_phi^2) (Leveille 1978
    with vertex 2f); gives BR(mu -> e gamma) = alpha |f_taue f_taumu|^2/(48 pi G_F^2 m_phi^4)."""
    fm = f_matrix(p)
    s = 0.0
    for a in FLAVOURS:
        if a not in (i, j):
            s = s + fm[(a, i)] * fm[(a, j)]
    return -c.E_CHARGE * c.LEPTON_MASS[i] * s / (96.0 * math.pi ** 2 * p["m_phi"] ** 2)
