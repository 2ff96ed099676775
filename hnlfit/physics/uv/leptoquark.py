"""Scalar leptoquark S_1 ~ (3bar, 1, 1/3) (seed 001, Brdar et al.; derivation in
docs/derivations/uv_models.md).

L = y_1 b-bar_R^c N_R S_1 + y_2 Q-bar_L^3 L_l^c S_1^dagger + y'_1 t-bar_R^c e_R S_1 + h.c.
(real couplings; y_2 couples the third quark doublet to the lepton doublet L_l, l = tau by
default).

* nu_l -> N transition dipole from the b-S_1 loop, chirality flip on m_b (loops.py with
  F = b^c, S = S_1, N_c |Q_b| = 1):
      d = e N_c |Q_b| y_1 y_2 m_b [A(t) + B(t)] / (32 pi^2 m_LQ^2),   t = m_b^2/m_LQ^2,
      A + B = r f(r) -> ln(m_LQ^2/m_b^2) - 1   (r = 1/t),
  so mu_nu = 2 d = e y_1 y_2 m_b [ln(m_LQ^2/m_b^2) - 1] / (16 pi^2 m_LQ^2).  The slide's
  e y_1 y_2 m_b ln / (8 pi^2 m_LQ^2) is twice this and gives 3.0e-11 mu_B at m_LQ = 1 TeV,
  y_1 y_2 = 0.05 (not the quoted 1e-10, which needs an extra factor N_c = 3).
* the same loop without the photon: m_nuN = N_c y_1 y_2 m_b ln(m_LQ^2/m_b^2) / (16 pi^2)
  (log part; the constant is scheme dependent and absorbed in the tree-level Yukawa).
* b -> c tau nu: C_VL = y_2^2 / (4 sqrt2 G_F m_LQ^2), R(D(*))/R_SM = (1 + C_VL)^2
  (Bauer & Neubert 1511.01900 with the couplings of the third family; the y_1 (b -> c tau N)
  regime is not implemented).
* muon g-2 from y_2 (L_mu) and y'_1 with the top in the loop:
  Delta a_mu = -(N_c m_mu m_t y_2 y'_1 / (8 pi^2 m_LQ^2)) [Q_t A(t_t) + Q_S B(t_t)]
  -> (m_mu m_t y_2 y'_1 / (4 pi^2 m_LQ^2)) [ln(m_LQ^2/m_t^2) - 7/4]  (1511.01900 eq. 27).
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from .loops import f_fermion_photon, f_scalar_photon

N_C = 3
Q_B = -1.0 / 3.0


def loop_sum(m_F, m_S):
    """A(t) + B(t) (photon on the quark plus photon on S_1, neutral external pair)."""
    return f_fermion_photon(m_F, m_S) + f_scalar_photon(m_F, m_S)


def d_transition(y_1, y_2, m_LQ):
    """Transition dipole d (GeV^-1) of nu_l-bar sigma N_R F (seed 003 eq. 2.1 convention)."""
    m = np.asarray(m_LQ, float)
    return (c.E_CHARGE * N_C * abs(Q_B) * y_1 * y_2 * c.M_BOTTOM * loop_sum(c.M_BOTTOM, m)
            / (32.0 * math.pi ** 2 * m ** 2))


def mu_nu_bohr(y_1, y_2, m_LQ):
    """mu_nu = 2 d in Bohr magnetons (seed 001's L = 1/2 mu nu-bar sigma N F)."""
    return 2.0 * d_transition(y_1, y_2, m_LQ) / c.MU_BOHR_GEV


def mu_nu_slide_bohr(y_1, y_2, m_LQ):
    """The slide's estimate e y_1 y_2 m_b ln(m_b^2/m_LQ^2) / (8 pi^2 m_LQ^2) (magnitude), mu_B."""
    m = np.asarray(m_LQ, float)
    return np.abs(c.E_CHARGE * y_1 * y_2 * c.M_BOTTOM * np.log(c.M_BOTTOM ** 2 / m ** 2)
                  / (8.0 * math.pi ** 2 * m ** 2)) / c.MU_BOHR_GEV


def dirac_mass(y_1, y_2, m_LQ, voloshin: bool = False):
    """Radiative Dirac mass m_nuN (GeV) = N_c y_1 y_2 m_b ln(m_LQ^2/m_b^2)/(16 pi^2);
    with the Voloshin SU(2)_H symmetry (extra R2-tilde ~ (3,2,1/6)) suppressed by alpha/(4 pi)
    (seed 001 backup slide, with the slide's alpha/4pi moved to the mass side: for fixed mu_nu
    the symmetric model needs a mass 4 pi/alpha times smaller)."""
    m = np.asarray(m_LQ, float)
    mass = N_C * y_1 * y_2 * c.M_BOTTOM * np.log(m ** 2 / c.M_BOTTOM ** 2) / (16.0 * math.pi ** 2)
    return mass * (c.ALPHA_EM / (4.0 * math.pi) if voloshin else 1.0)


def light_nu_mass_eV(y_1, y_2, m_LQ, m_N, voloshin: bool = False):
    """Seesaw light-neutrino mass m_nu = m_nuN^2 / M_N in eV (seed 001, type-I estimate)."""
    return dirac_mass(y_1, y_2, m_LQ, voloshin) ** 2 / np.asarray(m_N, float) * 1e9


def c_vl(y_2, m_LQ):
    """C_VL = y_2^2/(4 sqrt2 G_F m_LQ^2) of b -> c tau nu relative to the SM (1511.01900)."""
    return np.asarray(y_2, float) ** 2 / (4.0 * math.sqrt(2.0) * c.G_FERMI
                                          * np.asarray(m_LQ, float) ** 2)


def r_d_ratio(y_2, m_LQ):
    """R(D)/R_SM = R(D*)/R_SM = (1 + C_VL)^2 (pure left-handed vector operator)."""
    return (1.0 + c_vl(y_2, m_LQ)) ** 2


def delta_a_mu(y_2, yp_1, m_LQ):
    """Delta a_mu from the top-S_1 loop (Leveille 1978 with Q_t^c = -2/3, Q_S = -1/3;
    N_c = 3): (N_c m_mu m_t y_2 y'_1 / (8 pi^2 m_LQ^2)) [(2/3) A - (1/3) B'] where
    B' = m_S^2 int x(1-x)/(x m_S^2 + (1-x) m_t^2); leading log: 1511.01900 eq. 27."""
    m = np.asarray(m_LQ, float)
    a = f_fermion_photon(c.M_TOP, m)
    b = f_scalar_photon(c.M_TOP, m)
    return (N_C * c.M_MU * c.M_TOP * y_2 * yp_1 / (8.0 * math.pi ** 2 * m ** 2)
            * ((2.0 / 3.0) * a - (1.0 / 3.0) * b))
