"""Numerical pieces shared by every sector: two-body kinematics, quadrature, interpolation.

Pure functions of numpy arrays.  Quadrature nodes are computed once per order (``leggauss``
costs O(n²) and was recomputed thousands of times per table build before it lived here).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


# ---------------------------------------------------------------------------------------
# kinematics
# ---------------------------------------------------------------------------------------
def kallen(x, y, z):
    """Källén function λ(x, y, z) = (x − y − z)² − 4yz."""
    return (x - y - z) ** 2 - 4.0 * y * z


def kallen_sqrt(x, m1, m2):
    """sqrt(λ(x, m1², m2²)) for x ≥ (m1 + m2)² (x a mass squared), else 0.

    Uses the factorised form (x − (m1+m2)²)(x − (m1−m2)²), stable near threshold.
    """
    x = np.asarray(x, dtype=np.float64)
    a = x - (m1 + m2) ** 2
    b = x - (m1 - m2) ** 2
    return np.sqrt(np.clip(a, 0.0, None) * np.clip(b, 0.0, None))


def two_body_momentum(M, m1, m2=0.0):
    """|p| of the daughters of a two-body decay M → m1 m2 in the M rest frame:
    λ^{1/2}(M², m1², m2²) / (2M)."""
    M = np.asarray(M, float)
    lam = kallen(M * M, np.asarray(m1, float) ** 2, np.asarray(m2, float) ** 2)
    return np.sqrt(np.maximum(lam, 0.0)) / (2.0 * M)


# ---------------------------------------------------------------------------------------
# quadrature
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _leggauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def leggauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [−1, 1] (read-only arrays, computed once per n)."""
    return _leggauss(int(n))


def gauss_legendre(n: int, a, b) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights of order n mapped onto [a, b]; a and b may be
    arrays (the nodes then run along a new last axis)."""
    x, w = _leggauss(int(n))
    a, b = np.asarray(a, float)[..., None], np.asarray(b, float)[..., None]
    half = 0.5 * (b - a)
    nodes, weights = half * x + 0.5 * (b + a), half * w
    if nodes.ndim == 2 and nodes.shape[0] == 1:
        return nodes[0], weights[0]
    return nodes, weights
