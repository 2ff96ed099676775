"""The parameter space: canonical names, units, validation and basis conversions.

A :class:`Point` is a validated dict of numpy arrays broadcast to one common shape. Every
physics function, observable and likelihood term takes a Point (or plain arrays taken from
one), so a single number, a grid, or a cloud of MCMC walkers all flow through the same code.

Dipole bases (2308.16608 eqs. 2.2-2.7)
--------------------------------------
Unbroken phase: ``d_UB_<a>`` (coefficient of L-bar B H-tilde sigma N) and ``d_UW_<a>``
(of L-bar W^a tau^a H-tilde sigma N), both in GeV^-2.  Broken phase (eq. 2.4)::

    d_gamma = v/sqrt2 (d_UB c_w + d_UW s_w / 2)
    d_Z     = v/sqrt2 (d_UW c_w / 2 - d_UB s_w)
    d_W     = v/2 d_UW

With ``a = d_UW / d_UB`` (eq. 2.6) the pair (d_gamma, a) fixes d_Z and d_W::

    d_Z = d_gamma (a c_w - 2 s_w) / (2 c_w + a s_w),   d_W = sqrt2 a d_gamma / (2 c_w + a s_w)

A user may give (d_gamma, a), (d_UB, d_UW), or (d_gamma, d_Z); giving more than one set is
allowed only if they agree.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from . import constants as c
from .errors import ObservableError, ParameterError

FLAVOURS = ("e", "mu", "tau")


@dataclass(frozen=True)
class ParamSpec:
    name: str
    unit: str
    description: str
    lower: float = -math.inf       # allowed range (inclusive unless strict)
    upper: float = math.inf
    strict_lower: bool = False
    default: float | None = None   # None: must be given when an observable reads it
    coupling: bool = False         # zeroed at the no-HNL point

    def range_text(self) -> str:
        lo = "(" if self.strict_lower else "["
        return f"{lo}{self.lower:g}, {self.upper:g}]"


def _specs() -> dict[str, ParamSpec]:
    s: list[ParamSpec] = [
        ParamSpec("m_N", "GeV", "HNL mass", 0.0, math.inf, strict_lower=True),
        ParamSpec("m_N1", "GeV", "lighter HNL mass (two-state models)", 0.0, math.inf, True),
        ParamSpec("m_N2", "GeV", "heavier HNL mass (two-state models)", 0.0, math.inf, True),
        ParamSpec("Lambda", "GeV", "EFT cut-off and matching scale", 0.0, math.inf, True),
        ParamSpec("a", "1", "ratio d_UW/d_UB of unbroken-phase dipoles (2308.16608 eq. 2.6)"),
        ParamSpec("d_NN", "GeV^-1", "sterile-sterile photon dipole (2405.08877)",
                  default=0.0, coupling=True),
    ]
    for f in FLAVOURS:
        s += [
            ParamSpec(f"d_gamma_{f}", "GeV^-1",
                      f"active-sterile photon dipole, nu_{f} (2308.16608 eq. 2.1)",
                      default=0.0, coupling=True),
            ParamSpec(f"d_Z_{f}", "GeV^-1", f"active-sterile Z dipole, nu_{f} (eq. 2.3)",
                      default=0.0, coupling=True),
            ParamSpec(f"d_W_{f}", "GeV^-1", f"active-sterile W dipole, {f} (eq. 2.3)",
                      default=0.0, coupling=True),
            ParamSpec(f"d_UB_{f}", "GeV^-2", f"unbroken-phase B dipole, L_{f} (eq. 2.2)",
                      default=0.0, coupling=True),
            ParamSpec(f"d_UW_{f}", "GeV^-2", f"unbroken-phase W dipole, L_{f} (eq. 2.2)",
                      default=0.0, coupling=True),
            ParamSpec(f"U_{f}", "1", f"active-sterile mixing |U_{f}4|", 0.0, 1.0,
                      default=0.0, coupling=True),
            ParamSpec(f"C_Hnue_{f}", "GeV^-2",
                      f"right-handed current [C-bar_Hnue]_4{f} (2105.11462 eq. 3.10), signed",
                      default=0.0, coupling=True),
            ParamSpec(f"phi_Hnue_{f}", "rad",
                      f"CP phase of U_{f}4 [C-bar_Hnue]_4{f} (EDMs)", -math.pi, math.pi,
                      default=0.0),
        ]
    return {p.name: p for p in s}


PARAMETERS: dict[str, ParamSpec] = _specs()
COUPLINGS = tuple(n for n, p in PARAMETERS.items() if p.coupling)


def suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    return f" Did you mean {', '.join(repr(x) for x in close)}?" if close else ""


def _sw_cw() -> tuple[float, float]:
    sw = math.sqrt(c.SIN2_THETA_W)
    return sw, math.sqrt(1.0 - c.SIN2_THETA_W)


def dipoles_from_unbroken(d_UB, d_UW):
    """(d_gamma, d_Z, d_W) in GeV^-1 from (d_UB, d_UW) in GeV^-2; 2308.16608 eq. 2.4."""
    sw, cw = _sw_cw()
    v = c.VEV
    d_gamma = v / math.sqrt(2) * (d_UB * cw + 0.5 * d_UW * sw)
    d_Z = v / math.sqrt(2) * (0.5 * d_UW * cw - d_UB * sw)
    d_W = 0.5 * v * d_UW
    return d_gamma, d_Z, d_W


def dipoles_from_ratio(d_gamma, a):
    """(d_Z, d_W) in GeV^-1 from d_gamma and a = d_UW/d_UB; 2308.16608 eq. 2.6."""
    sw, cw = _sw_cw()
    den = 2.0 * cw + a * sw
    with np.errstate(divide="ignore", invalid="ignore"):
        return d_gamma * (a * cw - 2.0 * sw) / den, math.sqrt(2) * a * d_gamma / den


def ratio_zero_dZ() -> float:
    """The a for which d_Z = 0: a = 2 tan(theta_w) (2308.16608, Sec. 4)."""
    sw, cw = _sw_cw()
    return 2.0 * sw / cw


class Point(Mapping):
    """Validated, broadcast parameter values. Use :func:`make_point` to build one."""

    __slots__ = ("_v", "shape")

    def __init__(self, values: dict[str, np.ndarray], shape: tuple[int, ...]):
        self._v = values
        self.shape = shape

    # Mapping interface over the parameters that were given or derived
    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self._v[name]
        except KeyError:
            spec = PARAMETERS.get(name)
            if spec is None:
                raise ObservableError(f"unknown parameter {name!r}.{suggest(name, PARAMETERS)}")
            if spec.default is None:
                raise ObservableError(
                    f"parameter {name!r} ({spec.description}, {spec.unit}) is needed here "
                    "but was not given")
            return np.broadcast_to(np.float64(spec.default), self.shape)

    def __iter__(self):
        return iter(self._v)

    def __len__(self) -> int:
        return len(self._v)

    def has(self, name: str) -> bool:
        return name in self._v

    def replace(self, **values) -> "Point":
        new = dict(self._v)
        new.update(values)
        return make_point(**new)

    def no_hnl(self) -> "Point":
        """The same point with every HNL coupling switched off (the SM reference)."""
        vals = {k: (np.zeros(self.shape) if k in COUPLINGS else v) for k, v in self._v.items()}
        return Point(vals, self.shape)

    @property
    def eft_valid(self) -> np.ndarray:
        """True where m_N < Lambda (the nuSMEFT expansion applies), 2105.11462 Sec. 5."""
        return np.asarray(self["m_N"] < self["Lambda"])

    def __repr__(self) -> str:
        return f"Point(shape={self.shape}, {', '.join(sorted(self._v))})"


def _as_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"parameter {name!r} must be a real number or array, got {value!r}")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"parameter {name!r} has non-finite values (NaN or inf)")
    return arr


def _check_range(spec: ParamSpec, arr: np.ndarray) -> None:
    bad = (arr <= spec.lower) if spec.strict_lower else (arr < spec.lower)
    bad = bad | (arr > spec.upper)
    if np.any(bad):
        worst = arr[bad].flat[0]
        raise ParameterError(
            f"parameter {spec.name!r} ({spec.description}) = {worst:g} {spec.unit} is outside "
            f"the allowed range {spec.range_text()}")


def _resolve_dipoles(v: dict[str, np.ndarray], rtol: float = 1e-6) -> None:
    """Fill d_gamma/d_Z/d_W from whichever basis was given, checking consistency."""
    for f in FLAVOURS:
        g, z, w, ub, uw = (f"d_gamma_{f}", f"d_Z_{f}", f"d_W_{f}", f"d_UB_{f}", f"d_UW_{f}")
        derived: dict[str, np.ndarray] = {}
        if ub in v or uw in v:
            dg, dz, dw = dipoles_from_unbroken(v.get(ub, 0.0), v.get(uw, 0.0))
            derived = {g: dg, z: dz, w: dw}
        elif "a" in v and g in v:
            dz, dw = dipoles_from_ratio(v[g], v["a"])
            derived = {z: dz, w: dw}
        for key, val in derived.items():
            if key in v and not np.allclose(v[key], val, rtol=rtol, atol=1e-300):
                raise ParameterError(
                    f"parameter {key!r} is inconsistent with the other dipoles given for "
                    f"flavour {f!r} (2308.16608 eqs. 2.4-2.6 give {np.ravel(val)[0]:g}); "
                    "give one basis only")
            v[key] = np.asarray(val, dtype=np.float64)


def make_point(**params) -> Point:
    """Validate and broadcast parameters into a :class:`Point`.

    Raises :class:`ParameterError` naming the parameter for unknown names (with the closest
    valid names), non-finite values, values outside the allowed range, shapes that do not
    broadcast, and inconsistent over-specification of the dipole bases.
    """
    vals: dict[str, np.ndarray] = {}
    for name, value in params.items():
        spec = PARAMETERS.get(name)
        if spec is None:
            raise ParameterError(f"unknown parameter {name!r}.{suggest(name, PARAMETERS)} "
                                 "Run `hnlfit parameters` for the list.")
        arr = _as_array(name, value)
        _check_range(spec, arr)
        vals[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in vals.values())) if vals else ()
    except ValueError:
        shapes = ", ".join(f"{k}{a.shape}" for k, a in vals.items())
        raise ParameterError(f"parameter arrays do not broadcast together: {shapes}")
    _resolve_dipoles(vals)
    vals = {k: np.broadcast_to(a, shape) for k, a in vals.items()}
    return Point(vals, shape)


def as_point(point: Point | Mapping | None = None, **params) -> Point:
    """Accept a Point, a mapping of parameters, or keyword parameters."""
    if isinstance(point, Point) and not params:
        return point
    merged = dict(point or {})
    merged.update(params)
    return make_point(**merged)
