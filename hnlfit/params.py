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
from .errors import ObservableError, ParameterError, UnknownNameError

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


def _uv_specs() -> dict[str, ParamSpec]:
    """Parameters of the UV models in hnlfit/models (issue 12): masses and real couplings.

    Couplings are bounded by perturbativity, |coupling| <= sqrt(4 pi), as declared ranges.
    """
    pert = math.sqrt(4.0 * math.pi)
    mass = [("m_E", "vector-like lepton E ~ (1,1)_-1 mass (2405.08877)"),
            ("m_phi", "singly charged scalar phi ~ (1,1)_-1 mass (2405.08877)"),
            ("m_LQ", "scalar leptoquark S_1 ~ (3bar,1,1/3) mass (seed 001)")]
    coup = [(f"Y_E_{f}", f"Yukawa L-bar_{f} H E_R (2405.08877)") for f in FLAVOURS]
    coup += [(f"f_{ab}", f"antisymmetric L-bar f L-tilde phi coupling f_{ab} (2405.08877)")
             for ab in ("emu", "etau", "mutau")]
    coup += [(f"h_{i}", f"N-bar_{i} h E_L phi* coupling (2405.08877)") for i in (1, 2)]
    coup += [(f"hp_{i}", f"N-bar^c_{i} h' E_R phi* coupling (2405.08877)") for i in (1, 2)]
    coup += [("y_1", "S_1 coupling b-bar_R^c N_R S_1 (seed 001)"),
             ("y_2", "S_1 coupling Q-bar_L^3 L^c S_1^dagger (seed 001)"),
             ("yp_1", "S_1 coupling t-bar_R^c e_R S_1 (seed 001, muon g-2)")]
    s = [ParamSpec(n, "GeV", d, 0.0, math.inf, strict_lower=True) for n, d in mass]
    s += [ParamSpec(n, "1", d, -pert, pert, default=0.0, coupling=True) for n, d in coup]
    return {p.name: p for p in s}


PARAMETERS: dict[str, ParamSpec] = {**_specs(), **_uv_specs()}
COUPLINGS = tuple(n for n, p in PARAMETERS.items() if p.coupling)


def suggest(name: str, choices: Iterable[str]) -> str:
    """' Did you mean ...?' with the closest names; a match up to case ('m_n' -> 'm_N') alone."""
    choices = list(choices)
    close = [c for c in choices if c.lower() == name.lower()] or \
        difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
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
    """Validated, broadcast parameter values. Use :func:`make_point` to build one.

    A Point also keeps, per parameter, its (min, max) over the point's values, computed once
    (when the point is made, or on the first request for derived and default values), so that
    the validity domains of the observables cost a few scalar comparisons per call.
    """

    __slots__ = ("_v", "shape", "_bounds")

    def __init__(self, values: dict[str, np.ndarray], shape: tuple[int, ...],
                 bounds: dict[str, tuple[float, float]] | None = None):
        self._v = values
        self.shape = shape
        self._bounds = {} if bounds is None else bounds

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

    def bounds(self, name: str) -> tuple[float, float]:
        """(min, max) of parameter ``name`` over the point (its default if not given);
        (inf, -inf) for an empty point. Computed once per point and parameter."""
        b = self._bounds.get(name)
        if b is None:
            if name in self._v:
                b = _min_max(np.asarray(self._v[name]))
            else:
                self[name]                      # raises if required and not given
                b = (float(PARAMETERS[name].default),) * 2
            self._bounds[name] = b
        return b

    def replace(self, **values) -> "Point":
        new = dict(self._v)
        new.update(values)
        return make_point(**new)

    def no_hnl(self) -> "Point":
        """The same point with every HNL coupling switched off (the SM reference)."""
        vals = {k: (np.zeros(self.shape) if k in COUPLINGS else v) for k, v in self._v.items()}
        bounds = {k: ((0.0, 0.0) if k in COUPLINGS else b) for k, b in self._bounds.items()}
        return Point(vals, self.shape, bounds)

    @property
    def eft_valid(self) -> np.ndarray:
        """True where m_N < Lambda (the nuSMEFT expansion applies), 2105.11462 Sec. 5."""
        return np.asarray(self["m_N"] < self["Lambda"])

    def __repr__(self) -> str:
        return f"Point(shape={self.shape}, {', '.join(sorted(self._v))})"


# ---- the one validation layer: names, types, finiteness, ranges ---------------------------
def unknown_name_error(name: str, *, args: Iterable[str] = (), observable: str | None = None,
                       reads: Iterable[str] = ()) -> UnknownNameError:
    """The error for a keyword that is neither a parameter nor (for ``observable``) one of its
    arguments, with the closest names among both."""
    args = list(args)
    own = [*reads, *args]                     # the observable's own names come first
    hint = suggest(name, own) or suggest(name, [*PARAMETERS, *args])
    if observable is None:
        return UnknownNameError(f"unknown parameter {name!r}.{hint} "
                                "Run `hnlfit parameters` for the list.")
    return UnknownNameError(
        f"unknown parameter or argument {name!r} of observable {observable!r}.{hint} "
        f"It reads the parameters {', '.join(reads) or 'none'}"
        + (f" and takes the arguments {', '.join(args)}." if args else " and takes no arguments."))


def _type_error(name: str, value, what: str = "parameter") -> ParameterError:
    kind = "None" if value is None else type(value).__name__
    return ParameterError(f"{what} {name!r} must be a real number or an array of real numbers, "
                          f"got {kind} {value!r:.60}")


def _min_max(arr: np.ndarray) -> tuple[float, float]:
    """(min, max) in one reduction each; NaN propagates, so one isfinite test covers all."""
    if arr.ndim == 0:
        v = float(arr)
        return v, v
    if arr.size == 0:
        return math.inf, -math.inf
    return float(np.minimum.reduce(arr, axis=None)), float(np.maximum.reduce(arr, axis=None))


def _from_objects(name: str, value, arr: np.ndarray, what: str) -> np.ndarray:
    """An object array (a list mixing types, or Python ints beyond float range)."""
    out = np.empty(arr.shape, dtype=np.float64)
    flat = out.reshape(-1)
    for i, x in enumerate(arr.reshape(-1)):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, _REAL):
            raise _type_error(name, value, what)
        try:
            flat[i] = float(x)
        except OverflowError:
            raise ParameterError(f"{what} {name!r}: the integer {x} is too large for a float")
    return out


_REAL = (int, float, np.integer, np.floating)


def as_real_array(name: str, value, what: str = "parameter"
                  ) -> tuple[np.ndarray, float, float]:
    """``value`` as a float64 array with its (min, max); a ParameterError naming ``name`` for
    strings, None, booleans, complex numbers, integers too large for a float, NaN and inf."""
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (bool, np.bool_)):
        raise _type_error(name, value, what)
    elif isinstance(value, _REAL):
        try:
            v = float(value)
        except OverflowError:
            raise ParameterError(f"{what} {name!r}: the integer {value} is too large for a "
                                 "float") from None
        if not math.isfinite(v):
            raise ParameterError(f"{what} {name!r} has non-finite values (NaN or inf)")
        return np.asarray(v), v, v
    elif value is None or isinstance(value, (str, bytes, complex)):
        raise _type_error(name, value, what)
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError, OverflowError):
            raise _type_error(name, value, what) from None
    kind = arr.dtype.kind
    if kind == "f":
        arr = arr.astype(np.float64, copy=False)
    elif kind in "iu":
        arr = arr.astype(np.float64)
    elif kind == "O":
        arr = _from_objects(name, value, arr, what)
    else:  # booleans, complex, strings, dates
        raise _type_error(name, value, what)
    lo, hi = _min_max(arr)
    if not (math.isfinite(lo) and math.isfinite(hi)) and arr.size:
        raise ParameterError(f"{what} {name!r} has non-finite values (NaN or inf)")
    return arr, lo, hi


def _check_range(spec: ParamSpec, lo: float, hi: float) -> None:
    if lo <= spec.lower if spec.strict_lower else lo < spec.lower:
        worst = lo
    elif hi > spec.upper:
        worst = hi
    else:
        return
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


#: inputs that determine other parameters (make_point derives d_Z, d_W, d_gamma from them)
DERIVES: dict[str, tuple[str, ...]] = {
    "a": tuple(f"d_{k}_{f}" for k in ("Z", "W") for f in FLAVOURS),
    **{f"d_U{b}_{f}": (f"d_gamma_{f}", f"d_Z_{f}", f"d_W_{f}")
       for b in ("B", "W") for f in FLAVOURS},
    **{f"d_gamma_{f}": (f"d_Z_{f}", f"d_W_{f}") for f in FLAVOURS},
}


def make_point(**params) -> Point:
    """Validate and broadcast parameters into a :class:`Point`.

    Raises :class:`ParameterError` naming the parameter for unknown names (with the closest
    valid names), values that are not real numbers (strings, None, booleans, complex, integers
    too large for a float), non-finite values, values outside the allowed range, shapes that
    do not broadcast, and inconsistent over-specification of the dipole bases. Each array is
    checked with one min and one max reduction.
    """
    vals: dict[str, np.ndarray] = {}
    bounds: dict[str, tuple[float, float]] = {}
    for name, value in params.items():
        spec = PARAMETERS.get(name)
        if spec is None:
            raise unknown_name_error(name)
        arr, lo, hi = as_real_array(name, value)
        _check_range(spec, lo, hi)
        vals[name] = arr
        bounds[name] = (lo, hi)
    shapes = {a.shape for a in vals.values()}
    if len(shapes) <= 1:
        shape = shapes.pop() if shapes else ()
    else:
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            shapes_text = ", ".join(f"{k}{a.shape}" for k, a in vals.items())
            raise ParameterError(
                f"parameter arrays do not broadcast together: {shapes_text}") from None
    _resolve_dipoles(vals)
    for k, a in vals.items():
        if a.shape != shape:
            vals[k] = np.broadcast_to(a, shape)
        elif a.ndim:
            a = a.view()            # read-only: physics code must never write into a Point
            a.flags.writeable = False
            vals[k] = a
    return Point(vals, shape, bounds)


def as_point(point: Point | Mapping | None = None, **params) -> Point:
    """Accept a Point, a mapping of parameters, or keyword parameters."""
    if isinstance(point, Point) and not params:
        return point
    merged = dict(point or {})
    merged.update(params)
    return make_point(**merged)
