"""Parton luminosities dL/dτ shipped with hnlfit (``hnlfit/data/lhc/``), read at run time.

The tables come from the NNPDF2.3 QCD+QED LO grid that Pythia 8 uses by default, through
Pythia's own interpolation (:mod:`hnlfit.physics.lhc.generate_luminosities`, ``hnlfit lhc
generate``; never run at run time).  Definitions (τ = ŝ/s, μ_F = k √ŝ, k = ½, 1, 2)::

    dL_ab/dτ(τ) = ∫_τ^1 dx/x [f_a(x, μ_F²) f_b(τ/x, μ_F²) + (a ↔ b)]
    σ(pp → X)   = Σ_ab ∫ dτ dL_ab/dτ σ̂_ab(τ s)                   (σ̂ symmetric in the beams)
    d²L/dτ dy   = F_ab(τ, y) + F_ab(τ, -y),   F_ab = f_a(√τ e^y) f_b(√τ e^-y)

Pairs: ``"uubar"``, ``"ddbar"``, ``"ssbar"``, ``"ccbar"``, ``"bbbar"`` and the charged-current
pairs ``"udbar"`` (u from one proton, d̄ from the other), ``"dubar"``, ``"usbar"``, ... (no CKM
factors).  Available √s: 13600 and 14000 GeV.  Interpolation: cubic spline of ln dL/dτ in
ln √ŝ on 261 points (2 GeV to 0.96 √s); zero outside.  The files are checked against the
SHA-256 recorded in ``metadata.json`` when first read (a modified table is an error).
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

from ...errors import DataError, ObservableError

SCALES = ("nominal", "down", "up")
SQRT_S_AVAILABLE = (13600.0, 14000.0)
NEUTRAL_PAIRS = ("ddbar", "uubar", "ssbar", "ccbar", "bbbar")
#: quark flavour of each neutral-current pair
PAIR_QUARK = {"ddbar": "d", "uubar": "u", "ssbar": "s", "ccbar": "c", "bbbar": "b"}


def data_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "lhc"))


@lru_cache(maxsize=None)
def metadata() -> dict:
    path = data_dir() / "metadata.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise DataError(f"luminosity metadata {path} is missing; run `hnlfit lhc generate`")


def _key(sqrt_s: float) -> str:
    rs = float(sqrt_s)
    for v in SQRT_S_AVAILABLE:
        if abs(rs - v) < 1e-6 * v:
            return f"{v:g}"
    raise ObservableError(f"sqrt_s = {rs:g} GeV: parton luminosities exist for "
                          f"{', '.join(f'{v:g}' for v in SQRT_S_AVAILABLE)} GeV only")


@lru_cache(maxsize=None)
def table(sqrt_s: float = 14000.0) -> dict[str, np.ndarray]:
    """All arrays of the luminosity file for √s (hash-checked)."""
    entry = metadata()["files"][_key(sqrt_s)]
    path = data_dir() / entry["file"]
    if not path.exists():
        raise DataError(f"luminosity table {path} is missing; run `hnlfit lhc generate`")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        raise DataError(f"luminosity table {path} does not match the SHA-256 in "
                        f"metadata.json ({digest[:12]} != {entry['sha256'][:12]}); regenerate "
                        "it with `hnlfit lhc generate`")
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def content_hash(sqrt_s: float = 14000.0) -> str:
    """SHA-256 of the table file (for cache keys of anything computed from it)."""
    return metadata()["files"][_key(sqrt_s)]["sha256"]


def _check_scale(scale: str) -> str:
    if scale not in SCALES:
        raise ObservableError(f"scale must be one of {SCALES} (mu_F = sqrt(s-hat) x 1, 1/2, 2)"
                              f", got {scale!r}")
    return scale


class LogSpline:
    """ln L(ln √ŝ) as a cubic spline on the positive part of the table; 0 elsewhere.  L may
    have a trailing axis of several luminosities (evaluated together, one spline call)."""

    def __init__(self, x: np.ndarray, L: np.ndarray):
        pos = np.all(np.reshape(L > 0, (len(x), -1)), axis=1)
        first = int(np.argmax(pos)) if pos.any() else len(L)
        if not np.all(pos[first:]):
            last = first + int(np.argmin(pos[first:]))
        else:
            last = len(L)
        self.lo, self.hi = x[first], x[last - 1]
        self.vector = L.ndim > 1
        self.spline = CubicSpline(x[first:last], np.log(L[first:last]), axis=0)

    def __call__(self, lnrs: np.ndarray) -> np.ndarray:
        inside = (lnrs >= self.lo) & (lnrs <= self.hi)
        val = self.spline(np.clip(lnrs, self.lo, self.hi))
        if self.vector:
            inside = inside[..., None]
        return np.where(inside, np.exp(val), 0.0)


@lru_cache(maxsize=None)
def _spline(pair: str, sqrt_s: float, scale: str) -> LogSpline:
    t = table(sqrt_s)
    name = f"L_{pair}_{_check_scale(scale)}"
    if name not in t:
        pairs = sorted({k[2:].rsplit('_', 1)[0] for k in t if k.startswith('L_')})
        raise ObservableError(f"no luminosity for parton pair {pair!r}; available: {pairs}")
    return LogSpline(np.log(t["sqrt_shat"]), t[name])


def dL_dtau(pair: str, sqrt_shat, sqrt_s: float = 14000.0, scale: str = "nominal"):
    """dL_ab/dτ at √ŝ (GeV, array) for one parton pair (both beam orderings summed)."""
    rs = np.asarray(sqrt_shat, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return _spline(pair, float(sqrt_s), scale)(np.log(rs))


def sqrt_shat_range(sqrt_s: float = 14000.0) -> tuple[float, float]:
    """(min, max) √ŝ of the tables in GeV."""
    rs = table(sqrt_s)["sqrt_shat"]
    return float(rs[0]), float(rs[-1])


def rapidity_table(pair: str, sqrt_s: float = 14000.0):
    """(√ŝ grid, u grid, F_ab(τ, u y_max)) at the nominal scale for the event sampler;
    y_max = -ln(τ)/2, parton a from beam 1."""
    t = table(sqrt_s)
    return t["sqrt_shat"], t["u"], t[f"F_{pair}"].astype(np.float64)


@lru_cache(maxsize=None)
def _combined(coefs: tuple, sqrt_s: float, scale: str) -> LogSpline:
    t = table(sqrt_s)
    total = np.zeros_like(t["sqrt_shat"])
    for pair, coef in coefs:
        total = total + coef * t[f"L_{pair}_{_check_scale(scale)}"]
    if np.any(total < 0):
        raise ValueError("combined luminosity must be non-negative")
    return LogSpline(np.log(t["sqrt_shat"]), total)


@lru_cache(maxsize=None)
def _combined_many(keys: tuple, sqrt_s: float, scale: str) -> LogSpline:
    t = table(sqrt_s)
    cols = []
    for coefs in keys:
        total = np.zeros_like(t["sqrt_shat"])
        for pair, coef in coefs:
            total = total + coef * t[f"L_{pair}_{_check_scale(scale)}"]
        if np.any(total < 0):
            raise ValueError("combined luminosity must be non-negative")
        cols.append(total)
    return LogSpline(np.log(t["sqrt_shat"]), np.stack(cols, axis=-1))


def combined_dL_dtau_many(coef_sets, sqrt_shat, sqrt_s: float = 14000.0,
                          scale: str = "nominal"):
    """Several weighted sums Σ_pairs coef × dL/dτ at once: array (..., len(coef_sets))."""
    keys = tuple(tuple(sorted((k, float(v)) for k, v in cs.items())) for cs in coef_sets)
    rs = np.asarray(sqrt_shat, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return _combined_many(keys, float(sqrt_s), scale)(np.log(rs))


def combined_dL_dtau(coefs: dict[str, float], sqrt_shat, sqrt_s: float = 14000.0,
                     scale: str = "nominal"):
    """Σ_pairs coef × dL_pair/dτ at √ŝ (one spline of the weighted sum, non-negative
    coefficients; used for coupling-weighted sums over quark flavours)."""
    key = tuple(sorted((k, float(v)) for k, v in coefs.items()))
    rs = np.asarray(sqrt_shat, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return _combined(key, float(sqrt_s), scale)(np.log(rs))


def describe() -> str:
    """A short text description of the shipped tables (``hnlfit lhc info``)."""
    m = metadata()
    lines = [f"PDF: {m['pdf']} ({m['pdf_file']}, pythia8mc {m['pythia8mc_version']})",
             f"grid: {m['grid']['n_tau']} points in sqrt(s-hat) from "
             f"{m['grid']['sqrt_shat_min_GeV']:g} GeV to {m['grid']['sqrt_shat_max_fraction']:g}"
             f" sqrt(s); scales mu_F/sqrt(s-hat) = {m['grid']['scales']}",
             f"pairs: {', '.join(m['pairs'])}"]
    for key, f in m["files"].items():
        lines.append(f"sqrt_s = {key} GeV: {f['file']} sha256 {f['sha256'][:16]}...")
    return "\n".join(lines)
