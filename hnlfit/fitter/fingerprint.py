"""Content hashes of what determines a posterior chain (terms, data, settings).

A stored chain may only be continued by a run that would have produced it.  What decides
the chain is recorded as a *setup*: a JSON-able dict of components (the likelihood's terms,
the data files behind them, priors, fixed and derived values, walkers, moves, seed, package
versions, and the likelihood's values at fixed check points), each reduced to text or a
SHA-256 hash; :func:`setup_hash` hashes the whole.  :func:`describe_changes` says, in
words, which components differ between a stored and a requested setup.

:func:`fingerprint` hashes an object by content, not by name: numbers bit for bit, arrays by
dtype, shape and bytes, containers element by element, functions by their byte code,
constants, defaults and closure (so a lambda capturing a fit model hashes the model), other
objects by their type and public attributes, plus private ones that are functions -- a
``_private`` data attribute is a memo filled in by evaluations (a cached no-HNL chi2, a log
table), so the hash does not depend on what was evaluated before.  What a term keeps only
privately is covered by the other components of the setup: the likelihood's values at
fixed check points and the hashes of the data set's files.  A term can define ``fingerprint()``
returning a string to replace this walk (for a term whose attributes hold run-time state).
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import types
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

__all__ = ["fingerprint", "term_fingerprints", "file_hashes", "probe_hash", "setup_hash",
           "describe_changes"]

_MAX_DEPTH = 40
_FUNCTIONS = (types.FunctionType, types.MethodType, functools.partial)


def fingerprint(obj: Any) -> str:
    """SHA-256 (hex) of ``obj``'s content (see the module docstring); an object with a
    ``fingerprint()`` method gives its own."""
    own = getattr(type(obj), "fingerprint", None)
    if callable(own) and not isinstance(obj, (type, types.FunctionType)):
        return str(obj.fingerprint())
    h = hashlib.sha256()
    _feed(h, obj, set(), 0)
    return h.hexdigest()


def _feed(h, obj, seen: set[int], depth: int) -> None:
    w = h.update
    if depth > _MAX_DEPTH:
        w(b"<deep>")
        return
    if obj is None or isinstance(obj, (bool, int, str, bytes)):
        w(f"{type(obj).__name__}:{obj!r};".encode())
        return
    if isinstance(obj, float):
        w(b"f:" + np.float64(obj).tobytes())
        return
    if isinstance(obj, (np.ndarray, np.generic)):
        a = np.ascontiguousarray(obj)
        if a.dtype == object:
            w(f"objarray{a.shape}".encode())
            for x in a.ravel():
                _feed(h, x, seen, depth + 1)
            return
        w(f"nd:{a.dtype.str}{a.shape}:".encode() + a.tobytes())
        return
    if isinstance(obj, (types.ModuleType, type)):
        w(f"<{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', obj.__name__)}>"
          .encode())
        return
    if id(obj) in seen:
        w(b"<cycle>")
        return
    seen = seen | {id(obj)}
    own = getattr(type(obj), "fingerprint", None)
    if callable(own) and not isinstance(obj, types.FunctionType):
        w(b"own:" + str(obj.fingerprint()).encode())
        return
    if isinstance(obj, Mapping):
        w(b"{")
        for k in sorted(obj, key=repr):
            _feed(h, k, seen, depth + 1)
            _feed(h, obj[k], seen, depth + 1)
        w(b"}")
        return
    if isinstance(obj, (list, tuple)):
        w(f"{type(obj).__name__}[".encode())
        for x in obj:
            _feed(h, x, seen, depth + 1)
        w(b"]")
        return
    if isinstance(obj, (set, frozenset)):
        w(b"set[")
        for x in sorted(obj, key=repr):
            _feed(h, x, seen, depth + 1)
        w(b"]")
        return
    if isinstance(obj, types.MethodType):
        _feed(h, obj.__func__, seen, depth + 1)
        _feed(h, obj.__self__, seen, depth + 1)
        return
    if isinstance(obj, types.FunctionType):
        w(f"fn:{obj.__module__}.{obj.__qualname__}".encode())
        _feed_code(h, obj.__code__, seen, depth)
        _feed(h, obj.__defaults__, seen, depth + 1)
        _feed(h, obj.__kwdefaults__, seen, depth + 1)
        for cell in obj.__closure__ or ():
            try:
                _feed(h, cell.cell_contents, seen, depth + 1)
            except ValueError:  # an empty cell
                w(b"<empty>")
        return
    if isinstance(obj, (types.BuiltinFunctionType, np.ufunc)):
        w(f"builtin:{getattr(obj, '__module__', '')}.{obj.__name__}".encode())
        return
    state = getattr(obj, "__dict__", None)
    slots = [s for c in type(obj).__mro__ for s in getattr(c, "__slots__", ())]
    w(f"obj:{type(obj).__module__}.{type(obj).__qualname__}".encode())
    if state is None and not slots:
        w(repr(obj).encode())
        return
    attrs = dict(state or {})
    # private data attributes are run-time memos by convention (a term's cached no-HNL
    # chi2, coupling names, log tables), filled in by evaluations; private callables (a
    # FunctionTerm's function, whose closure holds its data) are content
    attrs = {k: v for k, v in attrs.items()
             if not k.startswith("_") or isinstance(v, _FUNCTIONS)}
    for s in slots:
        if hasattr(obj, s) and s not in attrs:
            attrs[s] = getattr(obj, s)
    _feed(h, attrs, seen, depth + 1)


def _feed_code(h, code: types.CodeType, seen, depth) -> None:
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _feed_code(h, c, seen, depth + 1)
        else:
            _feed(h, c, seen, depth + 1)


def term_fingerprints(term) -> list[list[str]]:
    """``[[name, hash], ...]`` for each piece of a (combined) likelihood, in order."""
    pieces = getattr(term, "terms", None) or [term]
    return [[str(getattr(t, "name", type(t).__name__)), fingerprint(t)] for t in pieces]


def file_hashes(paths: Iterable[str | Path]) -> dict[str, str]:
    """``{file name: SHA-256 of its bytes}`` (the files behind a data set)."""
    out = {}
    for p in sorted(Path(str(x)) for x in paths):
        out[p.name if p.name not in out else str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def probe_hash(values: np.ndarray) -> str:
    """Hash of the likelihood's values at the check points (bit for bit; NaN/inf kept)."""
    return hashlib.sha256(np.ascontiguousarray(values, dtype=np.float64).tobytes()).hexdigest()


def _canonical(setup: Mapping[str, Any]) -> str:
    def clean(o):
        if isinstance(o, float) and not math.isfinite(o):
            return repr(o)
        if isinstance(o, Mapping):
            return {str(k): clean(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(x) for x in o]
        return o
    return json.dumps(clean(setup), sort_keys=True, separators=(",", ":"), default=str)


def setup_hash(setup: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a setup."""
    return hashlib.sha256(_canonical(setup).encode()).hexdigest()


def _short(v: Any, n: int = 60) -> str:
    text = json.dumps(v, sort_keys=True, default=str)
    return text if len(text) <= n else text[: n - 3] + "..."


def _pairs_changes(what: str, old: list, new: list) -> list[str]:
    old_d, new_d = dict(map(tuple, old or [])), dict(map(tuple, new or []))
    out = []
    changed = [k for k in new_d if k in old_d and old_d[k] != new_d[k]]
    added = [k for k in new_d if k not in old_d]
    removed = [k for k in old_d if k not in new_d]
    if changed:
        out.append(f"{what} changed: {', '.join(changed)}")
    if added:
        out.append(f"{what} added: {', '.join(added)}")
    if removed:
        out.append(f"{what} removed: {', '.join(removed)}")
    if not out and list(old_d) != list(new_d):
        out.append(f"{what} reordered")
    return out


_WORDS = {
    "probe": "the likelihood's values at the check points differ (the code or the data "
             "behind it changed)",
}


def describe_changes(stored: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """What differs between two setups, one short phrase per component."""
    if not stored:
        return ["the file has no recorded setup (written by an older hnlfit)"]
    out: list[str] = []
    for key in sorted(set(stored) | set(new)):
        a, b = stored.get(key), new.get(key)
        if a == b:
            continue
        if key == "likelihood":
            out += _pairs_changes("likelihood terms", a, b)
        elif key == "data" and isinstance(a, Mapping) and isinstance(b, Mapping):
            for sub in sorted(set(a) | set(b)):
                x, y = a.get(sub), b.get(sub)
                if x == y:
                    continue
                if isinstance(x, Mapping) and isinstance(y, Mapping):
                    out += _pairs_changes(f"data {sub}", list(x.items()), list(y.items()))
                else:
                    out.append(f"data {sub}: {_short(x)} -> {_short(y)}")
        elif key in _WORDS:
            out.append(_WORDS[key])
        else:
            out.append(f"{key}: {_short(a)} -> {_short(b)}")
    return out
