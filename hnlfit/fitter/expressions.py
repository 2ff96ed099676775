"""Derived parameters written as strings in run cards, evaluated safely on arrays.

A run card may define a parameter through the others, e.g.::

    derived:
      C_Hnue_mu: "-1/Lambda**2"
      d_gamma_mu: "sign * 10**log_d"

The string is parsed with :mod:`ast` and *interpreted* node by node (``eval`` is never
called).  Allowed are

* numbers (int or float literals; bools, strings, complex numbers are rejected),
* names of the arrays given (parameters, scan axes, sampling variables such as ``sign``,
  and earlier derived values), plus the constant ``pi``,
* the binary operators ``+ - * / **`` and unary ``-`` / ``+``,
* calls of the whitelisted numpy functions ``sqrt log log10 exp abs sign sin cos tan
  arctan`` with positional arguments only.

Anything else (attributes, subscripts, comparisons, lambdas, keyword arguments, other
functions ...) raises :class:`ExpressionError` naming the expression.  Literals become
float64, so ``10**10**10`` overflows to ``inf`` instead of building a huge Python integer.
Names bind to numpy arrays, so evaluation is vectorized over grids and walkers alike.

Helpers used by the scans, the profile and the sampler:

* :func:`resolve` -- evaluate a ``derived`` dict (in dependency order) on top of given values;
* :func:`check_names` -- validate which inputs are model parameters and which are
  auxiliary "sampling" variables (allowed only if some derived expression reads them);
* :func:`split_parameters` -- keep the model parameters, drop the auxiliary variables.
"""
from __future__ import annotations

import ast
import math
import operator
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np

from ..errors import DataError
from ..params import PARAMETERS, suggest

__all__ = ["ExpressionError", "Expression", "compile_expression", "evaluate", "resolve",
           "check_names", "split_parameters", "build_point", "valid_mask",
           "chi2_or_nan", "FUNCTIONS", "CONSTANTS"]

MAX_LENGTH = 2000

FUNCTIONS = {
    "sqrt": np.sqrt, "log": np.log, "log10": np.log10, "exp": np.exp, "abs": np.abs,
    "sign": np.sign, "sin": np.sin, "cos": np.cos, "tan": np.tan, "arctan": np.arctan,
}
CONSTANTS = {"pi": math.pi}

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
           ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^",
           ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>",
           ast.Not: "not", ast.Invert: "~"}


class ExpressionError(DataError):
    """A derived-parameter expression is malformed, unsafe, or refers to unknown names."""


def _fail(expr: str, why: str) -> ExpressionError:
    return ExpressionError(f"derived expression {expr!r}: {why}")


class Expression:
    """A parsed, validated expression. Call it with a mapping of names to arrays."""

    __slots__ = ("text", "_tree", "names")

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise ExpressionError(f"derived expression {text!r} must be a string")
        if len(text) > MAX_LENGTH:
            raise _fail(text[:60] + "...", f"longer than {MAX_LENGTH} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise _fail(text, f"not a valid expression ({exc.msg})") from None
        self.text = text
        self._tree = tree.body
        names: set[str] = set()
        self._check(self._tree, names)
        #: free variable names the expression reads (functions and constants excluded)
        self.names = frozenset(names)

    def _check(self, node: ast.AST, names: set[str]) -> None:
        t = self.text
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise _fail(t, f"literal {v!r} is not allowed (numbers only)")
        elif isinstance(node, ast.Name):
            # a bare name is always a variable, even if a function has the same name:
            # "sign/Lambda**2" reads the variable ``sign``, "sign(x)" calls np.sign
            if node.id not in CONSTANTS:
                names.add(node.id)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                sym = _SYMBOL.get(type(node.op), type(node.op).__name__)
                raise _fail(t, f"operator {sym!r} is not allowed (use + - * / **)")
            self._check(node.left, names)
            self._check(node.right, names)
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                sym = _SYMBOL.get(type(node.op), type(node.op).__name__)
                raise _fail(t, f"unary operator {sym!r} is not allowed")
            self._check(node.operand, names)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(
                    node.func)
                raise _fail(t, f"function {what!r} is not allowed (allowed: "
                               f"{', '.join(sorted(FUNCTIONS))})")
            if node.keywords:
                raise _fail(t, f"keyword arguments are not allowed in {node.func.id}()")
            if len(node.args) != 1:
                raise _fail(t, f"{node.func.id}() takes exactly one argument")
            for a in node.args:
                if isinstance(a, ast.Starred):
                    raise _fail(t, "starred arguments are not allowed")
                self._check(a, names)
        else:
            raise _fail(t, f"{type(node).__name__} ({ast.unparse(node)!r}) is not allowed; "
                           "use numbers, names, + - * / **, and "
                           f"{', '.join(sorted(FUNCTIONS))}")

    def __call__(self, values: Mapping[str, object]) -> np.ndarray:
        missing = sorted(self.names - set(values))
        if missing:
            if missing[0] in FUNCTIONS:
                raise _fail(self.text, f"{missing[0]!r} is not a given variable; to use the "
                                       f"function write {missing[0]}(...)")
            hint = suggest(missing[0], list(values))
            raise _fail(self.text, f"unknown name {missing[0]!r}.{hint} "
                                   f"Available: {', '.join(sorted(values)) or 'none'}")
        with np.errstate(all="ignore"):
            return np.asarray(self._eval(self._tree, values), dtype=np.float64)

    def _eval(self, node, values):
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return np.float64(CONSTANTS[node.id])
            return np.asarray(values[node.id], dtype=np.float64)
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](self._eval(node.left, values),
                                          self._eval(node.right, values))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self._eval(node.operand, values))
        if isinstance(node, ast.Call):
            return FUNCTIONS[node.func.id](self._eval(node.args[0], values))
        raise _fail(self.text, "internal error: unchecked node")  # pragma: no cover

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __reduce__(self):  # pickle by text (the ast is rebuilt)
        return (Expression, (self.text,))


def compile_expression(text: str) -> Expression:
    """Parse and validate ``text`` once (cached)."""
    if isinstance(text, Expression):
        return text
    if not isinstance(text, str):
        raise ExpressionError(f"derived expression {text!r} must be a string")
    return _compile(text)


@lru_cache(maxsize=512)
def _compile(text: str) -> Expression:
    return Expression(text)


def evaluate(text: str, values: Mapping[str, object]) -> np.ndarray:
    """Evaluate an expression string with names bound to ``values`` (arrays broadcast)."""
    return compile_expression(text)(values)


def _order(derived: Mapping[str, str], given: Iterable[str]) -> list[str]:
    """Derived names in an order where every expression's inputs come first."""
    given = set(given)
    exprs = {k: compile_expression(v) for k, v in derived.items()}
    clash = sorted(given & set(exprs))
    if clash:
        raise ExpressionError(f"{clash[0]!r} is both given (scanned, fixed or sampled) and "
                              f"derived ({derived[clash[0]]!r}); give it one way only")
    order: list[str] = []
    known = set(given)
    pending = dict(exprs)
    while pending:
        ready = [k for k, e in pending.items() if e.names <= known]
        if not ready:
            for e in pending.values():
                unknown = sorted(e.names - known - set(pending))
                if not unknown:
                    continue
                if unknown[0] in FUNCTIONS:
                    raise _fail(e.text, f"{unknown[0]!r} is not a given variable; to use "
                                        f"the function write {unknown[0]}(...)")
                raise _fail(e.text, f"unknown name {unknown[0]!r}."
                                    f"{suggest(unknown[0], known | set(pending))} Available: "
                                    f"{', '.join(sorted(known)) or 'none'}")
            raise ExpressionError("derived parameters depend on each other in a cycle: "
                                  + ", ".join(f"{k} = {derived[k]!r}" for k in pending))
        for k in ready:
            order.append(k)
            known.add(k)
            del pending[k]
    return order


def resolve(values: Mapping[str, object], derived: Mapping[str, str] | None,
            check_finite: bool = True) -> dict:
    """``values`` plus every derived quantity, evaluated in dependency order.

    Raises :class:`ExpressionError` naming the expression if a result is not finite (e.g.
    ``1/Lambda**2`` at ``Lambda = 0``) at some input, quoting the first such input, unless
    ``check_finite=False`` (then non-finite values are returned as they are).
    """
    out = dict(values)
    if not derived:
        return out
    for name in _order(derived, out):
        expr = compile_expression(derived[name])
        res = expr({k: out[k] for k in expr.names})
        bad = ~np.isfinite(res)
        if check_finite and np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            at = ", ".join(f"{k}={np.broadcast_to(out[k], res.shape).ravel()[i]:g}"
                           for k in sorted(expr.names))
            raise _fail(expr.text,
                        f"gives a non-finite value for {name!r} at {at or 'all points'}")
        out[name] = res
    return out


def check_names(given: Iterable[str], derived: Mapping[str, str] | None = None) -> None:
    """Check the names of given inputs (axes, fixed, free, sampled) and derived outputs.

    Model parameters (:data:`hnlfit.params.PARAMETERS`) are always fine.  Any other name is
    an auxiliary *sampling variable* (e.g. ``sign``) and is allowed only if a derived
    expression reads it -- otherwise it is most likely a typo, reported with suggestions.
    """
    derived = dict(derived or {})
    given = list(given)
    _order(derived, given)  # unknown names, clashes and cycles
    used: set[str] = set()
    for text in derived.values():
        used |= compile_expression(text).names
    for name in list(given) + list(derived):
        if name not in PARAMETERS and name not in used:
            role = "derived" if name in derived else "given"
            raise ExpressionError(
                f"{name!r} ({role}) is neither a model parameter nor used by a derived "
                f"expression.{suggest(name, PARAMETERS)} Run `hnlfit parameters` for the list.")


def split_parameters(values: Mapping[str, object]) -> dict:
    """Only the entries that are model parameters (auxiliary variables are dropped)."""
    return {k: v for k, v in values.items() if k in PARAMETERS}


def build_point(values: Mapping[str, object], derived: Mapping[str, str] | None = None,
                model=None):
    """Resolve ``derived`` on top of ``values``, drop auxiliary variables, make a Point;
    with ``model`` (a name in :mod:`hnlfit.models`), its UV parameters are first mapped onto
    the EFT parameters (a run card's ``model:`` key)."""
    from ..params import make_point

    params = split_parameters(resolve(values, derived))
    if model is not None:
        from .. import models
        params = models.apply(model, params)
    return make_point(**params)


def valid_mask(values: Mapping[str, object], size: int) -> np.ndarray:
    """True for the rows (of ``size`` broadcast rows) where every model parameter in
    ``values`` is finite and inside its allowed range (PARAMETERS)."""
    ok = np.ones(size, dtype=bool)
    for name, v in values.items():
        spec = PARAMETERS.get(name)
        if spec is None:
            continue
        a = np.broadcast_to(np.asarray(v, dtype=np.float64), (size,))
        good = np.isfinite(a) & (a <= spec.upper)
        good &= (a > spec.lower) if spec.strict_lower else (a >= spec.lower)
        ok &= good
    return ok


def chi2_or_nan(term, values: Mapping[str, object], derived: Mapping[str, str] | None,
                size: int) -> np.ndarray:
    """chi2 on ``size`` rows of 1-d ``values``; NaN (instead of an error) on the rows where
    a derived value is not finite or a parameter is outside its range.

    Used where invalid points are a normal part of the search (coarse profile grids,
    MCMC proposals); a grid scan uses :func:`build_point`, which raises instead.
    """
    from ..params import make_point

    full = resolve(values, derived, check_finite=False)
    params = {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (size,))
              for k, v in split_parameters(full).items()}
    ok = valid_mask(params, size)
    out = np.full(size, np.nan)
    if not ok.any():
        return out
    if ok.all():
        point = make_point(**params)
    else:
        point = make_point(**{k: v[ok] for k, v in params.items()})
    chi2 = np.asarray(term.chi2(point), dtype=np.float64)
    out[ok] = np.broadcast_to(chi2, (int(ok.sum()),))
    return out
