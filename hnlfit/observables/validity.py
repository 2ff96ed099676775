"""Validity domains of observables, declared with ``@observable(valid=...)`` and enforced.

Each observable lists where its formula and tables apply::

    @observable("sigma_ee_to_N_nu", ..., valid=(
        Limit("sqrt_s", lower=0.0, strict=True, why="a centre-of-mass energy"),
        Limit("m_N", upper="sqrt_s", outside="zero", why="e+e- -> N nu is closed"),))

A :class:`Limit` bounds a parameter or an argument by numbers or by another parameter or
argument (``E_N >= m_N``). What happens outside is declared, not guessed:

* ``outside="error"``: a :class:`~hnlfit.errors.DomainError` naming the observable, the
  quantity, the offending value and the domain (a table's mass range, a kinematic
  requirement);
* ``outside="zero"``: the physical answer is 0 there (a channel above its threshold) and
  the registry sets it, whatever the formula would extrapolate to;
* ``outside="warn"``: the formula still gives a number but its regime is left (m_N >= Lambda:
  the nuSMEFT expansion does not apply). Predictions warn with
  :class:`~hnlfit.errors.ValidityWarning`; likelihood breakdowns list it
  (:func:`hnlfit.observables.registry.likelihood_flags`). It is not checked inside likelihood evaluations, where such
  regions are scanned on purpose (the ``eft_invalid`` layer of a card draws them).

:class:`StrongCoupling` declares that an EFT coefficient C (GeV^-2) and the HNL mass must
satisfy m_N^2 |C| < (4 pi)^2: beyond, the scale 4 pi / sqrt|C| at which the operator becomes
strongly coupled lies below m_N and no EFT prediction exists (naive dimensional analysis).

Cost: a Point keeps each parameter's (min, max), so a check that passes is a few scalar
comparisons; the element-wise comparison runs only when the extremes cross a bound.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..errors import DomainError, ValidityWarning
from ..params import Point, as_real_array

OUTSIDE = ("error", "zero", "warn")


def _extremes(name: str, point: Point, args: dict[str, Any]):
    """(min, max) of a parameter or argument, or None if it is not there (not given)."""
    if name in args:
        value = args[name]
        if value is None:
            return None
        _, lo, hi = as_real_array(name, value, what="argument")
        return lo, hi
    if not point.has(name):
        return None
    return point.bounds(name)


def _values(name: str, point: Point, args: dict[str, Any]) -> np.ndarray:
    if name in args:
        return as_real_array(name, args[name], what="argument")[0]
    return np.asarray(point[name])


@dataclass(frozen=True)
class Limit:
    """``lower <= name <= upper`` (strict: ``<``); bounds are numbers or parameter/argument
    names. ``why`` says where the domain comes from (shown in the error)."""

    name: str
    lower: float | str | None = None
    upper: float | str | None = None
    strict: bool = False
    outside: str = "error"
    why: str = ""

    def __post_init__(self):
        if self.outside not in OUTSIDE:
            raise ValueError(f"Limit({self.name!r}): outside must be one of {OUTSIDE}")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) + tuple(b for b in (self.lower, self.upper) if isinstance(b, str))

    def text(self) -> str:
        lo = "<" if self.strict else "<="
        parts = ([f"{self.lower:g}" if not isinstance(self.lower, str) else self.lower]
                 if self.lower is not None else []) + [self.name] + \
                ([f"{self.upper:g}" if not isinstance(self.upper, str) else self.upper]
                 if self.upper is not None else [])
        return f" {lo} ".join(parts)

    def _side_may_fail(self, v_lo, v_hi, bound, side, point, args):
        """None if the side is satisfied everywhere (or cannot be checked), else True."""
        if bound is None:
            return None
        if isinstance(bound, str):
            b = _extremes(bound, point, args)
            if b is None:
                return None
            edge = b[1] if side == "lower" else b[0]    # the worst case of the bound
        else:
            edge = bound
        if side == "lower":
            ok = v_lo > edge if self.strict else v_lo >= edge
        else:
            ok = v_hi < edge if self.strict else v_hi <= edge
        return None if ok else True

    def violation(self, point: Point, args: dict[str, Any]) -> np.ndarray | None:
        """Boolean mask (broadcast with the point) of the values outside, or None if none."""
        ext = _extremes(self.name, point, args)
        if ext is None or ext[0] > ext[1]:          # not given, or an empty point
            return None
        fail_lo = self._side_may_fail(*ext, self.lower, "lower", point, args)
        fail_hi = self._side_may_fail(*ext, self.upper, "upper", point, args)
        if not (fail_lo or fail_hi):
            return None
        v = _values(self.name, point, args)
        bad = np.zeros(np.shape(v), dtype=bool)
        for bound, fail, side in ((self.lower, fail_lo, "lower"), (self.upper, fail_hi, "upper")):
            if not fail:
                continue
            b = _values(bound, point, args) if isinstance(bound, str) else bound
            if side == "lower":
                bad = bad | ((v <= b) if self.strict else (v < b))
            else:
                bad = bad | ((v >= b) if self.strict else (v > b))
        return bad if bad.any() else None

    def message(self, observable: str, point: Point, args: dict[str, Any],
                bad: np.ndarray) -> str:
        v = np.broadcast_to(_values(self.name, point, args), bad.shape)[bad]
        n, total = int(bad.sum()), bad.size
        where = f" at {n} of {total} points" if total > 1 else ""
        return (f"observable {observable!r}: {self.name} = {v.flat[0]:g} is outside its "
                f"validity domain {self.text()}{where}" + (f" ({self.why})" if self.why else ""))


@dataclass(frozen=True)
class StrongCoupling:
    """m_N^2 |C| < (4 pi)^2 for the EFT coefficient ``coefficient`` (GeV^-2)."""

    coefficient: str
    mass: str = "m_N"
    outside: str = "error"
    why: str = ("beyond, 4 pi / sqrt|C| < m_N: the operator is strongly coupled below the HNL "
                "mass and the EFT gives no prediction")
    LIMIT = (4.0 * math.pi) ** 2

    @property
    def names(self) -> tuple[str, ...]:
        return (self.mass, self.coefficient)

    def text(self) -> str:
        return f"{self.mass}^2 |{self.coefficient}| < (4 pi)^2"

    def violation(self, point: Point, args: dict[str, Any]) -> np.ndarray | None:
        m, cc = _extremes(self.mass, point, args), _extremes(self.coefficient, point, args)
        if m is None or cc is None or m[0] > m[1]:
            return None
        if m[1] ** 2 * max(abs(cc[0]), abs(cc[1])) < self.LIMIT:
            return None
        bad = np.square(point[self.mass]) * np.abs(point[self.coefficient]) >= self.LIMIT
        return bad if bad.any() else None

    def message(self, observable: str, point: Point, args: dict[str, Any],
                bad: np.ndarray) -> str:
        m = np.broadcast_to(point[self.mass], bad.shape)[bad].flat[0]
        cc = np.broadcast_to(point[self.coefficient], bad.shape)[bad].flat[0]
        where = f" at {int(bad.sum())} of {bad.size} points" if bad.size > 1 else ""
        return (f"observable {observable!r}: {self.mass} = {m:g} GeV with {self.coefficient} = "
                f"{cc:g} GeV^-2 is outside the validity domain {self.text()}{where} "
                f"({self.why})")


def names_read(valid: Iterable) -> set[str]:
    return {n for v in valid for n in v.names}


_MISSING = object()


def _verdict(v, point: Point, args: dict[str, Any], key):
    """v.violation(point, args), memoised on the Point under ``key`` when the domain reads
    only parameters (every observable that declares the same domain asks: once per point)."""
    if key is None:
        return v.violation(point, args)
    memo = point._bounds
    bad = memo.get(key, _MISSING)
    if bad is _MISSING:
        bad = memo[key] = v.violation(point, args)
    return bad


def split(valid: tuple, args: dict[str, Any]) -> tuple[tuple, tuple]:
    """(checks before the call, zeroings after it) as (domain, memo key) pairs; the key is
    None for a domain that reads an argument (not a property of the point alone)."""
    def key(v):
        return None if set(v.names) & set(args) else ("valid", repr(v))

    pre = tuple((v, key(v)) for v in valid if v.outside == "error")
    post = tuple((v, key(v)) for v in valid if v.outside == "zero")
    return pre, post


def check_before(obs, point: Point, args: dict[str, Any]) -> None:
    """Raise DomainError for the first ``outside="error"`` domain the point leaves."""
    for v, key in obs.pre_checks:
        bad = _verdict(v, point, args, key)
        if bad is not None:
            raise DomainError(v.message(obs.name, point, args, bad))


def apply_after(obs, point: Point, args: dict[str, Any], out: np.ndarray) -> np.ndarray:
    """Set the physical answer (0) where an ``outside="zero"`` domain is left."""
    for v, key in obs.post_checks:
        bad = _verdict(v, point, args, key)
        if bad is not None:
            out = np.where(np.broadcast_to(bad, out.shape), 0.0, out)
    return out


def flags(obs, point: Point, args: dict[str, Any] | None = None) -> list[str]:
    """Messages for the ``outside="warn"`` domains the point leaves (e.g. m_N >= Lambda)."""
    args = {**obs.args, **(args or {})}
    out = []
    for v in obs.valid:
        if v.outside == "warn":
            bad = v.violation(point, args)
            if bad is not None:
                out.append(v.message(obs.name, point, args, bad))
    return out


def warn_flags(obs, point: Point, args: dict[str, Any] | None = None) -> list[str]:
    msgs = flags(obs, point, args)
    for m in msgs:
        warnings.warn(m, ValidityWarning, stacklevel=3)
    return msgs


#: the nuSMEFT regime, shared by the observables of O_Hnue
def eft(flavours: Iterable[str]) -> tuple:
    """m_N < Lambda (warn) and m_N^2 |C_Hnue_f| < (4 pi)^2 (error) for each flavour."""
    return (Limit("m_N", upper="Lambda", strict=True, outside="warn",
                  why="the nuSMEFT expansion needs m_N < Lambda, 2105.11462 Sec. 5"),
            *(StrongCoupling(f"C_Hnue_{f}") for f in flavours))
