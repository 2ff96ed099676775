"""Shared by the UV-model observables: the SM value where none of a model's couplings is given."""
from __future__ import annotations

import functools

import numpy as np

from ...params import Point


def uncoupled(sm: float, couplings: tuple[str, ...]):
    """Decorator: at a point that gives none of ``couplings`` the observable is its SM value
    ``sm`` (the new particles do not couple), so their masses are not needed there."""
    def wrap(func):
        @functools.wraps(func)
        def inner(p: Point, **kw):
            if not any(p.has(n) for n in couplings):
                return np.full(p.shape, sm)
            return func(p, **kw)
        return inner
    return wrap
