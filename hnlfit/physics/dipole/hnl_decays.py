"""HNL decays through the active-sterile dipole portal, vectorized in (m_N, couplings).

Lagrangian (2308.16608 eqs. 2.1, 2.3; broken phase, one flavour alpha)::

    L = d_W  l-bar_L  sigma^{mu nu} N_R W^-_{mu nu}
      + nu-bar_L (d_gamma F_{mu nu} + d_Z Z_{mu nu}) sigma^{mu nu} N_R  + h.c.,
    sigma^{mu nu} = (i/2)[gamma^mu, gamma^nu].

Derivations (explicit traces; docs/derivations/dipole_portal.md).  A vector boson of mass M
with momentum q flowing into the vertex gives the vertex 2 d sigma^{mu nu} q_mu P_{L,R}.
Spin-summed |M|^2 (q_mu q_nu terms of the polarisation sum drop: sigma^{mu nu} q_mu q_nu = 0)::

    N -> nu V :   sum|M|^2 = 4 d^2 (m^2 - M^2)(2 m^2 + M^2)
    N -> l W  :   sum|M|^2 = 4 d^2 [2 (m^2 - m_l^2)^2 - M^2 (m^2 + m_l^2) - M^4]

so that, for a Dirac N (spin average 1/2, two-body phase space k/(4 pi m))::

    Gamma(N -> nu gamma) = d_gamma^2 m^3 / (4 pi)                         (2308.16608 eq. 2.19)
    Gamma(N -> nu Z)     = d_Z^2 (m^2 - M_Z^2)^2 (2 m^2 + M_Z^2) / (8 pi m^3)
    Gamma(N -> l W)      = d_W^2 lambda^(1/2)(m^2, M_W^2, m_l^2)
                           [2 (m^2 - m_l^2)^2 - M_W^2 (m^2 + m_l^2) - M_W^4] / (8 pi m^3)

The slides of seed 002 print Gamma(N -> l W) without the Kallen function and with the
lepton-mass terms doubled; the form above vanishes at m = M_W + m_l as it must.

Three-body decays (N -> nu Z* -> nu f fbar, N -> l W* -> l f fbar') factorise exactly at tree
level because the dipole vertex is transverse (q_mu sigma^{mu nu} q_nu = 0), so only the
(q_mu q_nu - q^2 g_mu nu) part of the fermion-pair tensor survives::

    dGamma/dq^2 = (1/pi) Gamma_2(m, M -> sqrt(q^2)) sqrt(q^2) Gamma_{V -> f f'}(q^2)
                  / [(q^2 - M^2)^2 + M^2 Gamma_V^2]

with Gamma_2 the two-body width above evaluated at boson mass^2 = q^2, and Gamma_{V->ff'} the
tree-level width of a vector of mass sqrt(q^2) (G_F scheme couplings, fermion masses kept).
The integral over q^2 from the pair threshold to (m - m_l)^2 depends only on masses: it is
tabulated once on a log grid of m_N (:func:`hnlfit.cache.cached_table`) and scaled by d^2.
It runs over the resonance too, so "nu Z(*)" is one smooth function: below M_Z it is the
three-body width, far above it tends to the on-shell two-body width (the width Gamma_V in the
propagator is the sum of the same tree-level partial widths, so the narrow-width limit is
exact).  These (*) widths are what :func:`total_width` uses; the on-shell formulas are
available separately.

Approximations (documented): quarks as partons with PDG masses from the ``particle`` package,
light-quark pairs only above sqrt(q^2) = 2 m_pi; no QCD corrections; diagonal CKM; the
interference between W* and Z* in N -> nu_e e+ e- is neglected; the virtual-photon channel
N -> nu gamma* -> nu f fbar is an O(alpha) correction to N -> nu gamma and is not included.

Dirac or Majorana: a Majorana N decays both to nu gamma and nu-bar gamma (nu Z, nu-bar Z;
l^- W^+, l^+ W^-) with equal rates, so every partial width doubles; branching ratios are
unchanged and the decay length halves.  Pass ``majorana=True``.
"""
from __future__ import annotations

import math

import numpy as np
from particle import Particle

from ... import constants as c
from ...cache import cached_table
from ..numerics import kallen_sqrt  # noqa: F401  (re-exported: used here and by tests)

FLAVOURS = ("e", "mu", "tau")

# ----------------------------------------------------------------------------------------
# helpers


def _factor(majorana: bool) -> float:
    return 2.0 if majorana else 1.0


# ----------------------------------------------------------------------------------------
# two-body widths


def gamma_nu_gamma(m_N, d_gamma, majorana: bool = False):
    """Gamma(N -> nu_alpha gamma) in GeV; 2308.16608 eq. 2.19 (Dirac), x2 for Majorana."""
    m = np.asarray(m_N, dtype=np.float64)
    return _factor(majorana) * np.abs(d_gamma) ** 2 * m ** 3 / (4.0 * math.pi)


def _two_body_reduced(m, Q2, m_l=0.0):
    """Gamma(N -> f V)/d^2 for a vector of mass^2 Q2 and a fermion of mass m_l (Dirac N).

    lambda^(1/2)(m^2, Q2, m_l^2) [2 (m^2 - m_l^2)^2 - Q2 (m^2 + m_l^2) - Q2^2] / (8 pi m^3);
    zero below threshold.  Arrays broadcast.
    """
    m = np.asarray(m, dtype=np.float64)
    Q2 = np.asarray(Q2, dtype=np.float64)
    M = np.sqrt(np.clip(Q2, 0.0, None))
    lam = kallen_sqrt(m * m, M, m_l)
    ml2 = m_l * m_l
    bracket = 2.0 * (m * m - ml2) ** 2 - Q2 * (m * m + ml2) - Q2 * Q2
    with np.errstate(divide="ignore", invalid="ignore"):
        out = lam * bracket / (8.0 * math.pi * m ** 3)
    return np.where((lam > 0.0) & (m > 0.0), out, 0.0)


def gamma_nu_Z(m_N, d_Z, majorana: bool = False):
    """On-shell Gamma(N -> nu Z) in GeV (0 for m_N <= M_Z)::

        d_Z^2 (m^2 - M_Z^2)^2 (2 m^2 + M_Z^2) / (8 pi m^3)
    """
    return _factor(majorana) * np.abs(d_Z) ** 2 * _two_body_reduced(m_N, c.M_Z ** 2)


def gamma_l_W(m_N, d_W, m_l: float, majorana: bool = False):
    """On-shell Gamma(N -> l^- W^+) in GeV (l^+ W^- added for Majorana); 0 at and below
    m_N = M_W + m_l (Kallen function)."""
    return _factor(majorana) * np.abs(d_W) ** 2 * _two_body_reduced(m_N, c.M_W ** 2, m_l)


# ----------------------------------------------------------------------------------------
# vector-boson partial widths at virtuality q^2 (tree level, G_F scheme)


def _mass(pdgid: int) -> float:
    return Particle.from_pdgid(pdgid).mass * 1e-3


def _channels():
    """Fermion-pair channels of Z* and W*: lists of (N_c, g_L, g_R, m_f, q_min) and
    (N_c, m_1, m_2, q_min), q_min the pair threshold (2 m_pi for light-quark pairs)."""
    sw2 = c.SIN2_THETA_W
    mq = {q: _mass(i) for q, i in (("d", 1), ("u", 2), ("s", 3), ("c", 4), ("b", 5), ("t", 6))}
    had = 2.0 * c.M_PI_CHARGED
    z = []
    for _ in range(3):  # three neutrinos
        z.append((1.0, 0.5, 0.0, 0.0, 0.0))
    for ml in (c.M_E, c.M_MU, c.M_TAU):
        z.append((1.0, -0.5 + sw2, sw2, ml, 2.0 * ml))
    for q in ("u", "c", "t"):
        z.append((3.0, 0.5 - 2.0 / 3.0 * sw2, -2.0 / 3.0 * sw2, mq[q],
                  max(2.0 * mq[q], had)))
    for q in ("d", "s", "b"):
        z.append((3.0, -0.5 + 1.0 / 3.0 * sw2, 1.0 / 3.0 * sw2, mq[q],
                  max(2.0 * mq[q], had)))
    w = [(1.0, ml, 0.0, ml) for ml in (c.M_E, c.M_MU, c.M_TAU)]
    for up, dn in (("u", "d"), ("c", "s"), ("t", "b")):
        w.append((3.0, mq[up], mq[dn], max(mq[up] + mq[dn], had)))
    return z, w


def _gz2() -> float:
    return 4.0 * math.sqrt(2.0) * c.G_FERMI * c.M_Z ** 2   # (g / c_w)^2, G_F scheme


def _gw2() -> float:
    return 4.0 * math.sqrt(2.0) * c.G_FERMI * c.M_W ** 2   # g^2, G_F scheme


def _z_channel_width(Q2, ch):
    nc, gl, gr, mf, qmin = ch
    Q2 = np.asarray(Q2, dtype=np.float64)
    Q = np.sqrt(np.clip(Q2, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(Q2 > 0, mf * mf / Q2, 0.0)
        beta = np.sqrt(np.clip(1.0 - 4.0 * x, 0.0, None))
        w = nc * _gz2() * Q * beta / (24.0 * math.pi) * ((gl * gl + gr * gr) * (1.0 - x)
                                                           + 6.0 * gl * gr * x)
    return np.where(Q > qmin, w, 0.0)


def _w_channel_width(Q2, ch):
    nc, m1, m2, qmin = ch
    Q2 = np.asarray(Q2, dtype=np.float64)
    Q = np.sqrt(np.clip(Q2, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        x1 = np.where(Q2 > 0, m1 * m1 / Q2, 0.0)
        x2 = np.where(Q2 > 0, m2 * m2 / Q2, 0.0)
        lam = np.where(Q2 > 0, kallen_sqrt(Q2, m1, m2) / np.where(Q2 > 0, Q2, 1.0), 0.0)
        w = nc * _gw2() * Q / (48.0 * math.pi) * lam * (1.0 - 0.5 * (x1 + x2)
                                                          - 0.5 * (x1 - x2) ** 2)
    return np.where(Q > qmin, w, 0.0)


def z_width_tree() -> float:
    """Sum of the tree-level Z partial widths used in the three-body propagator (GeV)."""
    z, _ = _channels()
    return float(sum(_z_channel_width(c.M_Z ** 2, ch) for ch in z))


def w_width_tree() -> float:
    """Sum of the tree-level W partial widths used in the three-body propagator (GeV)."""
    _, w = _channels()
    return float(sum(_w_channel_width(c.M_W ** 2, ch) for ch in w))


# ----------------------------------------------------------------------------------------
# the q^2 integral, vectorized over a mass grid (used only to build the tables)

_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)
_RES_WINDOW = 12.0   # +- this many M*Gamma around M^2 are integrated in the arctan variable


def _gl_segment(a, b, f):
    """Gauss-Legendre integral of f over [a, b] (arrays of shape (n,)); f maps (n, k) -> (n, k)."""
    a = np.asarray(a)[:, None]
    b = np.asarray(b)[:, None]
    half = 0.5 * (b - a)
    x = a + half * (_GL_X[None, :] + 1.0)
    return np.sum(half * _GL_W[None, :] * f(x), axis=1)


def offshell_integral(m, m_l, M, Gamma_V, pair_width, qmin):
    """G(m) = (1/pi) int dq^2 [Gamma_2(m, q^2)/d^2] sqrt(q^2) Gamma_pair(q^2) / |q^2 - M^2 + i M Gamma_V|^2.

    ``m`` is a 1-d array of HNL masses; the integral runs from qmin^2 to (m - m_l)^2.  It is
    split into [low, M^2/2] (linear in q^2), [M^2/2, M^2 - w] (in ln(M^2 - q^2)),
    [M^2 - w, M^2 + w] (in theta = arctan((q^2 - M^2)/(M Gamma_V)), which makes the
    Breit-Wigner flat) and [M^2 + w, high] (in ln(q^2 - M^2)), w = min(12 M Gamma_V, M^2/4);
    64-point Gauss-Legendre on each piece.  Only for building tables.
    """
    m = np.atleast_1d(np.asarray(m, dtype=np.float64))
    lo = np.full_like(m, qmin * qmin)
    hi = np.clip(m - m_l, 0.0, None) ** 2
    M2, MG = M * M, M * Gamma_V
    w = min(_RES_WINDOW * MG, 0.25 * M2)
    half, e0, e1 = 0.5 * M2, M2 - w, M2 + w

    def f_q2(msub):
        def f(q2):
            bw = 1.0 / ((q2 - M2) ** 2 + MG * MG)
            return _two_body_reduced(msub[:, None], q2, m_l) * np.sqrt(q2) * pair_width(q2) * bw
        return f

    def f_below(msub):
        def f(y):   # y = ln(M^2 - q^2), |dq^2| = (M^2 - q^2) dy
            return f_q2(msub)(M2 - np.exp(y)) * np.exp(y)
        return f

    def f_theta(msub):
        def f(th):
            q2 = np.clip(M2 + MG * np.tan(th), 0.0, None)
            return _two_body_reduced(msub[:, None], q2, m_l) * np.sqrt(q2) * pair_width(q2) / MG
        return f

    def f_above(msub):
        def f(y):   # y = ln(q^2 - M^2), dq^2 = (q^2 - M^2) dy
            return f_q2(msub)(M2 + np.exp(y)) * np.exp(y)
        return f

    total = np.zeros_like(m)
    pieces = ((lo, np.minimum(hi, half), "q2"),
              (np.maximum(lo, half), np.minimum(hi, e0), "below"),
              (np.maximum(lo, e0), np.minimum(hi, e1), "theta"),
              (np.maximum(lo, e1), hi, "above"))
    for a, b, kind in pieces:
        ok = b > a
        if not np.any(ok):
            continue
        a, b, ms = a[ok], b[ok], m[ok]
        if kind == "q2":
            total[ok] += _gl_segment(a, b, f_q2(ms))
        elif kind == "below":   # ln(M^2 - q^2) decreases from a to b: swap the limits
            total[ok] += _gl_segment(np.log(M2 - b), np.log(M2 - a), f_below(ms))
        elif kind == "theta":
            total[ok] += _gl_segment(np.arctan((a - M2) / MG), np.arctan((b - M2) / MG),
                                     f_theta(ms))
        else:
            total[ok] += _gl_segment(np.log(a - M2), np.log(b - M2), f_above(ms))
    return total / math.pi


# ----------------------------------------------------------------------------------------
# tables vs m_N (cached) and their interpolation

_GRID_LO, _GRID_HI, _PER_DECADE = 1e-3, 1e5, 200
_TABLE_VERSION = "2"


_FINE = (60.0, 140.0, 0.05)   # GeV: dense linear grid where the W and Z windows open


def _grid() -> np.ndarray:
    n = int(round(math.log10(_GRID_HI / _GRID_LO) * _PER_DECADE)) + 1
    coarse = np.logspace(math.log10(_GRID_LO), math.log10(_GRID_HI), n)
    lo, hi, step = _FINE
    fine = np.linspace(lo, hi, int(round((hi - lo) / step)) + 1)
    grid = np.union1d(coarse[(coarse < lo) | (coarse > hi)], fine)
    return grid


def _inputs() -> dict:
    z, w = _channels()
    return {"M_Z": c.M_Z, "M_W": c.M_W, "G_F": c.G_FERMI, "sw2": c.SIN2_THETA_W,
            "leptons": [c.M_E, c.M_MU, c.M_TAU], "z_channels": z, "w_channels": w,
            "grid": [_GRID_LO, _GRID_HI, _PER_DECADE, *_FINE], "gl": len(_GL_X),
            "window": _RES_WINDOW, "version": _TABLE_VERSION}


def _compute_tables() -> dict[str, np.ndarray]:
    m = _grid()
    z, w = _channels()
    gz, gw = z_width_tree(), w_width_tree()
    out = {"m": m}
    G = np.zeros_like(m)
    for ch in z:
        G += offshell_integral(m, 0.0, c.M_Z, gz, lambda q2, ch=ch: _z_channel_width(q2, ch),
                               ch[4])
    out["nu_Z"] = G
    for f, ml in zip(FLAVOURS, (c.M_E, c.M_MU, c.M_TAU)):
        G = np.zeros_like(m)
        for ch in w:
            G += offshell_integral(m, ml, c.M_W, gw,
                                   lambda q2, ch=ch: _w_channel_width(q2, ch), ch[3])
        out[f"l_W_{f}"] = G
    return out


_TABLES: dict[str, np.ndarray] | None = None


def tables() -> dict[str, np.ndarray]:
    """The reduced widths G(m) = Gamma/d^2 (Dirac, GeV^3) of N -> nu Z(*) -> nu + anything
    (key ``nu_Z``) and N -> l_f W(*) (keys ``l_W_e``, ``l_W_mu``, ``l_W_tau``) on the grid
    ``m`` (GeV), built once and cached on disk."""
    global _TABLES
    if _TABLES is None:
        _TABLES = cached_table("hnl_dipole_offshell", _inputs(), _compute_tables)
    return _TABLES


def _interp_table(m_N, key: str, low_power: float | None):
    """Cubic (PCHIP) interpolation of ln G in ln m over the positive table entries.

    Below the first positive node: G ~ m^low_power extrapolated from it if ``low_power``
    is given (nu Z*: G ~ m^7 for m << M_Z), else 0 (closed channel).  Above the grid: the
    asymptotic G ~ m^3 of the two-body width.
    """
    from scipy.interpolate import PchipInterpolator

    t = tables()
    m_grid, G = t["m"], t[key]
    pos = G > 0.0
    lm, lG = np.log(m_grid[pos]), np.log(G[pos])
    cache_key = ("_pchip", key)
    interp = _PCHIP.get(cache_key)
    if interp is None:
        interp = _PCHIP[cache_key] = PchipInterpolator(lm, lG, extrapolate=False)
    m = np.asarray(m_N, dtype=np.float64)
    x = np.log(np.where(m > 0, m, 1.0))
    inside = (x >= lm[0]) & (x <= lm[-1])
    val = np.exp(interp(np.clip(x, lm[0], lm[-1])))
    below = x < lm[0]
    if low_power is not None:
        low = np.exp(lG[0] + low_power * (x - lm[0]))
    else:
        low = 0.0
    high = np.exp(lG[-1] + 3.0 * (x - lm[-1]))
    out = np.where(inside, val, np.where(below, low, high))
    return np.where(m > 0, out, 0.0)


_PCHIP: dict = {}


def gamma_nu_Zstar(m_N, d_Z, majorana: bool = False):
    """Gamma(N -> nu Z(*) -> nu f fbar) summed over f, in GeV, for any m_N: the three-body
    width below M_Z, tending to :func:`gamma_nu_Z` far above (tabulated, scaled by d_Z^2)."""
    return _factor(majorana) * np.abs(d_Z) ** 2 * _interp_table(m_N, "nu_Z", 7.0)


def gamma_l_Wstar(m_N, d_W, flavour: str, majorana: bool = False):
    """Gamma(N -> l_flavour W(*) -> l f fbar') summed over f f', in GeV, for any m_N: the
    three-body width below M_W + m_l, tending to :func:`gamma_l_W` far above."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown lepton flavour {flavour!r}; use one of {FLAVOURS}")
    return _factor(majorana) * np.abs(d_W) ** 2 * _interp_table(m_N, f"l_W_{flavour}", None)


# ----------------------------------------------------------------------------------------
# totals, branching ratios, decay length


def partial_widths(m_N, d_gamma: dict, d_Z: dict, d_W: dict, majorana: bool = False):
    """All partial widths (GeV), keyed ``nu_gamma_<f>``, ``nu_Z_<f>``, ``l_W_<f>``.

    ``d_gamma``, ``d_Z``, ``d_W`` map flavour -> coupling array (GeV^-1); missing flavours
    are 0.  The Z and W channels are the (*) widths (three-body below threshold, smoothly
    joining the on-shell two-body width above).
    """
    out = {}
    zero = 0.0
    for f in FLAVOURS:
        out[f"nu_gamma_{f}"] = gamma_nu_gamma(m_N, d_gamma.get(f, zero), majorana)
        out[f"nu_Z_{f}"] = gamma_nu_Zstar(m_N, d_Z.get(f, zero), majorana)
        out[f"l_W_{f}"] = gamma_l_Wstar(m_N, d_W.get(f, zero), f, majorana)
    return out


def _couplings_from_point(point):
    return ({f: point[f"d_gamma_{f}"] for f in FLAVOURS},
            {f: point[f"d_Z_{f}"] for f in FLAVOURS},
            {f: point[f"d_W_{f}"] for f in FLAVOURS})


def partial_widths_point(point, majorana: bool = False):
    """:func:`partial_widths` at a :class:`hnlfit.params.Point`."""
    dg, dz, dw = _couplings_from_point(point)
    return partial_widths(point["m_N"], dg, dz, dw, majorana)


def total_width(point, majorana: bool = False):
    """Total dipole-portal width of N (GeV) at a Point: sum over flavours of nu gamma,
    nu Z(*) and l W(*).  Zero at the no-HNL point."""
    pw = partial_widths_point(point, majorana)
    return np.broadcast_to(sum(pw.values()), point.shape) * 1.0


def br_nu_gamma(point, majorana: bool = False):
    """BR(N -> nu gamma) summed over neutrino flavours; 0 where the total width is 0."""
    pw = partial_widths_point(point, majorana)
    tot = sum(pw.values())
    num = sum(pw[f"nu_gamma_{f}"] for f in FLAVOURS)
    with np.errstate(divide="ignore", invalid="ignore"):
        br = np.where(tot > 0, num / np.where(tot > 0, tot, 1.0), 0.0)
    return np.broadcast_to(br, point.shape) * 1.0


def decay_length(m_N, E_N, width):
    """Lab-frame decay length beta gamma c tau = (p/m)(hbar c / Gamma) in metres.

    p = sqrt(E_N^2 - m_N^2); NaN where E_N < m_N, +inf where the width is 0.
    """
    m = np.asarray(m_N, dtype=np.float64)
    E = np.asarray(E_N, dtype=np.float64)
    width = np.asarray(width, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.sqrt(np.where(E >= m, E * E - m * m, np.nan))
        return np.where(width > 0, p / m * c.HBARC_GEV_M / np.where(width > 0, width, 1.0),
                        np.where(np.isnan(p), np.nan, np.inf))
