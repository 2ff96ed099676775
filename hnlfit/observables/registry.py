"""The observable registry: named predictions with units, LaTeX and references.

An observable is a pure function ``f(point, **args) -> ndarray`` of a :class:`Point`,
registered with metadata (the flavio pattern)::

    @observable("delta_a_mu", unit="1", tex=r"\\Delta a_\\mu",
                params=("m_N", "U_mu", "C_Hnue_mu"), refs=("2105.11462 eq. 3.11",), sm=0.0)
    def delta_a_mu(p): ...

``args`` declares extra keyword arguments that are not model parameters (a centre-of-mass
energy, a lab energy, a variant switch) with their defaults.  ``sm`` is the prediction at
the no-HNL point when it is a constant; when it is None, likelihood terms evaluate the
observable at ``point.no_hnl()`` instead.  ``valid`` declares the validity domain (table mass
ranges, thresholds, E_N >= m_N, sqrt_s > 0, m_N < Lambda), see :mod:`.validity`.

Every call checks, once: the argument names (unknown names get the closest parameter and
argument names), the argument types (a switch whose default is a bool takes only a bool; a
string-valued option only a string), the domain, and the shape of the output (a plugin must
return the point's shape).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ..errors import ObservableError, ParameterError
from ..params import DERIVES, PARAMETERS, Point, as_point, suggest, unknown_name_error
from . import validity


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
    valid: tuple = ()
    reads: frozenset = frozenset()   # parameters that change the result (incl. derived inputs)

    def __post_init__(self):
        pre, post = validity.split(self.valid, self.args)
        object.__setattr__(self, "pre_checks", pre)      # outside -> DomainError
        object.__setattr__(self, "post_checks", post)    # outside -> 0

    def check_args(self, args: Mapping[str, Any]) -> None:
        for k, v in args.items():
            if k not in self.args:
                raise unknown_name_error(k, args=self.args, observable=self.name,
                                         reads=self.params)
            default = self.args[k]
            if isinstance(default, bool) and not isinstance(v, (bool, np.bool_)):
                raise ParameterError(f"argument {k!r} of observable {self.name!r} must be true "
                                     f"or false, got {type(v).__name__} {v!r}")
            if isinstance(default, str) and not isinstance(v, str):
                raise ParameterError(f"argument {k!r} of observable {self.name!r} must be a "
                                     f"string (default {default!r}), got {v!r}")

    def __call__(self, point: Point, **args) -> np.ndarray:
        if args:
            self.check_args(args)
            kwargs = {**self.args, **args}
        else:
            kwargs = self.args
        if self.pre_checks:
            validity.check_before(self, point, kwargs)
        out = np.asarray(self.func(point, **kwargs), dtype=np.float64)
        if out.shape != point.shape:
            out = self._reshape(out, point, args)
        if self.post_checks:
            out = validity.apply_after(self, point, kwargs, out)
        return out

    def _reshape(self, out: np.ndarray, point: Point, args: Mapping[str, Any]) -> np.ndarray:
        """The result must have the shape of the point broadcast with any array arguments
        (sqrt_s=[[91], [205]]); a scalar or a broadcastable array is spread to it, any other
        shape (a plugin returning one value per something else) is an error."""
        try:
            want = np.broadcast_shapes(point.shape, *(np.shape(v) for v in args.values()
                                                      if isinstance(v, (np.ndarray, list))))
            ok = np.broadcast_shapes(out.shape, want) == want
        except ValueError:
            ok = False
        if not ok:
            raise ObservableError(
                f"observable {self.name!r} returned an array of shape {out.shape} for a point "
                f"of shape {point.shape}; it must return the point's shape")
        return out if out.shape == want else np.broadcast_to(out, want).copy()

    def flags(self, point: Point, **args) -> list[str]:
        """Validity warnings (e.g. m_N >= Lambda) at ``point``; empty inside the regime."""
        return validity.flags(self, point, args)

    def sm_value(self, point: Point, **args) -> np.ndarray:
        if self.sm is not None:
            return np.full(point.shape, self.sm)
        return self(point.no_hnl(), **args)


_REGISTRY: dict[str, Observable] = {}


def _reads(params: tuple[str, ...], valid: tuple) -> frozenset:
    names = set(params) | (validity.names_read(valid) & set(PARAMETERS))
    names |= {k for k, derived in DERIVES.items() if names & set(derived)}
    return frozenset(names)


def observable(name: str, *, unit: str, tex: str, params: tuple[str, ...],
               refs: tuple[str, ...], sm: float | None = 0.0,
               args: dict[str, Any] | None = None, description: str = "",
               valid: tuple = ()):
    """Decorator registering ``func`` as the observable ``name``.

    ``valid``: its validity domain, a tuple of :class:`~hnlfit.observables.validity.Limit`
    and :class:`~hnlfit.observables.validity.StrongCoupling`.
    """
    for p in params:
        if p not in PARAMETERS:
            raise ValueError(f"observable {name!r} declares unknown parameter {p!r}")
    args = dict(args or {})
    for v in valid:
        for n in v.names:
            if n not in PARAMETERS and n not in args:
                raise ValueError(f"observable {name!r}: its validity domain names {n!r}, "
                                 "neither a parameter nor one of its arguments")

    def wrap(func):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"observable {name!r} is registered twice")
        doc = description or (func.__doc__ or "").strip().splitlines()[0:1]
        _REGISTRY[name] = Observable(
            name=name, func=func, unit=unit, tex=tex, params=tuple(params), refs=tuple(refs),
            description=doc if isinstance(doc, str) else (doc[0] if doc else ""),
            sm=sm, args=args, valid=tuple(valid), reads=_reads(tuple(params), tuple(valid)))
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


def split_keywords(obs: Observable, kwargs: Mapping[str, Any]) -> tuple[dict, dict]:
    """(parameters, arguments) of ``obs`` from mixed keywords; an unknown name is an error
    with the closest parameter and argument names."""
    params, args = {}, {}
    for k, v in kwargs.items():
        if k in obs.args:
            args[k] = v
        elif k in PARAMETERS:
            params[k] = v
        else:
            raise unknown_name_error(k, args=obs.args, observable=obs.name, reads=obs.params)
    return params, args


def check_reads(obs: Observable, given) -> None:
    """A parameter given for ``obs`` that it does not read is an error listing what it reads."""
    unread = sorted(k for k in given if k not in obs.reads)
    if unread:
        raise ParameterError(
            f"observable {obs.name!r} does not read {', '.join(map(repr, unread))}; it reads "
            f"{', '.join(obs.params)}" + (f" (and takes the arguments {', '.join(obs.args)})"
                                          if obs.args else "")
            + ". Pass strict=False to allow parameters it ignores.")


def predict(name: str, point: Point | dict | None = None, *, strict: bool = True,
            model=None, **kwargs) -> np.ndarray:
    """Predict observable ``name`` at a point.

    Keyword arguments that are model parameters (see ``hnlfit.params.PARAMETERS``) build the
    point; the observable's declared arguments are passed to it; any other name is a
    :class:`~hnlfit.errors.ParameterError` with the closest names. With ``strict`` (default),
    a parameter the observable does not read is an error too (``strict=False`` allows it, for
    scripts that pass one point to many observables); a ready :class:`Point` is not checked.
    A point outside the observable's regime (m_N >= Lambda) warns with
    :class:`~hnlfit.errors.ValidityWarning`.
    ``model`` (a name in :mod:`hnlfit.models`): the keywords include that UV model's
    parameters, mapped onto the EFT parameters before the point is built.
    """
    obs = get(name)
    params, args = split_keywords(obs, kwargs)
    if model is not None:
        from .. import models
        params = models.apply(model, {**dict(point or {}), **params})
        point = None
    if strict:
        given = set(params)
        if isinstance(point, Mapping) and not isinstance(point, Point):
            given |= set(point)
        if model is not None:  # the model reads its parameters; the observable what it maps
            from .. import models
            given -= set(models.get(model).PARAMETERS) | set(params) - set(kwargs)
        check_reads(obs, given)
    p = as_point(point, **params)
    out = obs(p, **args)
    if obs.valid:
        validity.warn_flags(obs, p, args)
    return out


def likelihood_flags(like, point: Point) -> dict[str, list[str]]:
    """Per term of a likelihood, the validity warnings of its observable at ``point``
    (m_N >= Lambda), for breakdowns; terms without an observable have none."""
    out: dict[str, list[str]] = {}
    for t in like.terms:
        name = getattr(t, "observable", None)
        if name is None:
            continue
        msgs = validity.flags(get(name), point, getattr(t, "obs_args", {}))
        if msgs:
            out[t.name] = msgs
    return out


def likelihood_reads(like) -> frozenset:
    """The parameters any term of a likelihood reads (with the inputs that derive them)."""
    names: set[str] = set()
    for t in like.terms:
        obs = getattr(t, "observable", None)
        names |= set(get(obs).reads) if obs else set(t.parameters)
    names |= {k for k, derived in DERIVES.items() if names & set(derived)}
    return frozenset(names)


def check_likelihood_reads(like, given) -> None:
    """A parameter no term of the likelihood reads is an error listing what they read."""
    reads = likelihood_reads(like)
    unread = sorted(k for k in given if k not in reads)
    if unread:
        raise ParameterError(
            f"no term of the likelihood ({', '.join(t.name for t in like.terms)}) reads "
            f"{', '.join(map(repr, unread))}; they read {', '.join(sorted(reads))}. "
            "Pass --no-strict (strict=False) to allow it.")
