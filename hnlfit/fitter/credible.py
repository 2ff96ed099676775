"""Credible regions and intervals from posterior samples (numbers first, figures after).

Densities are histograms of the samples smoothed with a Gaussian kernel (width ``smooth``
in bins, per axis; mirrored at the range edges, which for a posterior are the prior's hard
bounds, so the smoothing moves no probability across them).  :func:`scott_width` gives the
kernel width of Scott's rule, ``h = sigma n^(-1/(d+4))`` (times 1.06 in 1-d; D. W. Scott,
*Multivariate Density Estimation*, 1992, normal reference rule), with ``n`` the effective
sample size.
The 2-d highest-density credible region of credibility ``c`` is ``{density >= t_c}`` with
``t_c`` chosen so that the region holds the fraction ``c`` of the smoothed mass (the usual
corner-plot construction, as in ``corner.py``).  Its boundary lines are computed with
``contourpy`` -- the same lines that the figure draws and that the card writes as data.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["density_1d", "density_2d", "hpd_levels", "contour_lines", "quantile_summary",
           "scott_width"]

QUANTILES = (0.025, 0.16, 0.5, 0.84, 0.975)


def scott_width(x: np.ndarray, n_effective: float, dims: int) -> float:
    """Scott's-rule Gaussian kernel width for samples ``x`` (one column) of ``n_effective``
    independent samples in a ``dims``-dimensional density."""
    factor = 1.06 if dims == 1 else 1.0
    return factor * float(np.std(x)) * max(n_effective, 1.0) ** (-1.0 / (dims + 4))


def _smooth(h: np.ndarray, smooth) -> np.ndarray:
    if np.all(np.asarray(smooth) <= 0):
        return h
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(h, smooth, mode="reflect")


def density_1d(x: np.ndarray, lo: float, hi: float, bins: int = 60,
               smooth: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """(bin centres, density normalised to unit area) of samples ``x`` on [lo, hi]."""
    edges = np.linspace(lo, hi, bins + 1)
    h, _ = np.histogram(x, bins=edges)
    h = _smooth(h.astype(np.float64), smooth)
    area = h.sum() * (edges[1] - edges[0])
    return 0.5 * (edges[1:] + edges[:-1]), h / area if area > 0 else h


def density_2d(x: np.ndarray, y: np.ndarray, xr: tuple[float, float],
               yr: tuple[float, float], bins: int = 50, smooth=1.3):
    """(x centres, y centres, smoothed probability per cell (ny, nx), summing to 1);
    ``smooth`` in bins, one number or ``(along x, along y)``."""
    xe = np.linspace(*xr, bins + 1)
    ye = np.linspace(*yr, bins + 1)
    h, _, _ = np.histogram2d(x, y, bins=(xe, ye))
    sx, sy = np.broadcast_to(np.asarray(smooth, dtype=np.float64), (2,))
    h = _smooth(h.T.astype(np.float64), (sy, sx))
    total = h.sum()
    return (0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1]),
            h / total if total > 0 else h)


def hpd_levels(p: np.ndarray, credibility: Sequence[float]) -> list[float]:
    """Density thresholds whose super-level sets hold the given fractions of ``p``'s mass."""
    flat = np.sort(p.ravel())[::-1]
    cum = np.cumsum(flat)
    cum /= cum[-1]
    out = []
    for c in credibility:
        i = min(int(np.searchsorted(cum, c)), flat.size - 1)
        out.append(float(flat[i]))
    return out


def contour_lines(xc: np.ndarray, yc: np.ndarray, p: np.ndarray,
                  level: float) -> list[np.ndarray]:
    """Boundary lines ``[(k, 2) arrays of (x, y)]`` of ``{p >= level}``; the field is padded
    with zeros so that a region touching the range edge is closed along it."""
    import contourpy

    dx, dy = xc[1] - xc[0], yc[1] - yc[0]
    x = np.concatenate(([xc[0] - 0.5 * dx], xc, [xc[-1] + 0.5 * dx]))
    y = np.concatenate(([yc[0] - 0.5 * dy], yc, [yc[-1] + 0.5 * dy]))
    z = np.pad(p, 1)  # the padded cells sit on the range edges
    gen = contourpy.contour_generator(x, y, z, line_type=contourpy.LineType.Separate)
    return [np.asarray(seg, dtype=np.float64) for seg in gen.lines(level) if len(seg) > 1]


def quantile_summary(x: np.ndarray) -> dict[str, float]:
    """Mean, standard deviation and the 2.5/16/50/84/97.5% quantiles of ``x``."""
    qs = np.quantile(x, QUANTILES)
    out = {"mean": float(np.mean(x)), "std": float(np.std(x))}
    out.update({f"q{100 * q:g}": float(v) for q, v in zip(QUANTILES, qs)})
    return out
