"""One-loop dipole functions of a fermion F and a scalar S (docs/derivations/uv_models.md).

A neutral external fermion pair coupled as  psi-bar_1 (a P_L + b P_R) F S*  with
Q_F = Q_S (charge conserved) gets, from the chirality flip on the internal F line, the
dipole coefficient (of psi-bar_1 sigma^{mu nu} P_R psi_2 F_{mu nu})

    c = e Q_F a b* m_F I(m_F, m_S) / (32 pi^2),
    I = [int_0^1 x^2 dx / D_F(x) + int_0^1 x(1-x) dx / D_S(x)]
      = f(r) / m_F^2,        r = m_S^2 / m_F^2,

with D_F = x m_F^2 + (1-x) m_S^2 (photon on F) and D_S = x m_S^2 + (1-x) m_F^2 (photon on S),
the Feynman-parameter integrals of Leveille, Nucl. Phys. B137 (1978) 63, in the limit of
vanishing external masses.  The sum collapses to

    f(r) = int_0^1 x dx / (x + r (1-x)) = 1/(1-r) + r ln r / (1-r)^2     (2405.08877),

so the slide's r is m_phi^2/m_E^2 (scalar over fermion).  Limits: f(0) = 1, f(1) = 1/2,
f(r) -> (ln r - 1)/r for r -> infinity; and f(1/r) + r f(r) = r ln r / (r - 1).
"""
from __future__ import annotations

import numpy as np


def f_dipole(r):
    """f(r) = 1/(1-r) + r ln r/(1-r)^2 (2405.08877 one-loop matching), r = m_S^2/m_F^2.

    Evaluated with a series near r = 1 (the closed form cancels there):
    f = 1/2 - (r-1)/6 + (r-1)^2/12 - (r-1)^3/20 + ...
    """
    r = np.asarray(r, dtype=np.float64)
    if np.any(r < 0):
        raise ValueError("f_dipole: r = m_S^2/m_F^2 must be >= 0")
    d = r - 1.0
    near = np.abs(d) < 1e-3
    with np.errstate(divide="ignore", invalid="ignore"):
        logr = np.log(np.where(r > 0, r, 1.0))
        closed = 1.0 / (1.0 - r) + np.where(r > 0, r * logr, 0.0) / (1.0 - r) ** 2
    series = 0.5 - d / 6.0 + d ** 2 / 12.0 - d ** 3 / 20.0 + d ** 4 / 30.0
    return np.where(near, series, closed)


def f_fermion_photon(m_F, m_S):
    """A(t) = m_S^2 int_0^1 x^2 dx / (x m_F^2 + (1-x) m_S^2), photon on the fermion only.

    Closed form with a = 1 - t, t = m_F^2/m_S^2:  A = -1/(2a) - 1/a^2 - ln(t)/a^3
    (A -> ln(1/t) - 3/2 for t -> 0, the leading log of a light internal quark); a series
    around t = 1 (A = 1/3 - (t-1)/4 + (t-1)^2/5 ...) where the closed form cancels.
    """
    t = (np.asarray(m_F, float) / np.asarray(m_S, float)) ** 2
    a = 1.0 - t
    near = np.abs(a) < 1e-3
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = -0.5 / a - 1.0 / a ** 2 - np.log(t) / a ** 3
    d = t - 1.0
    series = 1.0 / 3.0 - d / 4.0 + d ** 2 / 5.0 - d ** 3 / 6.0
    return np.where(near, series, closed)


def f_scalar_photon(m_F, m_S):
    """B(t) = m_S^2 int_0^1 x(1-x) dx / (x m_S^2 + (1-x) m_F^2), photon on the scalar only;
    B = r f(r) - A with r = m_S^2/m_F^2 (the sum is the neutral-external combination)."""
    r = (np.asarray(m_S, float) / np.asarray(m_F, float)) ** 2
    return r * f_dipole(r) - f_fermion_photon(m_F, m_S)
