"""Profile likelihood: minimise chi2 over the parameters that are not scanned (iminuit).

For every grid point of the scanned ``axes`` the free parameters are minimised with Migrad:

1. *coarse start* -- chi2 is evaluated, vectorized, on a coarse grid over the free
   parameters for all grid points of a chunk at once (``n_coarse`` values per free
   parameter, log-spaced when the range is positive and spans >= 2 decades, plus the given
   start value); the best coarse point of each grid point is Migrad's start;
2. *refinement* -- Migrad (``errordef = 1``, chi2) from that start within the bounds.
   If Migrad ends above the best coarse value (it should not), the coarse value is kept
   and the point is flagged invalid.

The loop over grid points in step 2 is the only Python loop; grid points are processed
in chunks that can run on any :class:`concurrent.futures.Executor`, as in
:func:`~hnlfit.fitter.scan.grid_scan` (the same picklability rules apply).

``free`` is ``{name: (start, lo, hi)}``; ``lo``/``hi`` may be None (unbounded: no coarse
grid along that parameter, only the start).  Free names may be model parameters or
auxiliary variables read by ``derived`` expressions.  A discrete ``sign`` cannot be
profiled by Migrad: scan it as an axis and use :meth:`ScanResult.profile_out`.
"""
from __future__ import annotations

import math
import time
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ..errors import HnlfitError
from ..params import PARAMETERS, make_point
from .expressions import build_point, chi2_or_nan
from .scan import (ScanResult, _check_axes, _clean, grid_values, prepare_inputs,
                   run_chunks)

__all__ = ["profile_scan", "global_minimum", "FitResult"]

BAD_CHI2 = 1e30  # returned to Migrad where the point is invalid or chi2 is not finite
MAX_COARSE = 4096  # coarse points per grid point (n_coarse is lowered to stay below)


@dataclass(frozen=True)
class FreeParam:
    name: str
    start: float
    lo: float | None
    hi: float | None

    def coarse(self, n: int) -> np.ndarray:
        if self.lo is None or self.hi is None or n < 2:
            return np.array([self.start])
        if self.lo > 0 and self.hi / self.lo >= 100.0:
            vals = np.geomspace(self.lo, self.hi, n)
        else:
            vals = np.linspace(self.lo, self.hi, n)
        return np.union1d(vals, [self.start])

    def step(self, x: float, n: int) -> float:
        """Initial Migrad step near ``x``: about half a coarse-grid spacing."""
        if self.lo is None or self.hi is None:
            return 0.1 * abs(x) if x != 0 else 0.1
        if self.lo > 0 and self.hi / self.lo >= 100.0:
            ratio = (self.hi / self.lo) ** (1.0 / max(n - 1, 1))
            return 0.5 * x * (ratio - 1.0)
        return 0.5 * (self.hi - self.lo) / max(n - 1, 1)


def _parse_free(free: Mapping[str, Any]) -> list[FreeParam]:
    out = []
    for name, spec in free.items():
        try:
            start, lo, hi = spec
        except (TypeError, ValueError):
            raise ValueError(f"free parameter {name!r}: give (start, lo, hi), got {spec!r}") \
                from None
        lo = None if lo is None or lo == -math.inf else float(lo)
        hi = None if hi is None or hi == math.inf else float(hi)
        start = float(start)
        if lo is not None and hi is not None and not lo < hi:
            raise ValueError(f"free parameter {name!r}: need lo < hi, got ({lo}, {hi})")
        if (lo is not None and start < lo) or (hi is not None and start > hi):
            raise ValueError(f"free parameter {name!r}: start {start} outside ({lo}, {hi})")
        if name in PARAMETERS:  # the bounds must be allowed values of the parameter
            for what, v in (("start", start), ("lower bound", lo), ("upper bound", hi)):
                if v is not None:
                    try:
                        make_point(**{name: v})
                    except HnlfitError as exc:
                        raise type(exc)(f"free parameter {name!r}, {what}: {exc}") from None
        out.append(FreeParam(name, start, lo, hi))
    return out


@dataclass(frozen=True)
class _ProfileTask:
    term: Any
    names: tuple
    axes: tuple
    free: tuple  # FreeParam
    fixed: dict
    derived: dict
    n_coarse: int
    ncall: int | None
    tol: float | None
    strategy: int
    hesse: bool = False


def _chi2_batch(task: _ProfileTask, values: dict, size: int) -> np.ndarray:
    """chi2 on ``size`` rows; NaN where a derived value or a parameter is invalid."""
    values = dict(values)
    values.update(task.fixed)
    return chi2_or_nan(task.term, values, task.derived, size)


def _coarse_starts(task: _ProfileTask, scanned: dict[str, np.ndarray], m: int):
    """Best coarse free values (m, k) and their chi2 (m,) for m grid points."""
    grids = [fp.coarse(task.n_coarse) for fp in task.free]
    mesh = [g.ravel() for g in np.meshgrid(*grids, indexing="ij")]
    c = mesh[0].size
    values = {n: np.repeat(a, c) for n, a in scanned.items()}
    values.update({fp.name: np.tile(g, m) for fp, g in zip(task.free, mesh)})
    chi2 = _chi2_batch(task, values, m * c).reshape(m, c)
    filled = np.where(np.isfinite(chi2), chi2, np.inf)
    best = np.argmin(filled, axis=1)
    start = np.stack([g[best] for g in mesh], axis=1)
    return start, filled[np.arange(m), best]


def _migrad_one(task: _ProfileTask, scanned: dict[str, float], x0: np.ndarray):
    from iminuit import Minuit

    names = [fp.name for fp in task.free]
    base = dict(scanned)
    base.update(task.fixed)

    def fcn(x):
        vals = dict(base)
        vals.update(zip(names, x))
        try:
            c = float(np.asarray(task.term.chi2(build_point(vals, task.derived))).reshape(()))
        except HnlfitError:
            return BAD_CHI2
        return c if math.isfinite(c) else BAD_CHI2

    m = Minuit(fcn, np.asarray(x0, dtype=np.float64), name=names)
    m.errordef = Minuit.LEAST_SQUARES
    m.limits = [(-math.inf if fp.lo is None else fp.lo, math.inf if fp.hi is None else fp.hi)
                for fp in task.free]
    m.errors = [max(fp.step(float(x), task.n_coarse), 1e-300) for fp, x in zip(task.free, x0)]
    m.strategy = task.strategy
    if task.tol is not None:
        m.tol = task.tol
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # iminuit warns on edm/limits; validity is reported
        m.migrad(ncall=task.ncall)
        if task.hesse and m.valid:
            m.hesse()
    return m


def _eval_profile_chunk(task: _ProfileTask, start: int, stop: int):
    """Profile grid points ``start..stop-1``: (chi2 (m,), best (m, k), valid (m,), nfcn)."""
    m = stop - start
    scanned = grid_values(task.names, task.axes, start, stop)
    if not task.free:
        chi2 = _chi2_batch(task, scanned, m)
        return chi2, np.zeros((m, 0)), np.ones(m, bool), np.ones(m, int)
    x0, c0 = _coarse_starts(task, scanned, m)
    chi2 = np.empty(m)
    best = np.empty_like(x0)
    valid = np.zeros(m, bool)
    nfcn = np.zeros(m, int)
    for i in range(m):
        at = {n: float(a[i]) for n, a in scanned.items()}
        if not np.isfinite(c0[i]):
            chi2[i], best[i], valid[i] = math.nan, x0[i], False
            continue
        mn = _migrad_one(task, at, x0[i])
        nfcn[i] = mn.nfcn
        if mn.fval <= c0[i]:
            chi2[i], best[i], valid[i] = mn.fval, np.asarray(mn.values), mn.valid
        else:
            chi2[i], best[i], valid[i] = c0[i], x0[i], False
    return chi2, best, valid, nfcn


def _make_task(term, axes, free, fixed, derived, n_coarse, ncall, tol, strategy, hesse=False):
    axes = _check_axes(axes)
    fps = _parse_free(free)
    clash = sorted(set(axes) & {fp.name for fp in fps})
    if clash:
        raise ValueError(f"{clash[0]!r} is both scanned and free")
    given = dict(axes)
    given.update({fp.name: None for fp in fps})
    fixed, derived = prepare_inputs(given, fixed, derived)
    if fps:
        n_coarse = min(int(n_coarse), max(1, int(MAX_COARSE ** (1.0 / len(fps)))))
    return _ProfileTask(term, tuple(axes), tuple(axes.values()), tuple(fps), fixed, derived,
                        n_coarse, ncall, tol, int(strategy), hesse), axes


def profile_scan(term, axes: Mapping[str, Any], free: Mapping[str, tuple],
                 fixed: Mapping[str, Any] | None = None,
                 derived: Mapping[str, str] | None = None, *, n_coarse: int = 7,
                 chunk_size: int = 64, executor: Executor | None = None,
                 progress: bool = True, ncall: int | None = None, tol: float | None = None,
                 strategy: int = 1) -> ScanResult:
    """Profiled chi2 on the grid of ``axes``, minimised over ``free`` at each grid point.

    Returns a :class:`~hnlfit.fitter.scan.ScanResult` whose ``chi2`` is the profiled chi2,
    ``profiled[name]`` the best-fit value of each free parameter (grid-shaped), and
    ``valid`` Migrad's validity flag per grid point.  ``ncall``, ``tol``, ``strategy`` go
    to Migrad.
    """
    task, axes = _make_task(term, axes, free, fixed, derived, n_coarse, ncall, tol, strategy)
    shape = tuple(len(a) for a in axes.values())
    n = math.prod(shape)
    t0 = time.perf_counter()
    parts = run_chunks(_eval_profile_chunk, task, n, chunk_size, executor, progress,
                       desc=f"profile {getattr(term, 'name', '')}".strip())
    chi2 = np.concatenate([p[0] for p in parts]).reshape(shape)
    best = np.concatenate([p[1] for p in parts], axis=0)
    valid = np.concatenate([p[2] for p in parts]).reshape(shape)
    nfcn = int(sum(int(p[3].sum()) for p in parts))
    profiled = {fp.name: best[:, k].reshape(shape) for k, fp in enumerate(task.free)}
    return ScanResult(axes=dict(axes), chi2=chi2, fixed=task.fixed, derived=task.derived,
                      profiled=profiled, valid=valid,
                      meta={"kind": "profile_scan", "term": repr(term), "n_points": n,
                            "free": {fp.name: [fp.start, fp.lo, fp.hi] for fp in task.free},
                            "n_coarse": task.n_coarse, "chunk_size": chunk_size,
                            "n_chunks": len(parts), "nfcn": nfcn,
                            "n_invalid": int((~valid).sum()),
                            "executor": type(executor).__name__ if executor else None,
                            "elapsed_s": time.perf_counter() - t0})


@dataclass
class FitResult:
    """A global minimum: best-fit values, Hesse errors, chi2 (relative to no-HNL)."""

    values: dict[str, float]
    errors: dict[str, float]
    chi2: float
    valid: bool
    nfcn: int
    covariance: np.ndarray | None = None
    fixed: dict[str, float] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)
    minuit: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return _clean({"values": self.values, "errors": self.errors, "chi2": self.chi2,
                       "valid": self.valid, "nfcn": self.nfcn,
                       "covariance": self.covariance, "fixed": self.fixed,
                       "derived": self.derived})


def global_minimum(term, free: Mapping[str, tuple], fixed: Mapping[str, Any] | None = None,
                   derived: Mapping[str, str] | None = None, *, n_coarse: int = 11,
                   ncall: int | None = None, tol: float | None = None,
                   strategy: int = 1) -> FitResult:
    """Minimise chi2 over ``free`` (coarse vectorized grid, then Migrad and Hesse)."""
    task, _ = _make_task(term, {}, free, fixed, derived, n_coarse, ncall, tol, strategy,
                         hesse=True)
    if not task.free:
        raise ValueError("global_minimum needs at least one free parameter")
    x0, c0 = _coarse_starts(task, {}, 1)
    if not np.isfinite(c0[0]):
        raise HnlfitError("chi2 is not finite anywhere on the coarse grid of the free "
                          f"parameters {[fp.name for fp in task.free]}")
    mn = _migrad_one(task, {}, x0[0])
    names = [fp.name for fp in task.free]
    if mn.fval <= c0[0]:
        vals, chi2, valid = list(mn.values), float(mn.fval), bool(mn.valid)
    else:
        vals, chi2, valid = list(x0[0]), float(c0[0]), False
    cov = np.array(mn.covariance) if mn.covariance is not None else None
    return FitResult(values=dict(zip(names, map(float, vals))),
                     errors=dict(zip(names, map(float, mn.errors))), chi2=chi2, valid=valid,
                     nfcn=int(mn.nfcn), covariance=cov, fixed=task.fixed,
                     derived=task.derived, minuit=mn)
