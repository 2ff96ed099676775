"""On-disk cache for tabulated mass-only integrals: ``.npz`` files keyed by a content hash.

A table is identified by the SHA-256 of a JSON description of everything it depends on
(the function's name and version string, the grid, the physical inputs).  Change any input
and the key changes, so a stale table is never read.  Files are written to a temporary name
and renamed, so an interrupted run never leaves a half-written table.  No pickles: arrays
are loaded with ``allow_pickle=False``.

The folder is ``$HNLFIT_CACHE_DIR`` if set, else ``~/.cache/hnlfit``.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np


def cache_dir() -> Path:
    d = Path(os.environ.get("HNLFIT_CACHE_DIR", Path.home() / ".cache" / "hnlfit"))
    d.mkdir(parents=True, exist_ok=True)
    return d


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


def save_npz_atomic(path: Path, **arrays: np.ndarray) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_table(name: str, description: dict,
                 compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Return the arrays ``compute()`` makes, from disk when the same inputs were seen before.

    ``description`` must contain every input the table depends on (grids, constants, a
    version string bumped whenever the formula changes).
    """
    key = content_key({"name": name, **description})
    path = cache_dir() / f"{name}-{key[:20]}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as f:
                return {k: f[k] for k in f.files}
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # corrupt file: recompute
    arrays = {k: np.asarray(v) for k, v in compute().items()}
    save_npz_atomic(path, **arrays)
    return arrays
