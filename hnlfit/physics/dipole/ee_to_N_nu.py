"""e+ e- -> N nu-bar_alpha + N-bar nu_alpha through the dipole portal; Z -> nu N.

Lagrangian: 2308.16608 eq. 2.3 (``+ d_Z Z_{mu nu}``, d_Z from eqs. 2.4/2.6).  Gauge couplings
at tree level from (alpha, sin^2 theta_w): e = sqrt(4 pi alpha), g = e/s_w, g_Z = e/(s_w c_w);
L_int = e Q fbar A-slash f + g_Z fbar Z-slash (T3 P_L - s_w^2 Q) f + g/sqrt2 (nu-bar W+-slash P_L e
+ h.c.).  (Flipping the sign convention of the covariant derivative flips e, g, g_Z together
and leaves every cross section below unchanged.)

Amplitude for e-(p1) e+(p2) -> N(k1) nu-bar(k2), cos(theta) = angle of N to the e- beam in
the CM frame, s = (p1+p2)^2, t = (p1-k1)^2 = -(s - m^2)(1 - c)/2, Delta = s - m^2::

    M = 2 sum_X A_X [v(p2) gamma^nu P_X u(p1)] [u(k1) sigma_{mu nu} q^mu P_L v(k2)]
      - 2 B(t) [u(k1) sigma^{mu nu} (k1-p1)_mu P_L u(p1)] [v(p2) gamma_nu P_L v(k2)]

    A_X = -e d_gamma / s + g_Z g_X d_Z / (s - M_Z^2 + i M_Z Gamma_Z),   X = L, R
    g_L = -1/2 + s_w^2,  g_R = s_w^2,   B(t) = (g/sqrt2) d_W / (t - M_W^2)   (alpha = e only)

The relative minus sign between the s- and t-channel terms is the Fermi sign; the same sign
gives the textbook g_L -> g_L + 1 for e+e- -> nu_e nu-bar_e (tested).  Explicit traces
(docs/derivations/dipole_portal.md) give, summed over all spins::

    sum|M|^2 = 4 [ |A_L|^2 S_L + |A_R|^2 S_R + B^2 T - 2 B Re(A_L) I ]
    S_L,R = s Delta [ s (1 - c^2) + m^2 (1 +- c)^2 ],  T = Delta^3 (1 - c^2),  I = s Delta^2 (1 - c^2)

    dsigma/dc (N nu-bar) = Delta / (128 pi s^2) sum|M|^2
    (flux 1/(2s), spin average 1/4, two-body phase space dPhi/dc = Delta/(16 pi s))

and the N-bar nu channel is its CP mirror, dsigma/dc(N-bar nu)(c) = dsigma/dc(N nu-bar)(-c)
(tested against explicit spinors).  Integrated (r = Delta/M_W^2)::

    sigma(N nu-bar) = Delta^2 (s + 2 m^2) (|A_L|^2 + |A_R|^2) / (24 pi s)
                    + g^2 d_W^2 Delta M_W^2 F2(r) / (8 pi s^2)
                    + sqrt2 g d_W Re(A_L) M_W^4 F1(r) / (4 pi s)
    F2(r) = (2 + r) ln(1 + r) - 2 r,      F1(r) = r + r^2/2 - (1 + r) ln(1 + r)

(series for small r, where the closed forms cancel).  The pieces reproduce the slides of seed
002 with their typos fixed: Z terms with 8 s_w^4 - 4 s_w^2 + 1 = 4 (g_L^2 + g_R^2) and
1 - 4 s_w^2 = -2 (g_L + g_R); the gamma-Z interference is + d_gamma d_Z (1 - 4 s_w^2)(s - M_Z^2)
with d_Z of 2308.16608 eq. 2.6 (the slides' Lagrangian has -d_Z); sigma^W equals the slides'
only for m_N -> 0; the W-(gamma, Z) interference (last line) is absent from the slides.

Dirac N by default.  For a Majorana N the two channels become N nu-bar and N nu with the same
rates, so the summed cross section is unchanged.

Not included: initial-state radiation, beam-energy spread, running of alpha (pass
``alpha=1/128`` or so at LEP energies if wanted; the default is the Thomson-limit value the
seed formulas are written with).
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c

FLAVOURS = ("e", "mu", "tau")
_SERIES_MAX_R = 0.5
_N_SERIES = 80


def gauge_couplings(alpha: float = c.ALPHA_EM):
    """(e, g, g_Z, s_w, c_w) at tree level from alpha and sin^2 theta_w."""
    sw = math.sqrt(c.SIN2_THETA_W)
    cw = math.sqrt(1.0 - c.SIN2_THETA_W)
    e = math.sqrt(4.0 * math.pi * alpha)
    return e, e / sw, e / (sw * cw), sw, cw


def _series_F(r, k: int):
    """sum_j (-1)^j C(j+k-1, k-1) r^(j+3) / ((j+2)(j+3)) = int_0^r y (r - y)/(1 + y)^k dy."""
    acc = np.zeros_like(r)
    for j in range(_N_SERIES - 1, -1, -1):   # Horner in r; loop over terms, not points
        binom = math.comb(j + k - 1, k - 1)
        acc = acc * r + (-1.0) ** j * binom / ((j + 2.0) * (j + 3.0))
    return acc * r ** 3


def F1(r):
    """int_0^r y (r - y)/(1 + y) dy = r + r^2/2 - (1 + r) ln(1 + r); stable for all r >= 0."""
    r = np.asarray(r, dtype=np.float64)
    small = r < _SERIES_MAX_R
    rs = np.where(small, r, 0.0)
    rl = np.where(small, 1.0, r)
    closed = rl + 0.5 * rl * rl - (1.0 + rl) * np.log1p(rl)
    return np.where(small, _series_F(rs, 1), closed)


def F2(r):
    """int_0^r y (r - y)/(1 + y)^2 dy = (2 + r) ln(1 + r) - 2 r; stable for all r >= 0."""
    r = np.asarray(r, dtype=np.float64)
    small = r < _SERIES_MAX_R
    rs = np.where(small, r, 0.0)
    rl = np.where(small, 1.0, r)
    closed = (2.0 + rl) * np.log1p(rl) - 2.0 * rl
    return np.where(small, _series_F(rs, 2), closed)


def s_channel_amplitudes(s, d_gamma, d_Z, alpha: float = c.ALPHA_EM):
    """(A_L, A_R): the gamma + Z s-channel coefficients (complex, GeV^-3) for left- and
    right-handed electrons (see module docstring)."""
    e, g, gz, sw, cw = gauge_couplings(alpha)
    s = np.asarray(s, dtype=np.float64)
    prop_z = 1.0 / (s - c.M_Z ** 2 + 1j * c.M_Z * c.GAMMA_Z)
    gl, gr = -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W
    a_gamma = -e * np.asarray(d_gamma, dtype=np.float64) / s
    aL = a_gamma + gz * gl * np.asarray(d_Z, dtype=np.float64) * prop_z
    aR = a_gamma + gz * gr * np.asarray(d_Z, dtype=np.float64) * prop_z
    return aL, aR


def squared_amplitude(s, cos_theta, m_N, d_gamma, d_Z, d_W=0.0, alpha: float = c.ALPHA_EM):
    """sum over all spins of |M|^2 for e- e+ -> N nu-bar (dimensionless), trace formula."""
    e, g, gz, sw, cw = gauge_couplings(alpha)
    s = np.asarray(s, dtype=np.float64)
    cth = np.asarray(cos_theta, dtype=np.float64)
    m2 = np.asarray(m_N, dtype=np.float64) ** 2
    delta = s - m2
    aL, aR = s_channel_amplitudes(s, d_gamma, d_Z, alpha)
    sin2 = 1.0 - cth * cth
    SL = s * delta * (s * sin2 + m2 * (1.0 + cth) ** 2)
    SR = s * delta * (s * sin2 + m2 * (1.0 - cth) ** 2)
    t = -0.5 * delta * (1.0 - cth)
    B = g / math.sqrt(2.0) * np.asarray(d_W, dtype=np.float64) / (t - c.M_W ** 2)
    T = delta ** 3 * sin2
    II = s * delta ** 2 * sin2
    return 4.0 * (np.abs(aL) ** 2 * SL + np.abs(aR) ** 2 * SR + B * B * T
                  - 2.0 * B * aL.real * II)


def dsigma_dcos(sqrt_s, cos_theta, m_N, d_gamma, d_Z, d_W=0.0, channel: str = "sum",
                alpha: float = c.ALPHA_EM):
    """dsigma/dcos(theta_N) in pb; theta_N = angle of the heavy state (N or N-bar) to the e-
    beam in the CM frame.

    ``channel``: ``"N_nubar"`` (e+e- -> N nu-bar), ``"Nbar_nu"`` (its CP mirror) or ``"sum"``
    (both; forward-backward symmetric).  ``d_W`` is the electron-flavour W dipole and
    contributes only when the couplings are those of alpha = e.  Zero for m_N >= sqrt_s.
    """
    if channel not in ("sum", "N_nubar", "Nbar_nu"):
        raise ValueError(f"channel must be 'sum', 'N_nubar' or 'Nbar_nu', got {channel!r}")
    rs = np.asarray(sqrt_s, dtype=np.float64)
    s = rs * rs
    m = np.asarray(m_N, dtype=np.float64)
    cth = np.asarray(cos_theta, dtype=np.float64)
    open_ = rs > m
    s_safe = np.where(open_, s, 1.0)
    m_safe = np.where(open_, m, 0.0)
    delta = s_safe - m_safe ** 2
    pref = delta / (128.0 * math.pi * s_safe ** 2) * c.GEV2_TO_PB

    def one(sign):
        return pref * squared_amplitude(s_safe, sign * cth, m_safe, d_gamma, d_Z, d_W, alpha)

    if channel == "N_nubar":
        out = one(1.0)
    elif channel == "Nbar_nu":
        out = one(-1.0)
    else:
        out = one(1.0) + one(-1.0)
    return np.where(open_, out, 0.0)


def sigma_components(sqrt_s, m_N, d_gamma, d_Z, d_W=0.0, alpha: float = c.ALPHA_EM):
    """Total cross-section pieces in pb, summed over N nu-bar and N-bar nu.

    Keys: ``gamma``, ``Z``, ``gammaZ`` (s-channel), ``W`` (t-channel), ``W_int`` (W with
    gamma + Z), ``total``.  Zero for m_N >= sqrt_s.
    """
    e, g, gz, sw, cw = gauge_couplings(alpha)
    rs = np.asarray(sqrt_s, dtype=np.float64)
    m = np.asarray(m_N, dtype=np.float64)
    open_ = rs > m
    s = np.where(open_, rs * rs, 1.0)
    m2 = np.where(open_, m * m, 0.0)
    delta = s - m2
    dg = np.asarray(d_gamma, dtype=np.float64)
    dz = np.asarray(d_Z, dtype=np.float64)
    dw = np.asarray(d_W, dtype=np.float64)
    gl, gr = -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W
    prop = 1.0 / (s - c.M_Z ** 2 + 1j * c.M_Z * c.GAMMA_Z)
    common = delta ** 2 * (s + 2.0 * m2) / (24.0 * math.pi * s)     # times sum_X |A_X|^2
    out = {
        "gamma": common * 2.0 * e * e * dg * dg / (s * s),
        "Z": common * gz * gz * (gl * gl + gr * gr) * dz * dz * np.abs(prop) ** 2,
        "gammaZ": common * 2.0 * (-e * dg / s) * gz * (gl + gr) * dz * prop.real,
    }
    aL, _ = s_channel_amplitudes(s, dg, dz, alpha)
    r = delta / c.M_W ** 2
    out["W"] = g * g * dw * dw * delta * c.M_W ** 2 * F2(r) / (8.0 * math.pi * s * s)
    out["W_int"] = math.sqrt(2.0) * g * dw * aL.real * c.M_W ** 4 * F1(r) / (4.0 * math.pi * s)
    for k in list(out):
        out[k] = np.where(open_, 2.0 * out[k] * c.GEV2_TO_PB, 0.0)   # x2: N nu-bar + N-bar nu
    out["total"] = out["gamma"] + out["Z"] + out["gammaZ"] + out["W"] + out["W_int"]
    return out


def sigma(sqrt_s, m_N, d_gamma, d_Z, d_W=0.0, alpha: float = c.ALPHA_EM):
    """sigma(e+e- -> N nu-bar_alpha + N-bar nu_alpha) in pb for one flavour alpha.

    Pass the electron-flavour ``d_W`` only for alpha = e (t-channel W).
    """
    return sigma_components(sqrt_s, m_N, d_gamma, d_Z, d_W, alpha)["total"]


def sigma_point(point, sqrt_s, alpha: float = c.ALPHA_EM):
    """sigma(e+e- -> N nu + c.c.) in pb at a Point, summed over flavours (the final states
    N nu-bar_alpha differ by flavour and do not interfere); the t-channel W uses d_W_e."""
    total = 0.0
    for f in FLAVOURS:
        dw = point["d_W_e"] if f == "e" else 0.0
        total = total + sigma(sqrt_s, point["m_N"], point[f"d_gamma_{f}"], point[f"d_Z_{f}"],
                              dw, alpha)
    return np.asarray(total, dtype=np.float64)


def gamma_Z_to_nu_N(m_N, d_Z):
    """Gamma(Z -> nu_alpha N-bar + nu-bar_alpha N) in GeV, both charge states::

        2 x d_Z^2 (M_Z^2 - m^2)^2 (M_Z^2 + 2 m^2) / (12 pi M_Z^3),   0 for m_N >= M_Z

    (explicit trace; the same for a Majorana N, where the states are nu N and nu-bar N).
    """
    m = np.asarray(m_N, dtype=np.float64)
    MZ = c.M_Z
    x = np.clip(MZ * MZ - m * m, 0.0, None)
    return 2.0 * np.abs(d_Z) ** 2 * x * x * (MZ * MZ + 2.0 * m * m) / (12.0 * math.pi * MZ ** 3)


def gamma_Z_to_nu_N_point(point):
    """:func:`gamma_Z_to_nu_N` at a Point, summed over flavours."""
    return np.asarray(sum(gamma_Z_to_nu_N(point["m_N"], point[f"d_Z_{f}"]) for f in FLAVOURS),
                      dtype=np.float64)
