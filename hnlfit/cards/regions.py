"""Regions of a parameter plane with smooth boundaries: a coarse grid refined where it matters.

A plane card computes each layer's *field* on the card's grid (``nx x ny``, "ij" order as
:class:`~hnlfit.fitter.scan.ScanResult`): a region is ``field > level`` (exclusions,
sensitivities) or ``field < level`` (the n-sigma bands).  Contouring that grid directly shows
the grid: a field that jumps (a published curve's upper edge, the end of a table's mass range)
is cut at the nearest grid line, and a coarse grid gives a staircase.  :func:`refine_field`
therefore

1. builds a finer grid, ``factor`` sub-intervals per coarse interval (one number, or one per
   axis ``(kx, ky)``: fewer in x where each new x costs a table, e.g. a far detector's
   per-mass tables), uniform in log10 of
   each log axis (so the lines are straight where the physics is a power law);
2. fills it by bilinear interpolation of the coarse field (exact enough away from a boundary:
   a cell whose four corners are on one side of every level keeps no boundary);
3. evaluates the field *exactly* at every fine node of each coarse cell that the boundary
   crosses, and repeats for neighbouring cells that the refined values show to be crossed,
   until no crossed cell is left unrefined.

The cost is ``(kx + 1) (ky + 1)`` evaluations per boundary cell, a fraction of the grid.
:func:`region_geometry` turns a refined field into boundary lines and filled polygons
(contourpy, in log10 space, mapped back), and :func:`first_interval` gives, for every x of
the coarse grid, the first y interval inside the region (the per-mass limit tables).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["Refined", "refine_field", "refinement_factor", "region_geometry", "first_interval",
           "Geometry"]


def refinement_factor(n: int, target: int) -> int:
    """Sub-intervals per coarse interval so that the fine axis has about ``target`` points
    (at least 1, at most 24)."""
    return int(np.clip(np.ceil((target - 1) / max(n - 1, 1)), 1, 24))


@dataclass
class Refined:
    """A field on the fine grid: ``u``/``v`` are the fine axes in plotting space (log10 of
    a log axis), ``x``/``y`` the same in parameter units, ``field`` has shape
    ``(len(u), len(v))``; ``factor`` = (kx, ky) fine intervals per coarse one; ``n_exact`` the
    number of
    exact evaluations spent on the refinement."""

    u: np.ndarray
    v: np.ndarray
    field: np.ndarray
    log_x: bool
    log_y: bool
    factor: tuple[int, int]
    n_exact: int

    @property
    def x(self) -> np.ndarray:
        return 10.0 ** self.u if self.log_x else self.u

    @property
    def y(self) -> np.ndarray:
        return 10.0 ** self.v if self.log_y else self.v


def _space(a: np.ndarray, log: bool) -> np.ndarray:
    return np.log10(a) if log else np.asarray(a, dtype=np.float64)


def _fine_axis(u: np.ndarray, k: int) -> np.ndarray:
    t = np.arange(k) / k
    inner = (u[:-1, None] + t[None, :] * np.diff(u)[:, None]).ravel()
    return np.append(inner, u[-1])


def _bilinear(u, v, f, uf, vf) -> np.ndarray:
    from scipy.interpolate import RegularGridInterpolator

    interp = RegularGridInterpolator((u, v), f, method="linear")
    U, V = np.meshgrid(uf, vf, indexing="ij")
    return interp(np.stack([U.ravel(), V.ravel()], axis=-1)).reshape(U.shape)


def _crossed_cells(ff: np.ndarray, levels, kx: int, ky: int) -> np.ndarray:
    """Coarse cells (nx-1, ny-1) in which some fine cell has corners on both sides of a
    level."""
    nxc, nyc = (ff.shape[0] - 1) // kx, (ff.shape[1] - 1) // ky
    crossed = np.zeros((nxc, nyc), dtype=bool)
    for lev in levels:
        s = ff > lev
        c = s[:-1, :-1]
        mixed = (c != s[1:, :-1]) | (c != s[:-1, 1:]) | (c != s[1:, 1:])
        crossed |= mixed.reshape(nxc, kx, nyc, ky).any(axis=(1, 3))
    return crossed


def refine_field(evaluate: Callable[[np.ndarray, np.ndarray], np.ndarray], x, y, coarse,
                 levels, *, log_x: bool, log_y: bool, factor,
                 max_passes: int = 8) -> Refined:
    """Refine ``coarse`` (shape (len(x), len(y))) near ``levels`` (see the module text).

    ``evaluate(xs, ys)`` returns the exact field at 1-d arrays of points (parameter units).
    """
    u, v = _space(x, log_x), _space(y, log_y)
    kx, ky = (int(factor), int(factor)) if np.ndim(factor) == 0 else map(int, factor)
    coarse = np.asarray(coarse, dtype=np.float64)
    if kx <= 1 and ky <= 1:
        return Refined(u, v, coarse.copy(), log_x, log_y, (1, 1), 0)
    uf, vf = _fine_axis(u, kx), _fine_axis(v, ky)
    ff = _bilinear(u, v, coarse, uf, vf)
    ff[::kx, ::ky] = coarse                    # the coarse nodes stay exact
    exact = np.zeros(ff.shape, dtype=bool)
    exact[::kx, ::ky] = True
    done = np.zeros((len(u) - 1, len(v) - 1), dtype=bool)
    ax_, ay_ = np.arange(kx + 1), np.arange(ky + 1)
    n_exact = 0
    for _ in range(max_passes):
        todo = _crossed_cells(ff, levels, kx, ky) & ~done
        if not todo.any():
            break
        ci, cj = np.nonzero(todo)
        ii = (ci[:, None, None] * kx + ax_[None, :, None]).repeat(ky + 1, axis=2).ravel()
        jj = (cj[:, None, None] * ky + ay_[None, None, :]).repeat(kx + 1, axis=1).ravel()
        flat = np.unique(ii * ff.shape[1] + jj)
        flat = flat[~exact.ravel()[flat]]
        if flat.size:
            i, j = np.divmod(flat, ff.shape[1])
            xs = 10.0 ** uf[i] if log_x else uf[i]
            ys = 10.0 ** vf[j] if log_y else vf[j]
            ff[i, j] = np.asarray(evaluate(xs, ys), dtype=np.float64)
            exact[i, j] = True
            n_exact += flat.size
        done |= todo
    return Refined(uf, vf, ff, log_x, log_y, (kx, ky), n_exact)


@dataclass
class Geometry:
    """Boundary ``lines`` ((N, 2) arrays of (x, y), parameter units; a closed line repeats
    its first point) and filled ``polygons`` ((points, path codes), matplotlib's codes) of
    one region."""

    lines: list[np.ndarray] = field(default_factory=list)
    polygons: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.polygons


def _to_params(pts: np.ndarray, log_x: bool, log_y: bool) -> np.ndarray:
    pts = np.array(pts, dtype=np.float64)
    if log_x:
        pts[:, 0] = 10.0 ** pts[:, 0]
    if log_y:
        pts[:, 1] = 10.0 ** pts[:, 1]
    return pts


def region_geometry(ref: Refined, level: float, above: bool) -> Geometry:
    """Lines at ``level`` and the polygons of ``field > level`` (``above``) or
    ``field < level``, computed in the plotting space of ``ref`` and mapped back."""
    import contourpy

    z = ref.field.T                            # contourpy: z[j, i] at (u[i], v[j])
    gen = contourpy.contour_generator(ref.u, ref.v, z, line_type=contourpy.LineType.Separate,
                                      fill_type=contourpy.FillType.OuterCode)
    lines = [_to_params(ln, ref.log_x, ref.log_y) for ln in gen.lines(level) if len(ln) > 1]
    hi = float(np.nanmax(z)) if np.isfinite(z).any() else level
    lo = float(np.nanmin(z)) if np.isfinite(z).any() else level
    lower, upper = (level, max(hi, level) + 1.0) if above else (min(lo, level) - 1.0, level)
    points, codes = gen.filled(lower, upper)
    polys = [(_to_params(p, ref.log_x, ref.log_y), np.asarray(c))
             for p, c in zip(points, codes) if len(p) > 2]
    return Geometry(lines, polys)


def first_interval(ref: Refined, level: float, above: bool) -> dict[str, np.ndarray]:
    """For each x of the coarse grid: the first y interval inside the region (``field >
    level`` if ``above``) along the refined column, crossings interpolated linearly in the
    plotting space of y.  Returns arrays ``x``, ``low``, ``high`` (NaN where the column has
    no point inside), ``low_is_edge``/``high_is_edge`` (the interval reaches the scanned
    range instead of a crossing) and ``n_intervals``."""
    cols = ref.field[::ref.factor[0]]
    x = ref.x[::ref.factor[0]]
    v = ref.v
    f = (cols - level) if above else (level - cols)   # > 0 inside
    inside = f > 0
    n = len(x)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    low_edge, high_edge = np.zeros(n, bool), np.zeros(n, bool)
    n_int = np.zeros(n, int)
    for i in range(n):                         # one column per x: a few hundred at most
        s = inside[i]
        if not s.any():
            continue
        starts = np.flatnonzero(s[1:] & ~s[:-1]) + 1
        ends = np.flatnonzero(s[:-1] & ~s[1:])
        n_int[i] = len(starts) + int(s[0])
        j0 = 0 if s[0] else starts[0]
        if s[0]:
            low[i], low_edge[i] = v[0], True
        else:
            low[i] = _cross(v[j0 - 1], v[j0], f[i, j0 - 1], f[i, j0])
        after = ends[ends >= j0]
        if after.size:
            j1 = after[0]
            high[i] = _cross(v[j1], v[j1 + 1], f[i, j1], f[i, j1 + 1])
        else:
            high[i], high_edge[i] = v[-1], True
    if ref.log_y:
        low, high = 10.0 ** low, 10.0 ** high
    return {"x": x, "low": low, "high": high, "low_is_edge": low_edge,
            "high_is_edge": high_edge, "n_intervals": n_int}


def _cross(v0, v1, f0, f1) -> float:
    t = f0 / (f0 - f1) if f0 != f1 else 0.5
    return float(v0 + t * (v1 - v0))
