"""On-disk cache for tabulated mass-only integrals: ``.npz`` files keyed by a content hash.

A table is identified by the SHA-256 of a JSON description of everything it depends on
(the function's name and version string, the grid, the physical inputs).  Change any input
and the key changes, so a stale table is never read.  Files are written to a temporary name
and renamed, so an interrupted run never leaves a half-written table; they get the
permissions of the umask like any other file.  No pickles: arrays are loaded with
``allow_pickle=False``.  Each file stores its full key, so a file that does not hold what
its name promises is not used.

The cache never breaks a computation: a file that cannot be read (0 bytes, truncated, not a
zip, another key) is discarded and recomputed with one :class:`~hnlfit.errors.CacheWarning`;
a folder that cannot be created or written (read-only, no ``HOME``) gives one warning and the
tables are computed and kept in memory for the process.

The folder is ``$HNLFIT_CACHE_DIR`` if set, else ``~/.cache/hnlfit``.
``hnlfit cache info | clear`` shows its size and empties it.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import CacheWarning

KEY_FIELD = "__hnlfit_cache_key__"
_MEMORY: dict[str, dict[str, np.ndarray]] = {}     # content key -> arrays (when not on disk)
_UNUSABLE: dict[str, str] = {}                     # folder -> why (warned once per folder)


def _folder() -> Path:
    env = os.environ.get("HNLFIT_CACHE_DIR")
    if env:
        return Path(env)
    try:
        return Path.home() / ".cache" / "hnlfit"
    except (RuntimeError, KeyError) as exc:        # no HOME and no password entry
        raise OSError(f"no home folder ({exc})") from None


def describe() -> str:
    try:
        return str(_folder())
    except OSError as exc:
        return f"(none: {exc})"


def _probe(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=d):
        pass


def cache_dir() -> Path | None:
    """The cache folder, created if needed; None (after one warning) if it is unusable."""
    try:
        d = _folder()
    except OSError as exc:
        key, why = "<home>", str(exc)
    else:
        key = str(d)
        if key not in _UNUSABLE:
            try:
                _probe(d)
                return d
            except OSError as exc:
                why = f"{exc.strerror or exc}"
        else:
            return None
    if key not in _UNUSABLE:
        _UNUSABLE[key] = why
        warnings.warn(f"hnlfit cache folder {key} is not usable ({why}); tables are computed "
                      "and kept in memory (set HNLFIT_CACHE_DIR to a writable folder)",
                      CacheWarning, stacklevel=3)
    return None


def content_key(description: dict) -> str:
    """SHA-256 of a canonical JSON rendering of ``description`` (arrays as lists)."""
    def default(o):
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, (np.floating, np.integer)):
            return o.item()
        raise TypeError(f"cannot hash {type(o).__name__} in a cache description")

    text = json.dumps(description, sort_keys=True, default=default)
    return hashlib.sha256(text.encode()).hexdigest()


def umask_mode(mode: int = 0o666) -> int:
    """``mode`` with the process umask applied (what ``open`` would give a new file)."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


def save_npz_atomic(path: Path, **arrays: np.ndarray) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.chmod(tmp, umask_mode())             # mkstemp makes 0600 whatever the umask
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path, key: str) -> dict[str, np.ndarray]:
    """The arrays of a cache file; any problem raises (the caller discards the file)."""
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    stored = arrays.pop(KEY_FIELD, None)
    if stored is not None and str(stored) != key:
        raise ValueError("it holds another table (content key mismatch)")
    if not arrays:
        raise ValueError("it holds no arrays")
    return arrays


def cached_table(name: str, description: dict,
                 compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Return the arrays ``compute()`` makes, from disk when the same inputs were seen before.

    ``description`` must contain every input the table depends on (grids, constants, a
    version string bumped whenever the formula changes).
    """
    key = content_key({"name": name, **description})
    if key in _MEMORY:
        return dict(_MEMORY[key])
    folder = cache_dir()
    path = folder / f"{name}-{key[:20]}.npz" if folder is not None else None
    if path is not None and path.exists():
        try:
            return _read(path, key)
        except Exception as exc:                # unreadable, truncated, 0 bytes, foreign
            warnings.warn(f"cache file {path} is unusable ({type(exc).__name__}: {exc}); "
                          "it is discarded and the table recomputed", CacheWarning,
                          stacklevel=2)
            try:
                path.unlink()
            except OSError:
                pass
    arrays = {k: np.asarray(v) for k, v in compute().items()}
    if path is None:
        _MEMORY[key] = arrays
        return dict(arrays)
    try:
        save_npz_atomic(path, **arrays, **{KEY_FIELD: np.asarray(key)})
    except OSError as exc:
        warnings.warn(f"cannot write cache file {path} ({exc.strerror or exc}); the table is "
                      "kept in memory", CacheWarning, stacklevel=2)
        _MEMORY[key] = arrays
    return arrays


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.is_file() and
                  (p.suffix == ".npz" or p.name.endswith(".tmp")))


def info() -> dict:
    """Folder, usability, number and size of the cached tables."""
    try:
        folder = _folder()
    except OSError as exc:
        return {"folder": None, "usable": False, "problem": str(exc), "files": 0, "bytes": 0,
                "tables": []}
    usable, problem = True, None
    try:
        _probe(folder)
    except OSError as exc:
        usable, problem = False, exc.strerror or str(exc)
    files = _files(folder) if folder.is_dir() else []
    tables = [{"name": p.name, "bytes": p.stat().st_size} for p in files]
    return {"folder": str(folder), "usable": usable, "problem": problem, "files": len(files),
            "bytes": sum(t["bytes"] for t in tables), "tables": tables}


def clear() -> tuple[int, int]:
    """Remove every cached table (and stale temporary files); (files, bytes) removed."""
    folder = _folder()
    n = size = 0
    if folder.is_dir():
        for p in _files(folder):
            s = p.stat().st_size
            p.unlink()
            n, size = n + 1, size + s
    _MEMORY.clear()
    return n, size
