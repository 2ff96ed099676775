"""Plugins: user modules that register observables with ``@hnlfit.observable``.

A plugin is a Python file, an importable module name, or an installed package that declares
its module under the ``hnlfit.plugins`` entry-point group.

Loading the same file twice (from a card and from ``--plugin``), or a copy of it (the same
content at another path, e.g. a card copied with its plugin), is a no-op. A plugin that
fails to import -- a syntax error, a failing import, an exception while it runs -- is one
:class:`~hnlfit.errors.PluginError` naming the file, the line and the message, and whatever
it had registered before failing is removed again.  (The shape of what a plugin's
observable returns is checked against the point's shape on every call, in
:class:`~hnlfit.observables.registry.Observable`.)
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from pathlib import Path

from .errors import PluginError

_LOADED: dict[str, str] = {}          # resolved file path (or module name) -> module name


def _where(exc: BaseException, filename: str) -> str:
    """'line N' of the innermost frame in ``filename`` (or of a syntax error)."""
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        return f"line {exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return f"line {frames[-1].lineno}" if frames else "import"


def _message(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg}"
    return f"{type(exc).__name__}: {exc}"


def _run_guarded(what: str, filename: str | None, run) -> None:
    """Run an import; on failure undo its registrations and raise one PluginError."""
    from .observables import registry

    before = set(registry._REGISTRY)
    try:
        run()
    except Exception as exc:
        for name in set(registry._REGISTRY) - before:
            del registry._REGISTRY[name]
        where = f" ({_where(exc, filename)})" if filename else ""
        raise PluginError(f"plugin {what}{where} failed to load: {_message(exc)}") from None


def load_plugin(path: str | Path) -> None:
    """Import a user module (a file path or an importable module name) so that the
    observables it registers with ``@hnlfit.observable`` become available."""
    p = Path(path)
    if p.suffix == ".py":
        if not p.is_file():
            raise PluginError(f"plugin file {p} does not exist")
        key = str(p.resolve())
        content = "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        if key in _LOADED or content in _LOADED:   # the same file, or a copy of it
            return
        digest = hashlib.sha1(key.encode()).hexdigest()[:8]
        name = f"hnlfit_plugin_{p.stem}_{digest}"
        spec = importlib.util.spec_from_file_location(name, p)
        module = importlib.util.module_from_spec(spec)

        def run():
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(name, None)
                raise

        _run_guarded(str(p), str(p.resolve()) if spec.origin is None else spec.origin, run)
        _LOADED[key] = _LOADED[content] = name
        return
    mod = str(path)
    if mod in _LOADED:
        return
    if importlib.util.find_spec(mod.split(".")[0]) is None:
        raise PluginError(f"plugin {mod!r} is neither a .py file nor an importable module")
    _run_guarded(f"module {mod}", None, lambda: importlib.import_module(mod))
    _LOADED[mod] = mod


def load_entry_point_plugins() -> None:
    """Import plugins installed as packages under the ``hnlfit.plugins`` entry-point group."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="hnlfit.plugins"):
        if ep.value in _LOADED:
            continue
        _run_guarded(f"entry point {ep.name} ({ep.value})", None, ep.load)
        _LOADED[ep.value] = ep.value
