"""One evaluation of a point: shared subexpressions computed once, in cache-sized blocks.

An :class:`Evaluation` is a :class:`~hnlfit.params.Point` (same values, same shape) that also
carries a memo for the life of one evaluation -- one call of a combined likelihood, or one
multi-observable prediction.  Observables that share work ask it for the shared piece::

    w = ev.shared(("nusmeft.w", "m_N"), lambda: w_loop(x))

and the first caller computes it; the others get the same array.  The memo belongs to the
Evaluation object and dies with it: nothing global, nothing that could be reused for another
point.  Keys name the function and the parameters it reads (the values are fixed for the
Evaluation's lifetime, so the names identify the inputs).

:func:`blocks` cuts a large point along its first axis into blocks of about
:data:`BLOCK` points, each its own Evaluation.  Elementwise numpy work on blocks of ~32k
doubles stays in the CPU cache and reuses the same few heap buffers, where a 10^6-point
evaluation allocates (and page-faults) a fresh 8 MB array for every temporary; the results
are identical, element by element.
"""
from __future__ import annotations

from typing import Callable, Iterator

import math

import numpy as np

from ..params import PARAMETERS, Point

#: points per block of a blocked evaluation (arrays of 256 kB)
BLOCK = 32768


class Evaluation(Point):
    """A Point plus a memo that lives for one evaluation (see the module docstring)."""

    __slots__ = ("memo",)

    def __init__(self, point: Point):
        # the same values and the same (min, max) per parameter, computed once per point
        super().__init__({k: point[k] for k in point}, point.shape, point._bounds)
        self.memo: dict = {}

    def __getitem__(self, name: str) -> np.ndarray:
        memo = self.memo
        try:
            return memo[name]
        except KeyError:
            value = memo[name] = Point.__getitem__(self, name)   # defaults built once
            return value

    def shared(self, key, compute: Callable[[], object]):
        """compute(), once per Evaluation and key."""
        memo = self.memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = compute()
            return value

    def compact(self, name: str) -> np.ndarray:
        """The parameter with its broadcast (stride-0) axes collapsed to length 1 (a
        parameter left at its default: one number, without building the full view)."""
        key = ("compact", name)
        memo = self.memo
        if key not in memo:
            spec = PARAMETERS.get(name)
            if not self.has(name) and spec is not None and spec.default is not None:
                memo[key] = np.full((1,) * len(self.shape), spec.default, dtype=np.float64)
            else:
                memo[key] = compact(self[name])
        return memo[key]

    def vanishes(self, name: str) -> bool:
        """True if the parameter is 0 at every point of this evaluation."""
        return self.bounds(name) == (0.0, 0.0)     # the point's (min, max), kept


def evaluation(point: Point) -> Evaluation:
    """``point`` itself if it is an Evaluation, else a new Evaluation of it."""
    return point if isinstance(point, Evaluation) else Evaluation(point)


def compact(a) -> np.ndarray:
    """Collapse broadcast (stride-0) axes to length 1: a constant is computed once, not once
    per point; the result still broadcasts against the point's shape."""
    a = np.asarray(a)
    if a.ndim and 0 in a.strides:
        a = a[tuple(slice(0, 1) if s == 0 else slice(None) for s in a.strides)]
    return a


def blocks(point: Point, size: int | None = None) -> Iterator[tuple[object, Evaluation]]:
    """(index, Evaluation of point[index]) over blocks of about ``size`` points.

    A point of at most ``size`` points (or 0-d) is one block with index ``...``.  Larger
    points are cut along axis 0, ``max(1, size // (points per row))`` rows at a time.
    """
    size = BLOCK if size is None else size
    shape = point.shape
    n = math.prod(shape)
    if n <= size:
        yield ..., evaluation(point)
        return
    per_row = n // shape[0]
    rows = max(1, size // per_row)
    values = {k: point[k] for k in point}

    def block(index: slice) -> Evaluation:
        sub = {k: v[index] for k, v in values.items()}
        return Evaluation(Point(sub, (index.stop - index.start,) + shape[1:]))

    for lo in range(0, shape[0], rows):
        index = slice(lo, min(lo + rows, shape[0]))
        if isinstance(point, Evaluation):      # the same blocks (and their memos) for
            yield index, point.shared(("block", lo, index.stop), lambda: block(index))
        else:                                  # every observable of this evaluation
            yield index, block(index)


def blockwise(func: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Decorate an observable ``func(ev, **args)`` written for one Evaluation: a large point
    is evaluated block by block (:func:`blocks`) into one output array."""
    def wrapper(point: Point, **args) -> np.ndarray:
        shape = point.shape
        if math.prod(shape) <= BLOCK:
            return func(evaluation(point), **args)
        out = np.empty(shape)
        for index, ev in blocks(point):
            out[index] = func(ev, **args)
        return out

    wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
    wrapper.__wrapped__ = func
    return wrapper
