"""One-loop functions, vectorized and numerically stable over the whole real half-line.

w(x) -- 2105.11462 eq. 3.12
---------------------------
The W-boson / heavy-neutrino loop that gives the chirally enhanced dipole of the
right-handed current O_Hnue (eqs. 3.11, 4.14)::

    w(x) = (4 + x (x - 11)) / (2 (x - 1)^2)  +  3 x^2 ln x / (x - 1)^3 ,    x = m_N^2 / m_W^2

Limits: w(0) = 2, w(1) = 3/2, w(x -> inf) = 1/2 (the value quoted after eq. 6.1).

Regimes:

* |x - 1| < 0.1: both terms have poles at x = 1 that cancel to O(eps/(x-1)^2) in floating
  point. Writing x = 1 + e and using the Taylor series of (1 + e)^2 ln(1 + e), whose
  e^n coefficient for n >= 3 is 2 (-1)^(n+1) / (n (n-1) (n-2)), the poles cancel
  analytically and::

      w(1 + e) = 1/2 + 6 sum_{k>=0} (-1)^k e^k / ((k+1)(k+2)(k+3))

  (24 terms: truncation < 1e-27 at |e| = 0.1). At the switch point the closed form loses
  only ~1e-13 relative accuracy, so the two branches join smoothly.
* x >= 1e100: in y = 1/x, ``w = (1 - 11 y + 4 y^2) / (2 (1 - y)^2) - 3 y ln y / (1 - y)^3``,
  which does not overflow; y = 0 (x = inf) gives exactly 1/2.
* x = 0: w = 2 (x^2 ln x -> 0).
* otherwise the printed closed form, written as one fraction.

Negative or NaN x gives NaN.
"""
from __future__ import annotations

import numpy as np

_SERIES_RADIUS = 0.1
_N_SERIES = 24
# Coefficients of e^k in w(1 + e) - 1/2, k = 0 .. _N_SERIES - 1.
_W_SERIES = np.array([6.0 * (-1.0) ** k / ((k + 1) * (k + 2) * (k + 3))
                      for k in range(_N_SERIES)])


def _w_near_one(e: np.ndarray) -> np.ndarray:
    acc = np.full_like(e, _W_SERIES[-1])
    for coef in _W_SERIES[-2::-1]:      # Horner; loop over 24 coefficients, not points
        acc = acc * e + coef
    return 0.5 + acc


def _w_large(x: np.ndarray) -> np.ndarray:
    """The y = 1/x form, for x > 2 (also x = inf)."""
    y = 1.0 / x
    ylny = np.where(y > 0.0, y * np.log(np.where(y > 0.0, y, 1.0)), 0.0)
    one_m_y = 1.0 - y
    return (1.0 + y * (4.0 * y - 11.0)) / (2.0 * one_m_y ** 2) - 3.0 * ylny / one_m_y ** 3


def _w_closed(x: np.ndarray) -> np.ndarray:
    """The printed form as one fraction; x > 0, x != 1."""
    xm1 = x - 1.0
    num = 0.5 * (4.0 + x * (x - 11.0)) * xm1
    num += 3.0 * x * x * np.log(x)
    den = xm1 * xm1
    den *= xm1
    num /= den
    return num


def w_loop(x) -> np.ndarray:
    """Loop function w(x) of 2105.11462 eq. 3.12, x = m_N^2/m_W^2 (array in, array out).

    Stable near x = 1 (series, w(1) = 3/2), for x -> 0 (w(0) = 2) and x -> inf (w -> 1/2).
    Returns a float array of the shape of ``x`` (a 0-d array for a scalar); NaN for x < 0.

    The closed form runs on the whole array (one log, one division); the few elements near
    x = 1, at x = 0, above 1e100 or invalid are then overwritten from their own branch.
    """
    x = np.asarray(x, dtype=np.float64)
    shape = x.shape
    flat = x.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _w_closed(flat)
    if not flat.size:
        return out.reshape(shape)
    lo, hi = flat.min(), flat.max()             # two reductions decide which fixes apply
    regular = lo > 0.0 and hi < 1e100           # False also when there is a NaN
    if not regular or (lo < 1.0 + _SERIES_RADIUS and hi > 1.0 - _SERIES_RADIUS):
        near = np.flatnonzero(np.abs(flat - 1.0) < _SERIES_RADIUS)
        if near.size:
            out[near] = _w_near_one(flat[near] - 1.0)
    odd = () if regular else np.flatnonzero(~((flat > 0.0) & (flat < 1e100)))
    if len(odd):
        xo = flat[odd]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[odd] = np.where(xo == 0.0, 2.0, np.where(xo >= 1e100, _w_large(xo), np.nan))
    return out.reshape(shape)


# Short alias matching the paper's symbol.
w = w_loop
