"""Atomic result writing: write to a temporary file in the same folder, then rename.

An interrupted or failed run therefore never leaves a half-written result: either the old
file (or none) is there, or the complete new one.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np


@contextmanager
def atomic_path(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix or
                               path.suffix)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_path, 0o666 & ~mask)      # mkstemp makes 0600 whatever the umask
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def _jsonable(o: Any):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.floating, np.integer, np.bool_)):
        return o.item()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"cannot write {type(o).__name__} to JSON")


def finite_json(obj: Any, path: str = "") -> tuple[Any, list[str]]:
    """``obj`` with numpy values as Python ones and every NaN/inf replaced by None (JSON null),
    and the paths of the replaced values (``value[3]``), so the caller can flag them: strict
    JSON has no NaN or Infinity."""
    bad: list[str] = []

    def walk(o, where):
        if isinstance(o, dict):
            return {str(k): walk(v, f"{where}.{k}" if where else str(k)) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(o)]
        if isinstance(o, np.ndarray):
            return walk(o.tolist(), where)
        if isinstance(o, (np.bool_, bool)):
            return bool(o)
        if isinstance(o, (np.integer, int)):
            return int(o)
        if isinstance(o, (np.floating, float)):
            v = float(o)
            if v != v or v in (float("inf"), float("-inf")):
                bad.append(where or "value")
                return None
            return v
        if isinstance(o, Path):
            return str(o)
        if o is None or isinstance(o, str):
            return o
        return str(o)

    return walk(obj, path), bad


def dumps_json(obj: Any, **kwargs) -> str:
    """Strict JSON (no NaN/Infinity): non-finite numbers become null; a dict gets the key
    ``non_finite_as_null`` listing where that happened."""
    clean, bad = finite_json(obj)
    if bad and isinstance(clean, dict):
        clean["non_finite_as_null"] = bad
    elif bad:
        clean = {"data": clean, "non_finite_as_null": bad}
    return json.dumps(clean, allow_nan=False, **kwargs)


def read_yaml(path: str | Path, what: str = "file"):
    """Parse a YAML file; a missing file or bad YAML is a DataError naming ``what`` and the
    path (measurement files, run cards and shipped tables all read through here)."""
    import yaml

    from .errors import DataError

    path = Path(path)
    try:
        return yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise DataError(f"{what} {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{what} {path} is not valid YAML: {exc}") from None


def write_json(path: str | Path, data: Any) -> Path:
    """Strict JSON (NaN/inf as null, listed under ``non_finite_as_null``), written atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(dumps_json(data, indent=2) + "\n")
    return Path(path)


def write_npz(path: str | Path, **arrays) -> Path:
    with atomic_path(path, suffix=".npz") as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **{k: np.asarray(v) for k, v in arrays.items()})
    return Path(path)


def save_figure(fig, path: str | Path, **kwargs) -> Path:
    """Save a matplotlib figure atomically (format from the suffix of ``path``)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip("."), **kwargs)
    return path
