"""Declared priors for posterior sampling.

Each prior maps a *sampling coordinate* ``u`` -- what the emcee walkers move in -- to the
physical value of its variable, and gives ``log p(u)`` (``-inf`` outside the support):

==================  =====================  =================  =========================
prior (run card)    sampling coordinate u  physical value     density in u
==================  =====================  =================  =========================
``uniform``         x in [min, max]        x                  flat
``log_uniform``     log10 x in [log10 min, 10**u              flat (p(x) ~ 1/x)
                    log10 max]
``sign``            u in [-1, 1]           +1 if u >= 0       flat
                                           else -1
``choice``          u in [0, k)            values[floor(u)]   flat
==================  =====================  =================  =========================

Why log-uniform is sampled in log10: couplings and masses span many decades; the walkers'
affine-invariant stretch moves work on the scale of the walker cloud, which in log space
stays well conditioned from 1e-8 to 1e-2.

Why a discrete sign (or choice) is a continuous variable: emcee's ensemble moves need a
continuous space.  A uniform ``u`` on [-1, 1] whose sign is used gives each sign prior
mass 1/2; the likelihood depends on ``u`` only through its sign, so the posterior density
in ``u`` is flat on each half with heights proportional to the likelihood of each sign,
and the fraction of samples with ``u >= 0`` is the posterior probability of ``+``.  Walkers
cross between the halves through ordinary stretch moves when both signs are
populated; in addition the sampler mixes in a Metropolis move that flips the sign (or
shifts the choice) of single walkers (:class:`hnlfit.fitter.posterior.DiscreteJump`), so
a walker left on a disfavoured sign is not stranded.  The continuous ``u`` is a device of
the sampler only: figures and summaries split the samples by the discrete value
(:mod:`hnlfit.fitter.posterior_regions`), never draw ``u`` as an axis.  A typical use: ``Lambda`` log-uniform, ``sign`` sign-prior, and a derived
``C_Hnue_mu: "sign/Lambda**2"``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import DataError

__all__ = ["Prior", "Uniform", "LogUniform", "Sign", "Choice", "prior_from_spec",
           "parse_priors"]


class Prior:
    """Base class: ``bounds`` of the sampling coordinate, transforms and log-density."""

    kind: str = ""
    label: str | None = None

    @property
    def bounds(self) -> tuple[float, float]:
        raise NotImplementedError

    def to_value(self, u):
        """Physical value(s) from sampling coordinate(s)."""
        raise NotImplementedError

    def to_coord(self, x):
        """Sampling coordinate of a physical value (used to start walkers near it)."""
        raise NotImplementedError

    def log_prob(self, u) -> np.ndarray:
        """Normalised log-density of the sampling coordinate; -inf outside the support."""
        a, b = self.bounds
        u = np.asarray(u, dtype=np.float64)
        inside = (u >= a) & (u <= b)
        return np.where(inside, -math.log(b - a), -np.inf)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        a, b = self.bounds
        return rng.uniform(a, b, n)

    def coord_label(self, name: str, unit: str = "") -> str:
        """Axis label of the sampling coordinate, e.g. ``log10(Lambda / GeV)``."""
        raise NotImplementedError

    def value_range(self) -> tuple[float, float]:
        """Range of physical values (for checks against the parameter's allowed range)."""
        raise NotImplementedError

    def spec(self) -> dict[str, Any]:
        raise NotImplementedError


def _unit_text(unit: str) -> str:
    return "" if unit in ("", "1") else unit


@dataclass(frozen=True)
class Uniform(Prior):
    lo: float
    hi: float
    label: str | None = None
    kind = "uniform"

    def __post_init__(self):
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise DataError(f"uniform prior needs finite min < max, got [{self.lo}, {self.hi}]")

    @property
    def bounds(self):
        return (self.lo, self.hi)

    def to_value(self, u):
        return np.asarray(u, dtype=np.float64)

    def to_coord(self, x):
        return np.asarray(x, dtype=np.float64)

    def coord_label(self, name, unit=""):
        u = _unit_text(unit)
        return self.label or (f"{name} [{u}]" if u else name)

    def value_range(self):
        return (self.lo, self.hi)

    def spec(self):
        return {"prior": "uniform", "min": self.lo, "max": self.hi, "label": self.label}


@dataclass(frozen=True)
class LogUniform(Prior):
    lo: float
    hi: float
    label: str | None = None
    kind = "log_uniform"

    def __post_init__(self):
        if not (0 < self.lo < self.hi < math.inf):
            raise DataError(f"log_uniform prior needs 0 < min < max, got [{self.lo}, {self.hi}]")

    @property
    def bounds(self):
        return (math.log10(self.lo), math.log10(self.hi))

    def to_value(self, u):
        return 10.0 ** np.asarray(u, dtype=np.float64)

    def to_coord(self, x):
        return np.log10(np.asarray(x, dtype=np.float64))

    def coord_label(self, name, unit=""):
        if self.label:
            return f"log10({self.label})"
        u = _unit_text(unit)
        return f"log10({name} / {u})" if u else f"log10({name})"

    def value_range(self):
        return (self.lo, self.hi)

    def spec(self):
        return {"prior": "log_uniform", "min": self.lo, "max": self.hi, "label": self.label}


@dataclass(frozen=True)
class Sign(Prior):
    """A discrete +-1, sampled as u uniform on [-1, 1]; the value is +1 for u >= 0."""

    label: str | None = None
    kind = "sign"

    @property
    def bounds(self):
        return (-1.0, 1.0)

    def to_value(self, u):
        return np.where(np.asarray(u, dtype=np.float64) >= 0.0, 1.0, -1.0)

    def to_coord(self, x):
        return 0.5 * np.sign(np.asarray(x, dtype=np.float64))

    def coord_label(self, name, unit=""):
        return f"{self.label or name} (u; sign(u))"

    def value_range(self):
        return (-1.0, 1.0)

    def spec(self):
        return {"prior": "sign", "label": self.label}


@dataclass(frozen=True)
class Choice(Prior):
    """One of ``values`` with equal prior mass, sampled as u uniform on [0, k)."""

    values: tuple
    label: str | None = None
    kind = "choice"

    def __post_init__(self):
        vals = tuple(float(v) for v in self.values)
        if len(vals) < 2 or not all(math.isfinite(v) for v in vals):
            raise DataError(f"choice prior needs at least two finite values, got {self.values}")
        object.__setattr__(self, "values", vals)

    @property
    def bounds(self):
        return (0.0, float(len(self.values)))

    def to_value(self, u):
        k = np.clip(np.floor(np.asarray(u, dtype=np.float64)), 0, len(self.values) - 1)
        return np.asarray(self.values)[k.astype(int)]

    def to_coord(self, x):
        x = np.asarray(x, dtype=np.float64)
        idx = np.argmin(np.abs(np.subtract.outer(x, np.asarray(self.values))), axis=-1)
        return idx + 0.5

    def coord_label(self, name, unit=""):
        return f"{self.label or name} (u; index floor(u))"

    def value_range(self):
        return (min(self.values), max(self.values))

    def spec(self):
        return {"prior": "choice", "values": list(self.values), "label": self.label}


def prior_from_spec(name: str, spec: Mapping[str, Any] | Prior) -> Prior:
    """A prior from a run-card entry ``{prior: uniform|log_uniform|sign|choice, min, max,
    values, label}`` (or a Prior, returned as is)."""
    if isinstance(spec, Prior):
        return spec
    if not isinstance(spec, Mapping) or "prior" not in spec:
        raise DataError(f"prior of {name!r} must be a mapping with a 'prior' key, got {spec!r}")
    kind = spec["prior"]
    label = spec.get("label")
    allowed = {"uniform": {"min", "max"}, "log_uniform": {"min", "max"}, "sign": set(),
               "choice": {"values"}}
    if kind not in allowed:
        raise DataError(f"prior of {name!r}: unknown kind {kind!r} (use "
                        f"{', '.join(allowed)})")
    extra = set(spec) - allowed[kind] - {"prior", "label"}
    missing = allowed[kind] - set(spec)
    if extra or missing:
        raise DataError(f"prior of {name!r} ({kind}): "
                        + (f"missing {sorted(missing)}" if missing else "")
                        + ("; " if extra and missing else "")
                        + (f"unexpected {sorted(extra)}" if extra else ""))
    try:
        if kind == "uniform":
            return Uniform(float(spec["min"]), float(spec["max"]), label)
        if kind == "log_uniform":
            return LogUniform(float(spec["min"]), float(spec["max"]), label)
        if kind == "sign":
            return Sign(label)
        return Choice(tuple(spec["values"]), label)
    except DataError as exc:
        raise DataError(f"prior of {name!r}: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise DataError(f"prior of {name!r}: {exc}") from None


def parse_priors(priors: Mapping[str, Any]) -> dict[str, Prior]:
    """``{name: Prior or spec}`` -> ``{name: Prior}`` (order kept)."""
    if not priors:
        raise DataError("a posterior needs at least one sampled parameter with a prior")
    return {name: prior_from_spec(name, spec) for name, spec in priors.items()}


def names_and_units(priors: Mapping[str, Prior]) -> tuple[list[str], list[str]]:
    """Variable names and their units (from PARAMETERS; auxiliary variables: '1')."""
    from ..params import PARAMETERS

    names = list(priors)
    units = [PARAMETERS[n].unit if n in PARAMETERS else "1" for n in names]
    return names, units


def stack_bounds(priors: Sequence[Prior]) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([p.bounds[0] for p in priors])
    hi = np.array([p.bounds[1] for p in priors])
    return lo, hi
