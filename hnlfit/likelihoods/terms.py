"""Likelihood terms: -2 ln L of a point, relative to the no-HNL point.

Every term maps a :class:`~hnlfit.params.Point` to an array ``chi2`` of the point's shape,
defined as ``-2 ln L(point) + 2 ln L(no-HNL point)`` so that it is exactly 0 where all HNL
couplings vanish.  Terms compose with ``+`` like iminuit cost functions; the sum shares
parameters by name (they all read the same Point) and keeps its pieces, so
:meth:`Term.breakdown` reports value, prediction and pull of each measurement.

Kinds
-----
* :class:`Gaussian`            -- measurement ``value +- sigma``
* :class:`AsymmetricGaussian`  -- ``value +sigma_up -sigma_down`` (piecewise width)
* :class:`UpperLimit`          -- one-sided limit ``|prediction| < limit`` at a CL, modelled
  as a half-Gaussian centred on zero with sigma = limit / z, z the one-sided quantile of the
  CL; chi2 equals z^2 (2.71 at 95% CL, 1.64 at 90% CL) exactly at the limit
* :class:`PoissonCount`        -- n observed events over background b, signal s(point)
* :class:`PyhfCount`           -- a pyhf counting model; -2 ln lambda(s) tabulated once in
  the signal yield with pyhf fits, interpolated per point (vectorized)
* :class:`FunctionTerm`        -- any vectorized function of the point (e.g. the CKM fit)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
from scipy import stats

from ..observables import registry
from ..observables.context import blocks, evaluation
from ..params import COUPLINGS, Point, as_point


def one_sided_z(cl: float) -> float:
    """One-sided Gaussian quantile: 1.645 at 95% CL, 1.2816 at 90% CL."""
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level cl={cl} must be in (0, 1)")
    return float(stats.norm.ppf(cl))


class Term:
    """Base class. Subclasses implement :meth:`chi2` and :meth:`breakdown`."""

    name: str

    def chi2(self, point: Point) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, point: Point | dict | None = None, **params) -> np.ndarray:
        return self.chi2(as_point(point, **params))

    def breakdown(self, point: Point) -> list[dict[str, Any]]:
        return [{"term": self.name, "chi2": self.chi2(point)}]

    @property
    def terms(self) -> list["Term"]:
        return [self]

    @property
    def parameters(self) -> set[str]:
        return set()

    def __add__(self, other: "Term") -> "Combined":
        if not isinstance(other, Term):
            return NotImplemented
        return Combined(self.terms + other.terms)

    def __radd__(self, other):
        if other == 0:  # sum([...]) starts from 0
            return self
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class Combined(Term):
    """The sum of several terms; ``breakdown`` lists each piece."""

    def __init__(self, terms: Iterable[Term], name: str = "combined"):
        self._terms = list(terms)
        names = [t.name for t in self._terms]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"likelihood terms combined twice: {sorted(dup)}")
        self.name = name

    @property
    def terms(self) -> list[Term]:
        return list(self._terms)

    @property
    def parameters(self) -> set[str]:
        return set().union(*(t.parameters for t in self._terms)) if self._terms else set()

    def chi2(self, point: Point) -> np.ndarray:
        """Sum of the terms, evaluated block by block; each block is one
        :class:`~hnlfit.observables.context.Evaluation`, so the terms share its
        subexpressions (loop functions, brackets, predictions) instead of recomputing them."""
        total = np.zeros(point.shape)
        for index, ev in blocks(point):
            part = total[index]
            for t in self._terms:
                part += t.chi2(ev)
        return total

    def breakdown(self, point: Point) -> list[dict[str, Any]]:
        ev = evaluation(point)
        rows: list[dict[str, Any]] = []
        for t in self._terms:
            rows.extend(t.breakdown(ev))
        return rows

    def __getitem__(self, name: str) -> Term:
        for t in self._terms:
            if t.name == name:
                return t
        raise KeyError(f"no term {name!r} in this likelihood (terms: "
                       f"{', '.join(t.name for t in self._terms)})")

    def __repr__(self) -> str:
        return f"Combined({', '.join(t.name for t in self._terms)})"


@dataclass(repr=False, kw_only=True)
class ObservableTerm(Term):
    """A term comparing one registered observable (times ``scale``) with data."""

    name: str
    observable: str
    obs_args: dict[str, Any] = field(default_factory=dict)
    scale: float = 1.0
    reference: str = ""

    def _raw_prediction(self, point: Point) -> np.ndarray:
        """The observable at the point (unscaled), once per Evaluation and argument set:
        terms of the same observable (a measurement and its projection) share it."""
        obs = registry.get(self.observable)
        ev = evaluation(point)
        key = self.__dict__.get("_memo_key")
        if key is None:
            key = ("prediction", self.observable, tuple(sorted(self.obs_args.items())))
            try:
                hash(key)
            except TypeError:                              # unhashable arguments: no memo
                key = False
            self.__dict__["_memo_key"] = key
        if key is False:
            return obs(ev, **self.obs_args)
        return ev.shared(key, lambda: obs(ev, **self.obs_args))

    def prediction(self, point: Point) -> np.ndarray:
        return self.scale * self._raw_prediction(point)

    def sm_prediction(self, point: Point) -> np.ndarray:
        return self.scale * registry.get(self.observable).sm_value(point, **self.obs_args)

    def sm_constant(self) -> float | None:
        """The no-HNL prediction (scaled) when the observable declares it a constant."""
        sm = registry.get(self.observable).sm
        return None if sm is None else self.scale * sm

    @property
    def parameters(self) -> set[str]:
        return set(registry.get(self.observable).params)

    def _chi2_abs(self, pred: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _couplings(self) -> tuple[str, ...]:
        try:
            return self.__dict__["_coupling_names"]
        except KeyError:
            names = tuple(n for n in registry.get(self.observable).params if n in COUPLINGS)
            self.__dict__["_coupling_names"] = names
            return names

    def is_sm_at(self, point: Point) -> bool:
        """True if every coupling the observable reads is 0 at every point: then the
        prediction is its no-HNL value (the no-HNL point differs from this one only in
        couplings) and the term's chi2 is exactly 0."""
        names = self._couplings()
        if not names:
            return False
        bounds = point.bounds                   # (min, max) per parameter, kept on the point
        for n in names:
            if bounds(n) != (0.0, 0.0):
                return False
        return True

    def _sm_chi2(self, point: Point):
        """chi2_abs of the no-HNL prediction: a number when the observable's SM value is a
        constant (computed once), else evaluated at ``point.no_hnl()``."""
        sm = registry.get(self.observable).sm
        if sm is None:
            return self._chi2_abs(self.sm_prediction(point))
        try:
            return self.__dict__["_sm_chi2_value"]
        except KeyError:
            value = self.__dict__["_sm_chi2_value"] = self._chi2_abs(
                self.scale * np.float64(sm))
            return value

    def chi2(self, point: Point) -> np.ndarray:
        ev = evaluation(point)
        if self.is_sm_at(ev):
            return np.zeros(ev.shape)
        return self._chi2_of(ev)

    def _chi2_of(self, ev: Point) -> np.ndarray:
        return self._chi2_abs(self.prediction(ev)) - self._sm_chi2(ev)

    def pull(self, pred: np.ndarray) -> np.ndarray:
        return np.sign(pred - self._centre()) * np.sqrt(np.maximum(self._chi2_abs(pred), 0.0))

    def _centre(self) -> float:
        return 0.0

    def pull_at(self, point: Point) -> np.ndarray:
        """Signed pull of the measurement at the point (absolute, not relative to no-HNL)."""
        return self.pull(self.prediction(point))

    def exclusion_z(self, cl: float = 0.95) -> float:
        """|pull| beyond which the point is excluded at ``cl`` (two-sided for measurements;
        limits override this with their own one-sided CL)."""
        return float(stats.norm.ppf(0.5 + 0.5 * cl))

    def excludes(self, point: Point, cl: float = 0.95) -> np.ndarray:
        return np.abs(self.pull_at(point)) > self.exclusion_z(cl)

    def describe(self) -> str:
        return ""

    def breakdown(self, point: Point) -> list[dict[str, Any]]:
        ev = evaluation(point)
        return [{"term": self.name, "observable": self.observable, "data": self.describe(),
                 "prediction": self.prediction(ev), "pull": self.pull_at(ev),
                 "chi2": self.chi2(ev),
                 "reference": self.reference}]


@dataclass(repr=False, kw_only=True)
class Gaussian(ObservableTerm):
    value: float = 0.0
    sigma: float = 1.0

    def __post_init__(self):
        if not self.sigma > 0:
            raise ValueError(f"term {self.name!r}: sigma must be > 0, got {self.sigma}")

    def _centre(self) -> float:
        return self.value

    def _chi2_abs(self, pred):
        return ((pred - self.value) / self.sigma) ** 2

    def describe(self) -> str:
        return f"{self.value:.4g} +- {self.sigma:.3g}"


@dataclass(repr=False, kw_only=True)
class AsymmetricGaussian(ObservableTerm):
    """Piecewise Gaussian: width ``sigma_up`` above the central value, ``sigma_down`` below."""

    value: float = 0.0
    sigma_up: float = 1.0
    sigma_down: float = 1.0

    def __post_init__(self):
        if not (self.sigma_up > 0 and self.sigma_down > 0):
            raise ValueError(f"term {self.name!r}: sigma_up and sigma_down must be > 0")

    def _centre(self) -> float:
        return self.value

    def _chi2_abs(self, pred):
        sigma = np.where(pred >= self.value, self.sigma_up, self.sigma_down)
        return ((pred - self.value) / sigma) ** 2

    def describe(self) -> str:
        return f"{self.value:.4g} +{self.sigma_up:.3g} -{self.sigma_down:.3g}"


@dataclass(repr=False, kw_only=True)
class UpperLimit(ObservableTerm):
    """``|prediction| < limit`` at confidence level ``cl`` (one-sided, half-Gaussian)."""

    limit: float = 1.0
    cl: float = 0.95

    def __post_init__(self):
        if not self.limit > 0:
            raise ValueError(f"term {self.name!r}: limit must be > 0, got {self.limit}")
        self.z = one_sided_z(self.cl)

    @property
    def chi2_at_limit(self) -> float:
        return self.z ** 2

    def _chi2_abs(self, pred):
        return (self.z * pred / self.limit) ** 2

    def pull(self, pred):
        return self.z * np.abs(pred) / self.limit

    def exclusion_z(self, cl: float = 0.95) -> float:
        return self.z  # excluded where |prediction| > limit, at the limit's own CL

    def describe(self) -> str:
        return f"< {self.limit:.3g} ({100 * self.cl:g}% CL)"


@dataclass(repr=False, kw_only=True)
class PoissonCount(ObservableTerm):
    """Counting experiment: n_obs events, expected background b, signal from the observable.

    chi2 = -2 [ln P(n | s + b) - ln P(n | b)]. With n = 0 and b = 0 this is 2 s, so the
    95% CL exclusion (p = e^-s = 0.05, s = 3.0 events) sits at chi2 = 5.99.
    """

    n_obs: int = 0
    background: float = 0.0

    def __post_init__(self):
        if self.n_obs < 0 or self.background < 0:
            raise ValueError(f"term {self.name!r}: n_obs and background must be >= 0")
        if self.n_obs > 0 and self.background <= 0:
            raise ValueError(f"term {self.name!r}: n_obs > 0 needs a background > 0")

    def _chi2_abs(self, s):
        mu = np.maximum(s, 0.0) + self.background
        if self.n_obs == 0:
            return 2.0 * mu
        return 2.0 * (mu - self.n_obs * np.log(mu))

    def describe(self) -> str:
        return f"n={self.n_obs}, b={self.background:g}"


class PyhfCount(ObservableTerm):
    """A pyhf counting model; the signal yield comes from an observable times ``scale``.

    The profile-likelihood ratio q(s) = -2 ln [L(s, theta_hat_hat) / L(0, theta_hat_hat_0)]
    is computed once with pyhf fits on a grid of signal yields (the model's POI multiplies a
    one-event signal template) and interpolated per point, so the term stays vectorized.
    Beyond the grid q(s) is extrapolated linearly in s, the Poisson large-s behaviour.
    """

    def __init__(self, name: str, observable: str, spec: dict, *, obs_args=None,
                 scale: float = 1.0, reference: str = "", s_max: float | None = None,
                 n_grid: int = 200):
        super().__init__(name=name, observable=observable, obs_args=dict(obs_args or {}),
                         scale=scale, reference=reference)
        import pyhf

        self.spec = spec
        model = pyhf.Model({"channels": spec["channels"]}, poi_name="mu")
        data = self.spec["observations"][0]["data"] + model.config.auxdata
        bkg = sum(s["data"][0] for s in spec["channels"][0]["samples"]
                  if not any(m["type"] == "normfactor" for m in s["modifiers"]))
        n_obs = spec["observations"][0]["data"][0]
        self.s_max = s_max or 5.0 * (np.sqrt(bkg + n_obs) + 3.0)
        grid = np.linspace(0.0, self.s_max, n_grid)
        bounds = model.config.suggested_bounds()
        bounds[model.config.poi_index] = (0.0, 1.01 * self.s_max)
        # one pyhf fit per grid value of the signal yield, once, at construction
        nll = np.array([float(pyhf.infer.mle.fixed_poi_fit(
            mu, data, model, par_bounds=bounds, return_fitted_val=True)[1]) for mu in grid])
        self._grid = grid
        self._q = nll - nll[0]
        self._slope = (self._q[-1] - self._q[-2]) / (grid[-1] - grid[-2])
        self.n_obs, self.background = n_obs, bkg

    def _chi2_abs(self, s):
        s = np.maximum(s, 0.0)
        inside = np.interp(s, self._grid, self._q)
        beyond = self._q[-1] + self._slope * (s - self._grid[-1])
        return np.where(s <= self._grid[-1], inside, beyond)

    def describe(self) -> str:
        return f"pyhf: n={self.n_obs:g}, b={self.background:.4g}"


def counting_spec(n_obs: float, background: float, background_uncertainty: float) -> dict:
    """A one-bin pyhf spec: a one-event signal scaled by the POI ``mu`` and a background
    whose absolute uncertainty enters as a ``shapesys`` modifier (Poisson-constrained
    auxiliary measurement with tau = (b / sigma_b)^2)."""
    return {
        "channels": [{
            "name": "count",
            "samples": [
                {"name": "signal", "data": [1.0],
                 "modifiers": [{"name": "mu", "type": "normfactor", "data": None}]},
                {"name": "background", "data": [float(background)],
                 "modifiers": [{"name": "bkg_unc", "type": "shapesys",
                                "data": [float(background_uncertainty)]}]},
            ],
        }],
        "observations": [{"name": "count", "data": [float(n_obs)]}],
    }


class PiecewiseLinear:
    """np.interp(u, xp, fp) for a small fixed table, without a binary search per point.

    np.interp searches the table for every point (~15 ns per point on unsorted input).  Here
    a uniform grid of cells finer than the closest nodes gives the interval directly: each
    cell holds the interval of its left edge, and one comparison with the next node
    corrects it.  The value is np.interp's own formula, slope_j (u - xp_j) + fp_j, so the
    numbers are the same; outside [xp_0, xp_-1] it holds the edge values like np.interp.
    """

    def __init__(self, xp, fp):
        xp, fp = np.asarray(xp, dtype=np.float64), np.asarray(fp, dtype=np.float64)
        if xp.ndim != 1 or xp.size < 2 or not np.all(np.diff(xp) > 0):
            raise ValueError("PiecewiseLinear needs at least two increasing nodes")
        self.xp, self.fp = xp, fp
        self.slope = (fp[1:] - fp[:-1]) / (xp[1:] - xp[:-1])
        n_cells = int(min(1 << 16, 4 * np.ceil((xp[-1] - xp[0]) / np.diff(xp).min())))
        self.u0, self.inv_h = float(xp[0]), n_cells / float(xp[-1] - xp[0])
        self.last_cell = n_cells - 1
        edges = xp[0] + np.arange(n_cells) / self.inv_h
        self.first = np.clip(np.searchsorted(xp, edges, side="right") - 1, 0, xp.size - 2)
        self.next_node = np.append(xp[1:], np.inf)         # xp[j + 1], inf past the end

    def __call__(self, u) -> np.ndarray:
        # left of the table: slope * 0 + fp_0; at least 1-d so the in-place steps work for
        # a scalar too (the result keeps the input's shape)
        shape = np.shape(u)
        u = np.maximum(np.atleast_1d(np.asarray(u, dtype=np.float64)), self.u0)
        cell = u - self.u0
        cell *= self.inv_h
        np.minimum(cell, self.last_cell, out=cell)
        j = self.first.take(cell.astype(np.intp))
        j += u >= self.next_node.take(j)
        np.minimum(j, self.xp.size - 2, out=j)
        out = u - self.xp.take(j)
        out *= self.slope.take(j)
        out += self.fp.take(j)
        return np.where(u >= self.xp[-1], self.fp[-1], out).reshape(shape)


class FunctionTerm(Term):
    """A term given by a vectorized function ``chi2(point)`` already relative to no-HNL."""

    def __init__(self, name: str, func: Callable[[Point], np.ndarray],
                 parameters: Iterable[str] = (), reference: str = "",
                 describe: str = "", prediction: Callable[[Point], np.ndarray] | None = None):
        self.name = name
        self._func = func
        self._params = set(parameters)
        self.reference = reference
        self._describe = describe
        self._prediction = prediction

    @property
    def parameters(self) -> set[str]:
        return set(self._params)

    def chi2(self, point: Point) -> np.ndarray:
        return np.asarray(self._func(point), dtype=np.float64)

    def breakdown(self, point: Point) -> list[dict[str, Any]]:
        chi2 = self.chi2(point)
        pred = self._prediction(point) if self._prediction else None
        return [{"term": self.name, "observable": None, "data": self._describe,
                 "prediction": pred, "pull": np.sqrt(np.maximum(chi2, 0.0)), "chi2": chi2,
                 "reference": self.reference}]
