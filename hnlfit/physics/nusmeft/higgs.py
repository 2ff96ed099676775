r"""Effective lepton Yukawa couplings probed in h -> l+ l- with the nuSMEFT current O_Hnue.

arXiv:2105.11462 (the seed), Sec. 4.1, eqs. 4.1-4.9, for one heavy state (n = 1) of mass
m_N = m_4, x_j = m_N^2/m_W^2, x_h = m_h^2/m_W^2, and the coupling product
UC = U_l4 [C-bar_Hnue]_4l (GeV^-2).

Running (eqs. 4.2, 4.3; valid for mu_r > m_N, m_W)
-------------------------------------------------
Both right-hand sides are constant in mu_r, so the solutions are linear in ln mu_r::

    m_l(mu) = m_l(Lambda) + (1/2) g^2 v^2/(4pi)^2 UC m_N (x_j - 3)         ln(mu/Lambda)
    y_l(mu) = y_l(Lambda) + (1/2) g^2 v  /(4pi)^2 UC m_N (x_h + 3x_j - 9)  ln(mu/Lambda)

with g = 2 m_W / v (:data:`hnlfit.constants.G_WEAK`).

Matching (eqs. 4.7, 4.8)
------------------------
::

    m_l        = m_l(mu) - m_W^2/(4pi)^2           A(x_j, mu) UC m_N          (4.7)
    y_l^(eff)  = y_l(mu) - (1/4) g^2 v/(4pi)^2     B(x_j, mu) UC m_N          (4.8)

    A = x_j - 1 + (x_j - 3) ln(mu^2/m_W^2) - (x_j - 4) x_j ln x_j / (x_j - 1)
    B = (x_h + 3x_j - 9) ln(mu^2/m_W^2) - 3 x_j (x_j - 3) ln x_j / (x_j - 1)
        + x_j P(4 x_j / x_h) + (x_h - 2) P(4 / x_h)
        + [2 x_h + x_j (x_j - 7)] f1 - [4 + (2 - x_h) x_j] f2 + (-5 + 2 x_h + 4 x_j)

with P(r) = beta log((beta - 1)/(beta + 1)), beta = sqrt(1 - r).  Both totals are
mu_r-independent: d/d ln mu of the running cancels that of the explicit logs (this is
checked numerically in the tests).  The seed says y_l(mu_r) "is given by the solution of
eq. (4.2)"; it is the solution of eq. (4.3) -- the Yukawa RGE -- that appears here.

Procedure (seed, after eq. 4.9): only C_Hnue is generated, at mu_r = Lambda, so
C_eH(Lambda) = 0 and y_l(Lambda) = m_l(Lambda)/v (eq. 4.5).  The measured mass m_l fixes
m_l(Lambda) through eq. 4.7.  Evaluating 4.7 and 4.8 at mu_r = Lambda (no running needed)::

    y^(eff)/y^(SM) = 1 + delta,   delta = UC m_N m_W^2 [A(x_j, Lambda) - B(x_j, Lambda)]
                                           / ((4 pi)^2 m_l),        y^(SM) = m_l / v,

using g^2 v / 4 = m_W^2 / v.  :func:`y_eff` implements the general-mu_r route (running +
matching at any mu_r) and :func:`yukawa_shift` the fast mu_r = Lambda form.

Analytic continuation of P (derived here; the seed leaves it implicit)
-----------------------------------------------------------------------
Masses carry the Feynman prescription m^2 -> m^2 - i eps, i.e. r -> r - i eps.

* r < 1 (2 m < m_h; beta real): (beta - 1)/(beta + 1) is negative and, since its
  derivative in beta is positive while Im beta = +0, it sits at +i0::

      P = beta [ ln((1 - beta)/(1 + beta)) + i pi ].

* r > 1 (2 m > m_h): beta = sqrt(-(r - 1) + i0) = +i b, b = sqrt(r - 1).  Then
  (i b - 1)/(i b + 1) = exp(i (pi - 2 arctan b)), a pure phase whose principal log
  i (pi - 2 arctan b) = 2 i arctan(1/b) joins continuously onto the +i pi of r < 1 as
  b -> 0.  Hence::

      P = (i b)(2 i arctan(1/b)) = -2 b arctan(1/b)        (real)

  P is even in beta, so the choice of the square-root branch does not matter.  P -> 0 at
  r = 1 from both sides, and P -> -2 + 2/(3 b^2) for r -> infinity.

For the W loop, 4 m_W^2 > m_h^2 always, so the W term is (x_h - 2)(-2 b_W arctan(1/b_W)),
b_W = sqrt(4/x_h - 1).  For the heavy neutrino, m_N > m_h/2 gives the real arctan form
(the seed's region, m_N > m_W).

Loop functions f1, f2 (eq. 4.9)
-------------------------------
They depend on masses only and are tabulated once at the physical x_h (cached with
:func:`hnlfit.cache.cached_table`) and interpolated with cubic splines.  Writing
f_k = int_0^1 dz ln(a_k/b_k)/d_k, one finds a_k - b_k = -(1 - z) d_k for both, so the
apparent poles at d_k = 0 are removable: ln(a_k/b_k)/d_k = ln(1 - q)/d_k with
q = (1 - z) d_k / b_k, and near d_k = 0 it equals -(1 - z)/b_k * [-ln(1 - q)/q].  The
integrals are done with this stable form.

f2's log argument is positive for all z (4 m_W^2 > m_h^2).  f1's numerator
x_j - x_h z (1 - z) turns negative between z_-+ = (1 -+ beta_j)/2 when m_N < m_h/2; with
x_j - i eps this gives the absorptive part::

    Im f1 = -pi int_{z-}^{z+} dz / (1 - x_j + x_h z)
          = -(pi/x_h) ln[(1 - x_j + x_h z+) / (1 - x_j + x_h z-)]     (closed form)

The imaginary parts of x_j P and of [2 x_h + x_j (x_j - 7)] f1 cancel at O(beta_j) at the
threshold m_N = m_h/2 (a useful check of the seed's coefficients; the remaining absorptive
part is O(beta_j^3), h -> N N-bar being a P-wave).  Below m_h/2 hnlfit keeps this
absorptive part (it enters |y^(eff)|^2 at O(C^2)); that region is outside the seed's scope.

Grids: the threshold x0 = x_h/4 is a square-root branch point, so f1 and f2 are tabulated in
w = artanh(beta_j) below it (x = x0 / cosh^2 w) and w = arsinh(|beta_j|) above it
(x = x0 cosh^2 w), in which they are smooth; w -> +-ln x / 2 far from the threshold.
Covered: 2e-12 < x_j < 1e13 (about 1e-4 GeV < m_N < 2.5e8 GeV).  Below the range the
edge value of f_k is used (f_k(0) is finite and is multiplied by m_N -> 0); above it,
x f_k is held at its edge value (f1 ~ -1/x_j, f2 ~ -ln x_j / x_j).
"""
from __future__ import annotations

import functools
import math
import warnings
from importlib import resources

import numpy as np
import yaml
from scipy import integrate
from scipy.interpolate import CubicSpline

from ... import constants as c
from ...cache import cached_table
from ...errors import DataError

LOOP = 16.0 * math.pi ** 2            # (4 pi)^2
X_H = (c.M_H / c.M_W) ** 2            # x_h = m_h^2 / m_W^2
X0 = X_H / 4.0                        # x_j at the h -> N N threshold, m_N = m_h/2

_TABLE_VERSION = "higgs-f12-v1"
_W_BELOW_MAX = 14.0                   # x_min = x0 / cosh^2(14) ~ 2e-12
_W_ABOVE_MAX = 16.0                   # x_max = x0 cosh^2(16) ~ 1.2e13
_N_GRID = 601


# ------------------------------------------------------------------ elementary functions
def beta_log(r) -> np.ndarray:
    """P(r) = beta ln((beta - 1)/(beta + 1)), beta = sqrt(1 - r), r = 4 m^2/m_h^2 >= 0.

    Complex for r < 1 (absorptive part +i pi beta), real -2 b arctan(1/b) with
    b = sqrt(r - 1) for r > 1; see the module docstring for the continuation.
    """
    r = np.asarray(r, dtype=np.float64)
    out = np.zeros(r.shape, dtype=np.complex128)
    lo = r < 1.0
    hi = r > 1.0
    if np.any(lo):
        beta = np.sqrt(1.0 - r[lo])
        # ln((1 - beta)/(1 + beta)) = -2 artanh(beta); beta -> 1 (r -> 0) gives 0 * inf
        with np.errstate(divide="ignore", invalid="ignore"):
            re = np.where(beta < 1.0, -2.0 * beta * np.arctanh(np.minimum(beta, 1.0)), 0.0)
        out[lo] = re + 1j * math.pi * beta
    if np.any(hi):
        b = np.sqrt(r[hi] - 1.0)
        out[hi] = -2.0 * b * np.arctan2(1.0, b)
    return out


def _ln_over_xm1(x: np.ndarray) -> np.ndarray:
    """ln(x)/(x - 1), continuous at x = 1 (value 1)."""
    d = x - 1.0
    small = np.abs(d) < 1e-6
    safe = np.where(small, 1.0, d)
    return np.where(small, 1.0 - 0.5 * d + d * d / 3.0, np.log1p(safe) / safe)


# ------------------------------------------------------------------ f1, f2 by quadrature
def _integrand_re(z: float, x: float, x_h: float, which: int) -> float:
    """Real part of the eq. 4.9 integrand in the stable form (module docstring)."""
    if which == 1:
        d = 1.0 - x + x_h * z
        b = 1.0 + (x - 1.0) * z
    else:
        d = -1.0 + x + x_h * z
        b = x + z * (1.0 - x)
    q = (1.0 - z) * d / b
    if abs(q) < 0.5:
        phi = 1.0 if q == 0.0 else -math.log1p(-q) / q
        return -(1.0 - z) / b * phi
    return math.log(max(abs(1.0 - q), 1e-300)) / d   # 1 - q = 0 only at z_-+ (integrable)


def im_f1(x, x_h: float = X_H) -> np.ndarray:
    """Absorptive part of f1 (non-zero for x < x_h/4), closed form."""
    x = np.asarray(x, dtype=np.float64)
    r = 4.0 * x / x_h
    beta = np.sqrt(np.clip(1.0 - r, 0.0, None))
    zp, zm = 0.5 * (1.0 + beta), 0.5 * (1.0 - beta)
    return -(math.pi / x_h) * np.log((1.0 - x + x_h * zp) / (1.0 - x + x_h * zm))


def _quad(x: float, x_h: float, which: int) -> float:
    """Re f_k by adaptive quadrature, split where the integrand varies fast.

    b_k vanishes at one end of [0, 1] as x -> 0 or x -> infinity, so the integrand changes on
    the scale s = min(x, 1/x) there (f1: at z = 1 for x < 1, at z = 0 for x > 1; f2 the
    other way round); f1 also has log singularities at z_-+ when 4 x < x_h.
    """
    s = min(x, 1.0 / x)
    near_one = (which == 1) == (x < 1.0)
    pts = {0.0, 1.0}
    for k in (1.0, 10.0, 100.0, 1e3):
        if k * s < 0.5:
            pts.add(1.0 - k * s if near_one else k * s)
    if which == 1 and 4.0 * x < x_h:
        beta = math.sqrt(1.0 - 4.0 * x / x_h)
        pts.update((0.5 * (1.0 - beta), 0.5 * (1.0 + beta)))
    pts = sorted(pts)
    total = 0.0
    with warnings.catch_warnings():
        # at the log singularities QUADPACK may report roundoff at the 1e-12 level
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        for lo, hi in zip(pts[:-1], pts[1:]):
            if hi > lo:
                val, _ = integrate.quad(_integrand_re, lo, hi, args=(x, x_h, which),
                                        epsabs=0.0, epsrel=1e-11, limit=200)
                total += val
    return total


def f1_quad(x: float, x_h: float = X_H) -> complex:
    """f1(x_h, x) of eq. 4.9 by direct quadrature (reference; scalar)."""
    return complex(_quad(float(x), x_h, 1), float(im_f1(x, x_h)))


def f2_quad(x: float, x_h: float = X_H) -> float:
    """f2(x_h, x) of eq. 4.9 by direct quadrature (reference; scalar)."""
    return _quad(float(x), x_h, 2)


# ------------------------------------------------------------------ tabulation
def _grids(x_h: float):
    x0 = x_h / 4.0
    w_lo = np.linspace(0.0, _W_BELOW_MAX, _N_GRID)
    w_hi = np.linspace(0.0, _W_ABOVE_MAX, _N_GRID)
    return w_lo, x0 / np.cosh(w_lo) ** 2, w_hi, x0 * np.cosh(w_hi) ** 2


def _compute_tables(x_h: float) -> dict[str, np.ndarray]:
    w_lo, x_lo, w_hi, x_hi = _grids(x_h)
    return {
        "w_below": w_lo, "w_above": w_hi,
        # below threshold: Re f_k; above: x f_k (bounded as x -> infinity)
        "f1_below": np.array([_quad(x, x_h, 1) for x in x_lo]),
        "f2_below": np.array([_quad(x, x_h, 2) for x in x_lo]),
        "xf1_above": np.array([x * _quad(x, x_h, 1) for x in x_hi]),
        "xf2_above": np.array([x * _quad(x, x_h, 2) for x in x_hi]),
    }


@functools.lru_cache(maxsize=4)
def _splines(x_h: float = X_H):
    """The scipy cubic splines (not-a-knot) through the tables; the reference that the
    evaluation kernels below reproduce (:func:`loop_functions` does not call them)."""
    desc = {"version": _TABLE_VERSION, "x_h": x_h, "n": _N_GRID,
            "w_below_max": _W_BELOW_MAX, "w_above_max": _W_ABOVE_MAX,
            "formula": "2105.11462 eq. 4.9, stable integrand, quad epsrel 1e-11"}
    t = cached_table("higgs_f12", desc, lambda: _compute_tables(x_h))
    # f1 and f2 share their nodes: one vector-valued spline per branch
    return (CubicSpline(t["w_below"], np.column_stack([t["f1_below"], t["f2_below"]])),
            CubicSpline(t["w_above"], np.column_stack([t["xf1_above"], t["xf2_above"]])))


class UniformCubic:
    """A cubic spline on a uniform grid 0, h, 2h, ..., evaluated with a Horner kernel.

    It holds the piecewise coefficients of a :class:`scipy.interpolate.CubicSpline` through
    the same nodes, so it is the same piecewise polynomial: on [w_i, w_i + h]
    v(w) = ((c0 t + c1) t + c2) t + c3 with t = w - i h.  The interval is i = floor(w/h)
    (no search; w_i = i h is exactly the node numpy's linspace made); each coefficient is
    one contiguous gather.  It differs from scipy's evaluation (which sums the powers of t)
    by rounding only, ~1e-16 relative (tests).
    """

    def __init__(self, spline: CubicSpline, w_max: float):
        nodes = spline.x
        self.step = float(nodes[1] - nodes[0])
        if not np.allclose(np.diff(nodes), self.step, rtol=1e-12, atol=0.0) or nodes[0] != 0:
            raise ValueError("UniformCubic needs a uniform grid starting at 0")
        self.inv_step = 1.0 / self.step
        self.w_max = float(w_max)
        self.last = len(nodes) - 2                      # index of the last interval
        # coef[function][power]: a contiguous array over the intervals
        self.coef = [[np.ascontiguousarray(spline.c[k, :, j]) for k in range(4)]
                     for j in range(spline.c.shape[2])]

    def __call__(self, w: np.ndarray) -> list[np.ndarray]:
        """Values of each function at w >= 0 (held at w_max beyond it)."""
        w = np.minimum(w, self.w_max)
        i = np.minimum((w * self.inv_step).astype(np.intp), self.last)
        t = w - i * self.step
        out = []
        for c0, c1, c2, c3 in self.coef:
            v = c0.take(i)
            v *= t
            v += c1.take(i)
            v *= t
            v += c2.take(i)
            v *= t
            v += c3.take(i)
            out.append(v)
        return out


@functools.lru_cache(maxsize=4)
def _kernels(x_h: float = X_H) -> tuple[UniformCubic, UniformCubic]:
    s_below, s_above = _splines(x_h)
    return UniformCubic(s_below, _W_BELOW_MAX), UniformCubic(s_above, _W_ABOVE_MAX)


def _above(x: np.ndarray):
    """b = sqrt(x/x0 - 1) and (x f1, x f2) for x >= x0 (grid variable w = arsinh b)."""
    b = np.sqrt(x / X0 - 1.0)
    return b, _kernels(X_H)[1](np.arcsinh(b))


def _below(x: np.ndarray):
    """beta = sqrt(1 - x/x0), artanh(beta) and (Re f1, f2) for x < x0 (w = artanh beta)."""
    beta = np.sqrt(1.0 - x / X0)
    at = np.arctanh(np.minimum(beta, 1.0 - 1e-16))
    return beta, at, _kernels(X_H)[0](at)


def _split(x: np.ndarray):
    """(all above threshold, all below): one reduction each, no mask unless mixed."""
    return bool(x.min() >= X0), bool(x.max() < X0)


def loop_functions(x) -> tuple[np.ndarray, np.ndarray]:
    """(f1, f2) of eq. 4.9 at the physical x_h, interpolated; f1 complex (Im from closed form)."""
    x = np.asarray(x, dtype=np.float64)
    f1 = np.empty(x.shape, dtype=np.complex128)
    f2 = np.empty(x.shape, dtype=np.float64)
    below = x < X0
    if np.any(below):
        xb = x[below]
        v = _below(xb)[2]
        f1[below] = v[0] + 1j * im_f1(xb)
        f2[below] = v[1]
    above = ~below
    if np.any(above):
        xa = x[above]
        v = _above(xa)[1]
        f1[above] = v[0] / xa
        f2[above] = v[1] / xa
    return f1, f2


def f1(x) -> np.ndarray:
    """Tabulated f1(x_h, x_j) at the physical x_h (complex below m_N = m_h/2)."""
    return loop_functions(x)[0]


def f2(x) -> np.ndarray:
    """Tabulated f2(x_h, x_j) at the physical x_h (real)."""
    return loop_functions(x)[1]


# ------------------------------------------------------------------ eqs. 4.2-4.8
def mass_bracket(x, mu_r, m_W: float = c.M_W) -> np.ndarray:
    """A(x_j, mu_r): the square bracket of eq. 4.7."""
    x = np.asarray(x, dtype=np.float64)
    lmu = np.log(np.asarray(mu_r, dtype=np.float64) ** 2 / m_W ** 2)
    return x - 1.0 + (x - 3.0) * lmu - (x - 4.0) * x * _ln_over_xm1(x)


def yukawa_brace(x, mu_r, m_W: float = c.M_W) -> np.ndarray:
    """B(x_j, mu_r): the curly brace of eq. 4.8 at the physical x_h (complex array)."""
    x = np.asarray(x, dtype=np.float64)
    xh = X_H
    lmu = np.log(np.asarray(mu_r, dtype=np.float64) ** 2 / m_W ** 2)
    F1, F2 = loop_functions(x)
    pw = float(beta_log(4.0 / xh).real)
    return ((xh + 3.0 * x - 9.0) * lmu
            - 3.0 * x * (x - 3.0) * _ln_over_xm1(x)
            + x * beta_log(4.0 * x / xh)
            + (xh - 2.0) * pw
            + (2.0 * xh + x * (x - 7.0)) * F1
            - (4.0 + (2.0 - xh) * x) * F2
            + (-5.0 + 2.0 * xh + 4.0 * x))


def run_mass(m_at_Lambda, m_N, UC, mu_r, Lambda, m_W: float = c.M_W) -> np.ndarray:
    """m_l(mu_r) from m_l(Lambda): the solution of eq. 4.2 (GeV)."""
    g2 = c.G_WEAK ** 2
    x = (np.asarray(m_N) / m_W) ** 2
    return (m_at_Lambda + 0.5 * g2 * c.VEV ** 2 / LOOP * UC * m_N * (x - 3.0)
            * np.log(np.asarray(mu_r) / Lambda))


def run_yukawa(y_at_Lambda, m_N, UC, mu_r, Lambda, m_W: float = c.M_W) -> np.ndarray:
    """y_l(mu_r) from y_l(Lambda): the solution of eq. 4.3."""
    g2 = c.G_WEAK ** 2
    x = (np.asarray(m_N) / m_W) ** 2
    return (y_at_Lambda + 0.5 * g2 * c.VEV / LOOP * UC * m_N * (X_H + 3.0 * x - 9.0)
            * np.log(np.asarray(mu_r) / Lambda))


def y_eff(m_lep, m_N, UC, Lambda, mu_r=None, m_W: float = c.M_W) -> np.ndarray:
    """y_l^(eff) (eq. 4.8) following the seed's procedure, matched at any scale mu_r.

    m_l(Lambda) is fixed from the measured mass m_lep via eq. 4.7 at mu_r (with m_l(mu_r)
    from the eq. 4.2 running), y_l(Lambda) = m_l(Lambda)/v, y_l(mu_r) from eq. 4.3, then
    eq. 4.8 at mu_r.  mu_r = None means mu_r = Lambda.  The result does not depend on mu_r.
    """
    m_N = np.asarray(m_N, dtype=np.float64)
    Lambda = np.asarray(Lambda, dtype=np.float64)
    mu = Lambda if mu_r is None else np.asarray(mu_r, dtype=np.float64)
    x = (m_N / m_W) ** 2
    # m_lep = m(mu) - K A(mu),  m(mu) = m(Lambda) + run(mu)  =>  m(Lambda) = m_lep + K A - run
    run = run_mass(0.0, m_N, UC, mu, Lambda, m_W)
    m_Lam = m_lep + m_W ** 2 / LOOP * mass_bracket(x, mu, m_W) * UC * m_N - run
    y_mu = run_yukawa(m_Lam / c.VEV, m_N, UC, mu, Lambda, m_W)
    return y_mu - 0.25 * c.G_WEAK ** 2 * c.VEV / LOOP * UC * m_N * yukawa_brace(x, mu, m_W)


# ------------------------------------------------------------------ fast mu_r = Lambda form
_PW = float(beta_log(4.0 / X_H).real)              # W loop: P(4/x_h), real (4 m_W^2 > m_h^2)
_CONST = 4.0 - 2.0 * X_H - (X_H - 2.0) * _PW       # the x-independent part of A - B


def _ln_ratio(x: np.ndarray) -> np.ndarray:
    """ln(x)/(x - 1) as in :func:`_ln_over_xm1`, the series only where |x - 1| < 1e-6."""
    d = x - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log1p(d)
        out /= d
    if x.size and x.min() < 1.0 + 1e-6 and x.max() > 1.0 - 1e-6:
        near = np.flatnonzero(np.abs(d) < 1e-6)
        dn = d.reshape(-1)[near]
        out.reshape(-1)[near] = 1.0 - 0.5 * dn + dn * dn / 3.0
    return out


def _bracket_common(x, lmu, loop_f1, f2_part, scale_x: bool) -> np.ndarray:
    """The real part of A - B shared by both sides of the threshold, without -x Re P:

        (6 - x_h - 2x) ln(Lambda^2/m_W^2) + x (2x - 5) ln x/(x - 1)
        - (2 x_h + x (x - 7)) Re f1 + (4 + (2 - x_h) x) f2 + 4 - 2 x_h - (x_h - 2) P_W - 3x

    with (Re f1, f2) = (loop_f1, f2_part) / x when ``scale_x`` (the tables above threshold
    hold x f_k)."""
    ab = (6.0 - X_H) - 2.0 * x
    ab = ab * lmu
    t = 2.0 * x
    t -= 5.0
    t *= x
    t *= _ln_ratio(x)
    ab += t
    t = x - 7.0
    t *= x
    t += 2.0 * X_H
    t *= loop_f1
    if scale_x:
        t /= x
    ab -= t
    t = (2.0 - X_H) * x
    t += 4.0
    t *= f2_part
    if scale_x:
        t /= x
    ab += t
    ab -= 3.0 * x
    ab += _CONST
    return ab


def _bracket_above(x: np.ndarray, lmu: np.ndarray) -> np.ndarray:
    """A - B for x >= x0 (real): -x P = 2 x b arctan(1/b), b = sqrt(x/x0 - 1)."""
    b, g = _above(x)
    ab = _bracket_common(x, lmu, g[0], g[1], scale_x=True)
    p = np.arctan2(1.0, b)
    p *= b
    p *= 2.0 * x
    ab += p
    return ab


def _bracket_below(x: np.ndarray, lmu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Re, Im) of A - B for x < x0: P = -2 beta artanh(beta) + i pi beta."""
    beta, at, v = _below(x)
    re = _bracket_common(x, lmu, v[0], v[1], scale_x=False)
    re += 2.0 * x * beta * at
    im = -math.pi * x * beta - (2.0 * X_H + x * (x - 7.0)) * im_f1(x)
    return re, np.broadcast_to(im, re.shape)


def shift_bracket(x, Lambda, m_W: float = c.M_W) -> tuple[np.ndarray, np.ndarray | None]:
    """(Re, Im) of A(x_j, Lambda) - B(x_j, Lambda), the flavour-independent factor of delta.

    Eqs. 4.7 and 4.8 at mu_r = Lambda, collected by hand (same value as
    ``mass_bracket - yukawa_brace``, with the ln(mu^2/m_W^2) terms combined)::

        A - B = (6 - x_h - 2x) ln(Lambda^2/m_W^2) + x (2x - 5) ln x/(x - 1) - x P(4x/x_h)
                - (2 x_h + x (x - 7)) f1 + (4 + (2 - x_h) x) f2 + 4 - 2 x_h - (x_h - 2) P_W - 3x

    Real arithmetic throughout.  The imaginary part (absorptive, m_N < m_h/2 only) is
    ``None`` when every x is at or above the threshold x0 = x_h/4, where it vanishes
    identically; a point set on both sides is split by side.
    """
    x = np.asarray(x, dtype=np.float64)
    lmu = np.log(np.asarray(Lambda, dtype=np.float64) ** 2 / m_W ** 2)
    if not np.broadcast_shapes(x.shape, lmu.shape):    # scalars: as 1-element arrays
        re, im = shift_bracket(x.reshape(1), Lambda.reshape(1) if np.ndim(Lambda) else
                               np.reshape(Lambda, (1,)), m_W)
        return re.reshape(()), (None if im is None else im.reshape(()))
    if x.size == 0 or x.min() >= X0:
        return _bracket_above(x, lmu), None
    if x.max() < X0:
        return _bracket_below(x, lmu)
    shape = np.broadcast_shapes(x.shape, lmu.shape)
    xb, lb = np.broadcast_to(x, shape), np.broadcast_to(lmu, shape)
    re, im = np.empty(shape), np.zeros(shape)
    below = xb < X0
    re[below], im[below] = _bracket_below(xb[below], lb[below])
    above = ~below
    re[above] = _bracket_above(xb[above], lb[above])
    return re, im


def shift_parts(m_lep, m_N, UC, bracket) -> tuple[np.ndarray, np.ndarray | None]:
    """(Re delta, Im delta) from the :func:`shift_bracket` pair: delta = y^eff/y^SM - 1 =
    UC m_N m_W^2 (A - B) / ((4 pi)^2 m_l); Im None where the bracket's vanishes."""
    re, im = bracket
    k = (c.M_W ** 2 / (LOOP * m_lep)) * (np.asarray(UC) * np.asarray(m_N))
    return k * re, (None if im is None else k * im)


def yukawa_shift(m_lep, m_N, UC, Lambda, m_W: float = c.M_W) -> np.ndarray:
    """delta = y^(eff)/y^(SM) - 1 (complex), the mu_r = Lambda form of :func:`y_eff`."""
    m_N = np.asarray(m_N, dtype=np.float64)
    re, im = shift_parts(m_lep, m_N, UC, shift_bracket((m_N / m_W) ** 2, Lambda, m_W))
    return re + 0j if im is None else re + 1j * im


def signal_strength(m_lep, m_N, U, C, Lambda, phi=0.0, bracket=None) -> np.ndarray:
    """Gamma(h -> l l)/Gamma_SM = |y^(eff)/y^(SM)|^2, helicity averaged.

    With U C -> U C e^{i phi} (phi the CP phase in the basis where the measured mass is
    real, as for Delta a_l) the two helicity amplitudes are y_SM (1 + delta e^{+-i phi})
    (delta complex only below m_N = m_h/2, from the absorptive part), so
    mu = 1 + 2 cos(phi) Re(delta) + |delta|^2.  The seed uses real couplings (phi = 0),
    for which mu = |1 + delta|^2.  ``bracket``: :func:`shift_bracket` at (x, Lambda) if
    already computed (it is the same for every lepton flavour).
    """
    m_N = np.asarray(m_N, dtype=np.float64)
    if bracket is None:
        bracket = shift_bracket((m_N / c.M_W) ** 2, Lambda)
    d_re, d_im = shift_parts(m_lep, m_N, np.asarray(U) * np.asarray(C), bracket)
    phi = np.asarray(phi, dtype=np.float64)
    two_cos = 2.0 * np.cos(phi) if np.any(phi) else 2.0
    mu = two_cos * d_re
    mu += 1.0
    mod2 = d_re * d_re
    if d_im is not None:
        mod2 += d_im * d_im
    mu += mod2
    return mu


# ------------------------------------------------------------------ SM branching ratios
SM_INPUT_FILE = resources.files("hnlfit") / "data" / "higgs_sm.yaml"


def load_sm_inputs(path=SM_INPUT_FILE) -> dict:
    """Read and check the SM Higgs input file; a malformed file raises :class:`DataError`."""
    try:
        doc = yaml.safe_load(path.read_text())
        entry = doc["br_h_mumu_sm"]
        value = float(entry["value"])
        m_h = float(entry["m_h"])
        ref = str(entry["reference"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed SM Higgs input file ({type(exc).__name__}: "
                        f"{exc}); expected br_h_mumu_sm: {{value, m_h, reference}}") from exc
    if not (0.0 < value < 1.0 and m_h > 0.0):
        raise DataError(f"{path}: br_h_mumu_sm.value = {value} is not a branching ratio "
                        f"or m_h = {m_h} is not positive")
    return {"br_mumu": value, "m_h": m_h, "reference": ref}


@functools.lru_cache(maxsize=1)
def _sm_inputs() -> dict:
    return load_sm_inputs()


def br_h_mumu_sm() -> float:
    """BR_SM(h -> mu mu) = 2.176e-4 (LHC HXSWG YR4, arXiv:1610.07922, m_h = 125.09 GeV)."""
    return _sm_inputs()["br_mumu"]


def br_h_ee_sm() -> float:
    """BR_SM(h -> e e) = BR_SM(h -> mu mu) (m_e/m_mu)^2 (beta_e/beta_mu)^3 (~5.1e-9)."""
    inp = _sm_inputs()
    mh = inp["m_h"]
    beta3 = lambda m: (1.0 - 4.0 * m * m / (mh * mh)) ** 1.5  # noqa: E731
    return inp["br_mumu"] * (c.M_E / c.M_MU) ** 2 * beta3(c.M_E) / beta3(c.M_MU)
