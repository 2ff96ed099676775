"""nuSMEFT right-handed current O_Hnue: dipoles of charged leptons and light neutrinos.

Reference: V. Cirigliano, W. Dekens, J. de Vries, K. Fuyuto, E. Mereghetti, R. Ruiz,
"Leptonic anomalous magnetic moments in nuSMEFT", JHEP 08 (2021) 103, arXiv:2105.11462
(seed 004). Equation numbers below are that paper's.

Conventions (n = 1 heavy state, j = 4)
--------------------------------------
* ``m_N`` = m_4 in GeV, x = m_N^2 / m_W^2.
* ``U`` = |U_l4| >= 0 (real), ``C`` = signed real magnitude of [C-bar_Hnue]_4l in GeV^-2,
  ``phi`` = CP phase of the product, so ``U_l4 [C-bar_Hnue]_4l = U C exp(i phi)``.
  With U_l4 real the phase sits on C-bar: [C-bar]_4l = C exp(i phi_l).
* e = |e| = sqrt(4 pi alpha_em), alpha_em in the Thomson limit (hnlfit.constants).
* All functions are pure and vectorized: numpy arrays (or scalars) in, broadcast arrays out.
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from .loops import w_loop

_LOOP = (4.0 * math.pi) ** 2            # (4 pi)^2 = 16 pi^2

#: Gamma-hat_mu as quoted in the seed, 2105.11462 text after eq. 4.16 ("Using ref. [35], we
#: obtain Gamma-hat_mu = 0.996"). :func:`gamma_hat_mu` recomputes it from the measured
#: muon lifetime and G_F (0.9956 with hnlfit.constants).
GAMMA_HAT_MU_SEED = 0.996


def _x(m_N, m_W=c.M_W):
    m_N = np.asarray(m_N, dtype=np.float64)
    return (m_N / m_W) ** 2


def gamma_hat_mu(tau_mu_s: float = c.TAU_MU_S, g_fermi: float = c.G_FERMI,
                 m_mu: float = c.M_MU) -> float:
    """Gamma-hat_mu of eq. 4.16, tau_mu^-1 = G_F^2 m_mu^5 / (192 pi^3) Gamma-hat_mu.

    Solved for Gamma-hat_mu with the measured lifetime::

        Gamma-hat_mu = 192 pi^3 / (G_F^2 m_mu^5 tau_mu),   tau_mu in GeV^-1 = tau[s] / hbar

    gives 0.9956 with the PDG inputs in hnlfit.constants (seed: 0.996,
    :data:`GAMMA_HAT_MU_SEED`).
    """
    tau_gev = tau_mu_s / c.HBAR_GEV_S
    return 192.0 * math.pi ** 3 / (g_fermi ** 2 * m_mu ** 5 * tau_gev)


# --------------------------------------------------------------------------- g-2 and EDMs
def delta_a(m_lep, m_N, U, C, phi=0.0, m_W: float = c.M_W, w=None) -> np.ndarray:
    """Anomalous magnetic moment shift, 2105.11462 eq. 3.11 for n = 1::

        Delta a_l = -2 m_l / (4 pi)^2  m_N w(x) Re(U_l4 [C-bar_Hnue]_4l)
                  = -2 m_l m_N w(x) U C cos(phi) / (16 pi^2)

    m_l, m_N in GeV, C in GeV^-2. Dimensionless. C = -1/Lambda^2 with U > 0 gives
    Delta a > 0 (seed Sec. 5.1).  ``w``: w(x) at these masses, if already computed.
    """
    m_N = np.asarray(m_N, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    re = np.asarray(U) * np.asarray(C)
    if np.any(phi):                      # cos is the slowest step; skip it when CP-even
        re = re * np.cos(phi)
    else:                                # keep phi's shape in the broadcast (a view)
        re = np.broadcast_to(re, np.broadcast_shapes(re.shape, phi.shape))
    w = w_loop(_x(m_N, m_W)) if w is None else w
    return (-2.0 / _LOOP) * np.asarray(m_lep) * m_N * w * re


def edm_combination(m_N, U, C, phi=0.0, m_W: float = c.M_W, w=None) -> np.ndarray:
    """The CP-odd combination bounded in 2105.11462 eq. 5.1 (dimensionless)::

        X = (m_N / v) w(x) Im(U_l4 [v^2 C-bar_Hnue]_4l) = m_N v w(x) U C sin(phi)
    """
    m_N = np.asarray(m_N, dtype=np.float64)
    w = w_loop(_x(m_N, m_W)) if w is None else w
    return m_N * c.VEV * w * np.asarray(U) * np.asarray(C) * np.sin(phi)


def edm(m_N, U, C, phi=0.0, m_W: float = c.M_W, w=None) -> np.ndarray:
    """Charged-lepton EDM d_l / e in cm (i.e. d_l in units of e cm); 2105.11462 text after
    eq. 3.12: eq. 3.11 times [-e / (2 m_l)] with Re -> Im::

        d_l = -e/(2 m_l) * (-2 m_l/(4 pi)^2) m_N w(x) Im(U C-bar)
            = e m_N w(x) U C sin(phi) / (16 pi^2)              [GeV^-1]
            = e X / (16 pi^2 v)                                 (X of eq. 5.1)

    The lepton mass cancels. GeV^-1 -> cm with hbar c. Check (eq. 5.1): X = 2.2e-11
    gives d_e = 1.1e-29 e cm.
    """
    return edm_combination(m_N, U, C, phi, m_W, w) / (_LOOP * c.VEV) * c.HBARC_GEV_CM


# --------------------------------------------------------------- lepton-flavour violation
def lfv_dipole(m_N, U_alpha, C_beta, phi_beta=0.0, m_W: float = c.M_W) -> np.ndarray:
    """Flavour-changing dipole L_{alpha beta} in GeV^-1, 2105.11462 eq. 4.14 (n = 1)::

        L_ab = -e/(32 pi^2) U_a4 m_N [C-bar_Hnue]_4b w(x),   [C-bar]_4b = C_b exp(i phi_b)

    It multiplies (e-bar_La sigma^{mu nu} e_Rb) F_{mu nu} (eq. 3.1), so the *left-handed*
    lepton of the pair enters through the mixing U and the *right-handed* one through the
    RH current C. Complex output; |L| does not depend on the phase for n = 1. For a = b it
    reproduces eq. 3.11 through eq. 3.2, Delta a_l = 4 m_l Re(L_ll) / e.
    """
    m_N = np.asarray(m_N, dtype=np.float64)
    pref = -c.E_CHARGE / (2.0 * _LOOP)         # -e / (32 pi^2)
    return (pref * np.asarray(U_alpha) * m_N * np.asarray(C_beta) * w_loop(_x(m_N, m_W))
            * np.exp(1j * np.asarray(phi_beta, dtype=np.float64)))


def br_lgamma(m_N, U_a, C_a, U_b, C_b, m_b: float, width_b: float,
              m_W: float = c.M_W) -> np.ndarray:
    """BR(l_b -> l_a gamma), first form of 2105.11462 eq. 4.15 generalised to any pair::

        BR = tau_b m_b^3 / (4 pi) (|L_ab|^2 + |L_ba|^2),   tau_b = 1 / width_b  [GeV^-1]

    The two chiralities: L_ab (l_b right-handed in, l_a left-handed out) ∝ U_a C_b, and
    L_ba (its h.c. gives l_b left-handed in, l_a right-handed out) ∝ U_b C_a. So

        BR ∝ (U_a C_b)^2 + (U_b C_a)^2,

    symmetric under (a <-> b with U and C swapped together). For n = 1 the two terms do not
    interfere and the CP phases drop out. The m_a -> 0 limit is used (m_a^2/m_b^2 dropped).
    """
    L_ab = lfv_dipole(m_N, U_a, C_b, 0.0, m_W)
    L_ba = lfv_dipole(m_N, U_b, C_a, 0.0, m_W)
    return m_b ** 3 / (4.0 * math.pi * width_b) * (np.abs(L_ab) ** 2 + np.abs(L_ba) ** 2)


def br_mu_to_e_gamma(m_N, U_e, C_e, U_mu, C_mu, gamma_hat: float | None = None,
                     m_W: float = c.M_W, w=None) -> np.ndarray:
    """BR(mu -> e gamma), second form of 2105.11462 eq. 4.15 (n = 1)::

        BR = 3 alpha / (8 pi Gamma-hat_mu) (m_N/m_mu)^2 w(x)^2
             * ( |U_mu4 v^2 C-bar_4e|^2 + |U_e4 v^2 C-bar_4mu|^2 )

    It equals the first form with tau_mu from eq. 4.16 (G_F = 1/(sqrt2 v^2)). With
    ``gamma_hat=None`` Gamma-hat_mu is computed from the measured lifetime
    (:func:`gamma_hat_mu`), so the result is identical to the first form with the measured
    tau_mu; pass ``GAMMA_HAT_MU_SEED`` to use the seed's 0.996.  ``w``: w(x), if known.
    """
    g = gamma_hat_mu() if gamma_hat is None else gamma_hat
    m_N = np.asarray(m_N, dtype=np.float64)
    v2 = c.VEV ** 2
    amp2 = (np.asarray(U_mu) * v2 * np.asarray(C_e)) ** 2 + \
        (np.asarray(U_e) * v2 * np.asarray(C_mu)) ** 2
    w = w_loop(_x(m_N, m_W)) if w is None else w
    return (3.0 * c.ALPHA_EM / (8.0 * math.pi * g)) * (m_N / c.M_MU) ** 2 * w ** 2 * amp2


def br_tau_to_l_gamma(m_N, U_l, C_l, U_tau, C_tau, width_tau: float = c.GAMMA_TAU,
                      m_W: float = c.M_W) -> np.ndarray:
    """BR(tau -> l gamma), l = e or mu: the first form of 2105.11462 eq. 4.15 with the
    measured tau width (Gamma_tau = hbar / tau_tau)::

        BR = m_tau^3 / (4 pi Gamma_tau) (|L_l tau|^2 + |L_tau l|^2),
        L_l tau ∝ U_l C_tau,  L_tau l ∝ U_tau C_l          (eq. 4.14)

    The muon-style second form would need BR(tau -> e nu nu) in place of 1/Gamma-hat_mu:
    BR(tau -> l gamma) = 3 alpha/(8 pi) BR(tau -> e nu nu)/Gamma-hat (m_N/m_tau)^2 w^2 (...),
    which the measured width already contains.
    """
    return br_lgamma(m_N, U_l, C_l, U_tau, C_tau, c.M_TAU, width_tau, m_W)


def br_mu_to_e_gamma_min(delta_a_e, delta_a_mu, tau_mu_s: float = c.TAU_MU_S) -> np.ndarray:
    """Lower bound on BR(mu -> e gamma) for n = 1 given both anomalies, 2105.11462 eq. 5.2::

        BR_min = tau_mu alpha m_mu^3 / 8 |Delta a_e Delta a_mu / (m_e m_mu)|

    Derivation: with a_l = U_l C_l m_N w = -8 pi^2 Delta a_l / m_l (eq. 3.11) and
    xi = U_e/U_mu, |L_e mu|^2 + |L_mu e|^2 = (e/32pi^2)^2 (xi^2 a_mu^2 + a_e^2/xi^2), which is
    >= 2 |a_e a_mu| (e/32 pi^2)^2; inserting in eq. 4.15 gives the formula. Seed: 1.4e-4 for
    Delta a_e^Cs and Delta a_mu of eqs. 1.3, 1.5.
    """
    tau_gev = tau_mu_s / c.HBAR_GEV_S
    return tau_gev * c.ALPHA_EM * c.M_MU ** 3 / 8.0 * np.abs(
        np.asarray(delta_a_e) * np.asarray(delta_a_mu) / (c.M_E * c.M_MU))


def eq61_coefficient(Lambda=1000.0, m_W: float = c.M_W, m_mu: float = c.M_MU) -> np.ndarray:
    """Coefficient of the nuSMEFT line of 2105.11462 eq. 6.1 (seed value 1.1e-7 at 1 TeV).

    Writing C-bar = C-tilde / Lambda^2 in eq. 3.11::

        Delta a_l = (m_l/m_mu) * [ -K (m_N/m_W) w(x) U C-tilde ],
        K = 2 m_mu m_W / ((4 pi)^2 Lambda^2)  = 1.08e-7 for Lambda = 1 TeV.
    """
    Lambda = np.asarray(Lambda, dtype=np.float64)
    return 2.0 * m_mu * m_W / (_LOOP * Lambda ** 2)


# ----------------------------------------------------------------------- LHC combination
def x_lhc(U, C) -> np.ndarray:
    """X_l = |U_l4|^2 + |v^2 C-bar_4l|^2 / 4, 2105.11462 eqs. 4.39 and 4.45 (dimensionless).

    The d = 4 and d = 6 Drell-Yan / W-gamma rates do not interfere (up to m_l^2/Q^2), so the
    pp -> l N cross section is X_l times the |U|^2 = 1 rate (tables 3, 4 bound X_l).
    """
    return np.asarray(U) ** 2 + 0.25 * (c.VEV ** 2 * np.asarray(C)) ** 2


# ----------------------------------------------------------- light-neutrino magnetic moment
def mu_nu_transition(m_lep, U_S, C, U_alpha) -> np.ndarray:
    """Light-neutrino (transition) magnetic moment [mu_nu]_ij in Bohr magnetons,
    2105.11462 eq. 4.13, from a charged lepton l_alpha in the loop::

        [mu_nu]_ij = 8/(4 pi)^2  y_alpha y_e  mu_B  U*_Sj [v^2 C*_Hnue]_S alpha U*_alpha i
                   = 8 m_alpha m_e / (16 pi^2)  U_Sj C_S alpha U_alpha i  mu_B      (real inputs)

    with y_l = m_l / v (the SM value of y_l of eqs. 4.1 and 4.5). For alpha = mu this is
    4.5e-11 mu_B U v^2 C U (seed: 4.4e-11).

    Eq. 4.12 vs eq. 4.13 (which is right)
    ------------------------------------
    mu_nu is the coefficient of -1/4 nu^T C sigma P_R nu F (Sec. 3.1), mass dimension -1.
    In eq. 4.12 as printed, both -2 sqrt2 U*[c_w C_nuB + s_w C_nuW]U* and
    -e/(4pi)^2 (sqrt2 m_l / v) U* C*_Hnue U* have dimension GeV^-2 (C_nuB, C_nuW, C_Hnue are
    GeV^-2), so eq. 4.12 cannot be mu_nu; eq. 4.13 has dimension GeV^-1 (mu_B = e/2m_e).
    After EWSB H~ -> v/sqrt2, so the dipole operators give
    mu_nu = -2 sqrt2 v U*[c_w C_nuB + s_w C_nuW]U*: the first form of eq. 4.12 lacks a factor
    v, and its second form is the loop-induced value of U*[c_w C_nuB + s_w C_nuW]U* (GeV^-2).
    Multiplying it by -2 sqrt2 v gives mu_nu = 4 e m_l/(16 pi^2) U* C* U*, which is exactly
    eq. 4.13 with y_l = m_l/v (sign included):
    8/(16 pi^2) (m_l m_e/v^2) (e/2m_e) v^2 C = 4 e m_l C/(16 pi^2).
    The seed's number 4.4e-11 needs y = m/v (y = sqrt2 m/v would give 9.0e-11); we get
    4.51e-11 with PDG masses and v = 246.22 GeV. Plausibility check (the classic
    left-right-model moment, recalled from the literature rather than re-derived here):
    mu = e G_F m_l sin(2 zeta) / (2 sqrt2 pi^2) with a RH/LH W-coupling ratio
    zeta = v^2 C / 2 (eq. 3.10 vs the SM g/sqrt2) is again 4 e m_l C/(16 pi^2).
    Eq. 4.13 is implemented; tests/test_nusmeft.py checks the repaired eq. 4.12 against it.
    """
    return (8.0 * np.asarray(m_lep) * c.M_E / _LOOP) * np.asarray(U_S) * np.asarray(C) \
        * np.asarray(U_alpha)


def mu_nu_max(U_e, U_mu, U_tau, C_e, C_mu, C_tau) -> np.ndarray:
    """Upper bound on every light-neutrino element |[mu_nu]_ij| in mu_B from eq. 4.13.

    Summing eq. 4.13 over alpha = e, mu, tau and bounding the unknown light-neutrino mixing:
    |sum_alpha m_alpha C_alpha U_alpha i| <= sqrt(sum_alpha m_alpha^2 C_alpha^2) because
    sum_alpha |U_alpha i|^2 <= 1, and |U_Sj| <= sqrt(sum_alpha |U_alpha4|^2) by unitarity
    of the 4th column (sum_{j<=3} |U_Sj|^2 = 1 - |U_S4|^2 = sum_alpha |U_alpha4|^2). So::

        |mu_nu|_max = 8 m_e / (16 pi^2) sqrt(sum U_alpha4^2) sqrt(sum m_alpha^2 C_alpha^2)

    with [C_Hnue]_S alpha ~= [C-bar]_4 alpha (|U_S4| = 1 - O(U^2)). Compare with Borexino's
    mu_eff < 2.8e-11 mu_B (seed Sec. 4.2).
    """
    u2 = np.asarray(U_e) ** 2 + np.asarray(U_mu) ** 2 + np.asarray(U_tau) ** 2
    mc2 = (c.M_E * np.asarray(C_e)) ** 2 + (c.M_MU * np.asarray(C_mu)) ** 2 + \
        (c.M_TAU * np.asarray(C_tau)) ** 2
    return 8.0 * c.M_E / _LOOP * np.sqrt(u2 * mc2)
