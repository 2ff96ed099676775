"""The observable registry: named predictions with units, LaTeX and references.

An observable is a pure function ``f(point, **args) -> ndarray`` of a :class:`Point`,
registered with metadata (the flavio pattern)::

    @observable("delta_a_mu", unit="1", tex=r"\\Delta a_\\mu",
                params=("m_N", "U_mu", "C_Hnue_mu"), refs=("2105.11462 eq. 3.11",), sm=0.0)
    def delta_a_mu(p): ...

``args`` declares extra keyword arguments that are not model parameters (a centre-of-mass
energy, a lab energy, a variant switch) with their defaults.  ``sm`` is the prediction at
the no-HNL point when it is a constant; when it is None, likelihood terms evaluate the
observable at ``point.no_hnl()`` instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..errors import ObservableError
from ..params import PARAMETERS, Point, as_point, suggest


@dataclass(frozen=True)
class Observable:
    name: str
    func: Callable[..., np.ndarray]
    unit: str
    tex: str
    params: tuple[str, ...]
    refs: tuple[str, ...]
    description: str = ""
    sm: float | None = 0.0
    args: dict[str, Any] = field(default_factory=dict)

    def __call__(self, point: Point, **args) -> np.ndarray:
        unknown = set(args) - set(self.args)
        if unknown:
            bad = sorted(unknown)[0]
            allowed = ", ".join(sorted(self.args)) or "none"
            raise ObservableError(
                f"observable {self.name!r} takes no argument {bad!r} "
                f"(its arguments: {allowed}).{suggest(bad, self.args)}")
        kwargs = {**self.args, **args}
        return np.asarray(self.func(point, **kwargs), dtype=np.float64)

    def sm_value(self, point: Point, **args) -> np.ndarray:
        if self.sm is not None:
            return np.full(point.shape, self.sm)
        return self(point.no_hnl(), **args)


_REGISTRY: dict[str, Observable] = {}


def observable(name: str, *, unit: str, tex: str, params: tuple[str, ...],
               refs: tuple[str, ...], sm: float | None = 0.0,
               args: dict[str, Any] | None = None, description: str = ""):
    """Decorator registering ``func`` as the observable ``name``."""
    for p in params:
        if p not in PARAMETERS:
            raise ValueError(f"observable {name!r} declares unknown parameter {p!r}")

    def wrap(func):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"observable {name!r} is registered twice")
        doc = description or (func.__doc__ or "").strip().splitlines()[0:1]
        _REGISTRY[name] = Observable(
            name=name, func=func, unit=unit, tex=tex, params=tuple(params), refs=tuple(refs),
            description=doc if isinstance(doc, str) else (doc[0] if doc else ""),
            sm=sm, args=dict(args or {}))
        return func

    return wrap


def get(name: str) -> Observable:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ObservableError(
            f"unknown observable {name!r}.{suggest(name, _REGISTRY)} "
            "Run `hnlfit observables` for the list.") from None


def names() -> list[str]:
    return sorted(_REGISTRY)


def all_observables() -> list[Observable]:
    return [get(n) for n in names()]


def predict(name: str, point: Point | dict | None = None, **kwargs) -> np.ndarray:
    """Predict observable ``name`` at a point.

    Keyword arguments that are model parameters (see ``hnlfit.params.PARAMETERS``) build the
    point; the others are passed to the observable as its declared arguments.
    """
    obs = get(name)
    params = {k: v for k, v in kwargs.items() if k in PARAMETERS}
    args = {k: v for k, v in kwargs.items() if k not in PARAMETERS}
    return obs(as_point(point, **params), **args)
