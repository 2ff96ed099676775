"""Grid scans: chi2 of a likelihood term on the outer product of parameter axes.

The grid is flattened and cut into chunks of ``chunk_size`` points; each chunk is one
vectorized call of ``term.chi2`` (no Python loop over points).  Chunks run in-process, or
on any :class:`concurrent.futures.Executor`::

    grid_scan(term, axes, executor=ProcessPoolExecutor(4))
    grid_scan(term, axes, executor=dask.distributed.Client(...).get_executor())

Results are put back in grid order whatever order the chunks finish in, so the result does
not depend on the executor or the chunk size.

Picklability: with an executor, the chunk function (:func:`_eval_grid_chunk`, module
level) and its task -- the term, the axes, ``fixed`` and ``derived`` -- are pickled to the
workers.  Terms are plain Python objects and pickle as long as whatever they hold does: a
:class:`~hnlfit.likelihoods.terms.FunctionTerm` wrapping a *module-level* function pickles,
one wrapping a lambda or a closure does not with the standard pickle used by
``ProcessPoolExecutor`` (Dask uses cloudpickle, which handles those too).  Workers must be
able to import the modules that define the term and the observables it reads.

Inputs
------
``axes``    -- ``{name: 1-d array}``; the grid has shape ``(len(a) for a in axes)`` in the
               order given ("ij" indexing).
``fixed``   -- ``{name: scalar}``; a string value is taken as a derived expression.
``derived`` -- ``{name: expression}`` (see :mod:`hnlfit.fitter.expressions`).
Names that are not model parameters (e.g. ``sign``) are allowed in ``axes`` and ``fixed``
when a derived expression reads them; they are removed before the Point is built.
"""
from __future__ import annotations

import math
import pickle
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from tqdm.auto import tqdm

from .. import io
from ..errors import ParameterError
from ..params import PARAMETERS, make_point
from .expressions import build_point, check_names, compile_expression

__all__ = ["ScanResult", "grid_scan", "DEFAULT_CHUNK_SIZE"]

DEFAULT_CHUNK_SIZE = 1 << 16


# --------------------------------------------------------------------------- inputs
def prepare_inputs(given: Mapping[str, Any], fixed: Mapping[str, Any] | None,
                   derived: Mapping[str, str] | None) -> tuple[dict, dict]:
    """Normalise ``fixed``/``derived`` and validate all names before anything runs.

    ``given`` maps the names that will vary (axes, free or sampled variables) to
    representative values (arrays, or None when unknown).  Returns ``(fixed, derived)``
    with string-valued ``fixed`` entries moved to ``derived`` and numbers as float.
    """
    fixed_out: dict[str, float] = {}
    derived_out = dict(derived or {})
    for name, value in (fixed or {}).items():
        if isinstance(value, str):
            if name in derived_out and derived_out[name] != value:
                raise ParameterError(f"{name!r} is given as fixed {value!r} and derived "
                                     f"{derived_out[name]!r}; give it once")
            derived_out[name] = value
            continue
        arr = np.asarray(value, dtype=np.float64) if not isinstance(value, np.ndarray) \
            else value.astype(np.float64)
        if arr.ndim != 0:
            raise ParameterError(f"fixed value of {name!r} must be a single number, got shape "
                                 f"{arr.shape}; scan it as an axis instead")
        fixed_out[name] = float(arr)
    for text in derived_out.values():
        compile_expression(text)
    clash = sorted(set(given) & set(fixed_out))
    if clash:
        raise ParameterError(f"{clash[0]!r} is both varied and fixed; give it one way only")
    check_names(list(given) + list(fixed_out), derived_out)
    # range checks on the values given directly (derived values are checked per chunk)
    for name, value in list(given.items()) + list(fixed_out.items()):
        if name in PARAMETERS and value is not None:
            make_point(**{name: value})
    return fixed_out, derived_out


def _check_axes(axes: Mapping[str, Any]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, a in axes.items():
        try:
            arr = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            raise ParameterError(f"axis {name!r} must be an array of numbers") from None
        if arr.ndim != 1 or arr.size == 0:
            raise ParameterError(f"axis {name!r} must be a non-empty 1-d array, got shape "
                                 f"{arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ParameterError(f"axis {name!r} has non-finite values")
        out[name] = arr
    return out


def _check_picklable(executor: Executor | None, task: Any) -> None:
    """Process pools use the standard pickle: fail early with an explanation."""
    if isinstance(executor, ProcessPoolExecutor):
        try:
            pickle.dumps(task)
        except Exception as exc:  # noqa: BLE001 -- any pickling failure
            raise TypeError(
                "the likelihood term (or fixed/derived inputs) cannot be pickled for a "
                f"ProcessPoolExecutor: {exc}. Define term functions at module level (no "
                "lambdas or closures), or use a Dask executor (cloudpickle).") from exc


def run_chunks(fn: Callable, task: Any, n_total: int, chunk_size: int,
               executor: Executor | None, progress: bool, desc: str) -> list:
    """Run ``fn(task, start, stop)`` over ``[0, n_total)`` in chunks; results in order."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    bounds = [(s, min(s + chunk_size, n_total)) for s in range(0, n_total, chunk_size)]
    results: list = [None] * len(bounds)
    bar = tqdm(total=len(bounds), desc=desc, unit="chunk", disable=not progress,
               leave=False)
    try:
        if executor is None:
            for k, (s, e) in enumerate(bounds):
                results[k] = _annotated(fn, task, s, e, k)
                bar.update(1)
        else:
            _check_picklable(executor, task)
            futures = {executor.submit(fn, task, s, e): k for k, (s, e) in enumerate(bounds)}
            try:
                for fut in as_completed(futures):
                    k = futures[fut]
                    try:
                        results[k] = fut.result()
                    except BaseException as exc:
                        s, e = bounds[k]
                        if hasattr(exc, "add_note"):
                            exc.add_note(f"(in chunk {k}: grid points {s}..{e - 1})")
                        raise
                    bar.update(1)
            finally:
                for fut in futures:
                    fut.cancel()
    finally:
        bar.close()
    return results


def _annotated(fn, task, s, e, k):
    try:
        return fn(task, s, e)
    except Exception as exc:
        exc.add_note(f"(in chunk {k}: grid points {s}..{e - 1})")
        raise


def grid_values(names: Sequence[str], axes: Sequence[np.ndarray], start: int,
                stop: int) -> dict[str, np.ndarray]:
    """Axis values at flat grid indices ``start..stop-1`` (C order, "ij" indexing)."""
    if not axes:
        return {}
    shape = tuple(len(a) for a in axes)
    idx = np.unravel_index(np.arange(start, stop), shape)
    return {n: a[i] for n, a, i in zip(names, axes, idx)}


# --------------------------------------------------------------------------- grid scan
@dataclass(frozen=True)
class _GridTask:
    term: Any
    names: tuple
    axes: tuple
    fixed: dict
    derived: dict


def _eval_grid_chunk(task: _GridTask, start: int, stop: int) -> np.ndarray:
    """One vectorized evaluation of the term on grid points ``start..stop-1``."""
    values = grid_values(task.names, task.axes, start, stop)
    values.update(task.fixed)
    point = build_point(values, task.derived)
    chi2 = np.asarray(task.term.chi2(point), dtype=np.float64)
    if chi2.shape != (stop - start,):
        try:
            chi2 = np.broadcast_to(chi2, (stop - start,))
        except ValueError:
            raise ValueError(f"term {getattr(task.term, 'name', task.term)!r} returned chi2 "
                             f"of shape {chi2.shape} for a point of shape "
                             f"{(stop - start,)}") from None
    return np.array(chi2)


def grid_scan(term, axes: Mapping[str, Any], fixed: Mapping[str, Any] | None = None,
              derived: Mapping[str, str] | None = None, *,
              chunk_size: int = DEFAULT_CHUNK_SIZE, executor: Executor | None = None,
              progress: bool = True) -> "ScanResult":
    """Evaluate ``term.chi2`` on the full outer-product grid of ``axes``.

    Parameters
    ----------
    term : Term
        Any object with ``chi2(point) -> ndarray`` of the point's shape.
    axes : dict name -> 1-d array
        The scanned variables; grid shape is ``tuple(len(a) for a in axes.values())``.
    fixed, derived : see the module docstring.
    chunk_size : int
        Grid points per vectorized call (and per task sent to the executor).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (process pool, Dask ``Client.get_executor()``, ...); in-process
        when None.
    progress : bool
        tqdm bar over chunks.
    """
    axes = _check_axes(axes)
    fixed, derived = prepare_inputs(axes, fixed, derived)
    names = tuple(axes)
    shape = tuple(len(a) for a in axes.values())
    n = math.prod(shape)
    task = _GridTask(term, names, tuple(axes.values()), fixed, derived)
    t0 = time.perf_counter()
    parts = run_chunks(_eval_grid_chunk, task, n, chunk_size, executor, progress,
                       desc=f"scan {getattr(term, 'name', '')}".strip())
    chi2 = np.concatenate(parts).reshape(shape) if parts else np.zeros(shape)
    elapsed = time.perf_counter() - t0
    return ScanResult(axes=dict(axes), chi2=chi2, fixed=fixed, derived=derived,
                      meta={"kind": "grid_scan", "term": repr(term), "n_points": n,
                            "chunk_size": chunk_size, "n_chunks": len(parts),
                            "executor": type(executor).__name__ if executor else None,
                            "elapsed_s": elapsed})


# --------------------------------------------------------------------------- result
def _clean(obj):
    """JSON-ready copy: arrays to lists, non-finite floats to None."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            return _clean(obj.tolist())
        return obj.tolist()
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, (np.integer, np.bool_)):
        return obj.item()
    return obj


@dataclass
class ScanResult:
    """chi2 on a grid, with the inputs that produced it.

    ``chi2`` has shape ``tuple(len(a) for a in axes.values())`` ("ij" indexing) and is
    -2 ln L relative to the no-HNL point.  For a profile scan, ``profiled`` holds the
    best-fit value of each free parameter at each grid point and ``valid`` whether Migrad
    converged there.
    """

    axes: dict[str, np.ndarray]
    chi2: np.ndarray
    fixed: dict[str, float] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)
    profiled: dict[str, np.ndarray] = field(default_factory=dict)
    valid: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.chi2.shape

    def mesh(self) -> dict[str, np.ndarray]:
        """Each axis broadcast to the grid shape ("ij" indexing)."""
        grids = np.meshgrid(*self.axes.values(), indexing="ij")
        return dict(zip(self.axes, grids))

    @property
    def minimum(self) -> dict[str, Any]:
        """Smallest chi2 on the grid, its index and the variables there (NaN ignored)."""
        if self.chi2.size == 0 or np.all(np.isnan(self.chi2)):
            return {"chi2": math.nan, "index": None}
        flat = int(np.nanargmin(self.chi2))
        idx = np.unravel_index(flat, self.shape)
        out: dict[str, Any] = {"chi2": float(self.chi2[idx]),
                               "index": tuple(int(i) for i in idx)}
        for (name, a), i in zip(self.axes.items(), idx):
            out[name] = float(a[i])
        for name, a in self.profiled.items():
            out[name] = float(a[idx])
        return out

    def delta_chi2(self, reference: str = "from_minimum") -> np.ndarray:
        """chi2 minus its grid minimum ("from_minimum") or as is ("from_sm": the no-HNL
        point is the reference by construction)."""
        from .limits import delta_chi2

        return delta_chi2(self.chi2, reference)

    def profile_out(self, name: str) -> "ScanResult":
        """Minimise over one axis (e.g. a scanned discrete ``sign``), keeping the rest."""
        if name not in self.axes:
            raise KeyError(f"{name!r} is not an axis of this scan ({', '.join(self.axes)})")
        k = self.names.index(name)
        chi2 = np.moveaxis(self.chi2, k, -1)
        filled = np.where(np.isnan(chi2), np.inf, chi2)
        best = np.argmin(filled, axis=-1)
        take = lambda arr: np.take_along_axis(  # noqa: E731
            np.moveaxis(arr, k, -1), best[..., None], axis=-1)[..., 0]
        profiled = {n: take(a) for n, a in self.profiled.items()}
        profiled[name] = self.axes[name][best]
        return ScanResult(axes={n: a for n, a in self.axes.items() if n != name},
                          chi2=take(self.chi2), fixed=dict(self.fixed),
                          derived=dict(self.derived), profiled=profiled,
                          valid=None if self.valid is None else take(self.valid),
                          meta={**self.meta, "profiled_out": name})

    # limits -------------------------------------------------------------------------
    def limit_1d(self, threshold=None, *, cl: float = 0.95, dof: int = 1,
                 reference: str = "from_minimum", **kwargs):
        """1-d crossings of Delta chi2 (the scan must have one axis); see limits.limit_1d."""
        from .limits import limit_1d

        if len(self.axes) != 1:
            raise ValueError(f"limit_1d needs a 1-d scan, this one has axes {self.names}")
        return limit_1d(next(iter(self.axes.values())), self.chi2, threshold, cl=cl,
                        dof=dof, reference=reference, **kwargs)

    def contour(self, threshold=None, *, cl: float = 0.95, dof: int = 2,
                reference: str = "from_minimum", **kwargs):
        """Contour lines of Delta chi2 for a 2-d scan; see limits.contour_2d."""
        from .limits import contour_2d

        if len(self.axes) != 2:
            raise ValueError(f"contour needs a 2-d scan, this one has axes {self.names}")
        (xn, x), (yn, y) = self.axes.items()
        kwargs.setdefault("x_name", xn)
        kwargs.setdefault("y_name", yn)
        return contour_2d(x, y, self.chi2, threshold, cl=cl, dof=dof, reference=reference,
                          **kwargs)

    # I/O ----------------------------------------------------------------------------
    def to_npz(self, path: str | Path) -> Path:
        """Write atomically: axes as ``axis_<name>``, ``chi2``, ``profiled_<name>``,
        ``valid``, and the rest (names, fixed, derived, meta) as a JSON string ``info``."""
        import json

        arrays = {f"axis_{n}": a for n, a in self.axes.items()}
        arrays.update({f"profiled_{n}": a for n, a in self.profiled.items()})
        if self.valid is not None:
            arrays["valid"] = self.valid
        info = {"axes": self.names, "profiled": list(self.profiled), "fixed": self.fixed,
                "derived": self.derived, "meta": self.meta}
        return io.write_npz(path, chi2=self.chi2, info=np.array(json.dumps(_clean(info))),
                            **arrays)

    @classmethod
    def from_npz(cls, path: str | Path) -> "ScanResult":
        import json

        with np.load(path, allow_pickle=False) as z:
            info = json.loads(str(z["info"]))
            return cls(axes={n: z[f"axis_{n}"] for n in info["axes"]}, chi2=z["chi2"],
                       fixed=info["fixed"], derived=info["derived"],
                       profiled={n: z[f"profiled_{n}"] for n in info["profiled"]},
                       valid=z["valid"] if "valid" in z.files else None, meta=info["meta"])

    def to_dict(self, include_grid: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"axes": self.axes if include_grid else
                             {n: {"min": float(a.min()), "max": float(a.max()), "n": a.size}
                              for n, a in self.axes.items()},
                             "shape": list(self.shape), "fixed": self.fixed,
                             "derived": self.derived, "minimum": self.minimum,
                             "meta": self.meta}
        if include_grid:
            d["chi2"] = self.chi2
            d["profiled"] = self.profiled
            if self.valid is not None:
                d["valid"] = self.valid
        return _clean(d)

    def to_json(self, path: str | Path, include_grid: bool = True) -> Path:
        """Write atomically; non-finite chi2 become null."""
        return io.write_json(path, self.to_dict(include_grid))

    def __repr__(self) -> str:
        m = self.minimum
        return (f"ScanResult(axes={self.names}, shape={self.shape}, "
                f"chi2_min={m['chi2']:.4g}{', profiled=' + str(list(self.profiled)) if self.profiled else ''})")
