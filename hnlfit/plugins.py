"""Plugins: user modules that register observables with ``@hnlfit.observable``.

A plugin is a Python file, an importable module name, or an installed package that declares
its module under the ``hnlfit.plugins`` entry-point group.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

from .errors import DataError


def load_plugin(path: str | Path) -> None:
    """Import a user module (a file path or an importable module name) so that the
    observables it registers with ``@hnlfit.observable`` become available."""
    p = Path(path)
    if p.suffix == ".py":
        if not p.exists():
            raise DataError(f"plugin file {p} does not exist")
        name = f"hnlfit_plugin_{p.stem}"
        spec = importlib.util.spec_from_file_location(name, p)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        importlib.import_module(str(path))


def load_entry_point_plugins() -> None:
    """Import plugins installed as packages under the ``hnlfit.plugins`` entry-point group."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="hnlfit.plugins"):
        ep.load()
