"""Xenon detectors: the target, the response (resolution, efficiency) and the signal
spectra in reconstructed energy for solar-neutrino up-scattering to an HNL.

The target (shells, A, Z) is hnlfit/data/xenonnt_sr0_er/xenon_target.yaml (README.txt: the release and its citation).  The detector
response folds the true recoil spectrum with a Gaussian resolution
σ(E) = a √E + b E (E in keV; XENONnT SR0: a = 0.31, b = 0.0037, arXiv:2207.11330) and
multiplies by the efficiency ε(E_rec):

    dR/dE_rec = ε(E_rec) ∫ dT G(E_rec − T; σ(T)) dR/dT.

``signal_table`` tabulates the expected counts per reconstructed-energy bin, per unit
exposure and per GeV⁻² of μ_i², on a grid of HNL masses (cached on disk by content hash).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ...cache import cached_table
from ...io import read_yaml
from .rates import true_rate_per_eigenstate

KEV = 1e-6
MASS_GRID = np.geomspace(1e-7, 0.2, 141)   # GeV; below 1e-7 the spectra equal the massless ones
_VERSION = "lowenergy-xenon-1"


def data_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "xenonnt_sr0_er"))


@lru_cache(maxsize=None)
def target() -> dict:
    y = read_yaml(data_dir() / "xenon_target.yaml", "xenon target file")
    return {"Z": y["Z"], "A": y["A"], "atomic_mass_u": y["atomic_mass_u"],
            "shells": {k: tuple(v) for k, v in y["shells"].items()}}


@lru_cache(maxsize=None)
def release_table(name: str) -> np.ndarray:
    """A text file of the XENONnT SR0 release (copied in hnlfit/data/xenonnt_sr0_er)."""
    return np.loadtxt(data_dir() / name)


def resolution_kev(E_kev, a: float, b: float):
    return a * np.sqrt(np.maximum(E_kev, 0.0)) + b * np.asarray(E_kev)


def smearing_matrix(t_kev, e_kev, a: float, b: float):
    """G[k, j] dT_j: probability density in reconstructed energy e_k (per keV) of a true
    deposit t_j, times the trapezoid weight of t_j (keV)."""
    t = np.asarray(t_kev)
    s = resolution_kev(t, a, b)
    g = np.exp(-0.5 * ((e_kev[:, None] - t[None, :]) / s[None, :]) ** 2) / (np.sqrt(2 * np.pi)
                                                                              * s[None, :])
    w = np.gradient(t)
    return g * w[None, :]


def signal_table(channel: str, edges_kev, resolution: tuple[float, float],
                 efficiency: tuple[np.ndarray, np.ndarray] | None, model: str = "B16-GS98",
                 masses=MASS_GRID, quenching: float | None = None) -> dict[str, np.ndarray]:
    """Counts per tonne-year in the bins ``edges_kev`` of reconstructed energy, per GeV⁻² of
    μ_i², shape (n_mass, n_bins, 3).  ``efficiency`` = (E_keV, ε) interpolated linearly
    (None: ε = 1).  For nuclear recoils an optional constant ``quenching`` (keVee/keVnr)
    maps true recoil to the reconstructed scale before smearing."""
    edges = np.asarray(edges_kev, dtype=np.float64)
    desc = {"version": _VERSION, "channel": channel, "edges": edges.tolist(),
            "resolution": list(resolution), "model": model,
            "masses": np.asarray(masses).tolist(), "quenching": quenching,
            "efficiency": None if efficiency is None else
            [np.asarray(efficiency[0]).tolist(), np.asarray(efficiency[1]).tolist()],
            "target": target()}

    def compute():
        return {"masses": np.asarray(masses), "edges": edges,
                "counts": _signal_counts(channel, edges, resolution, efficiency, model,
                                         np.asarray(masses), quenching)}
    return cached_table(f"xenon_signal_{channel}", desc, compute)


def _signal_counts(channel, edges, resolution, efficiency, model, masses, quenching):
    q = 1.0 if quenching is None else quenching
    lo = max(0.5 * edges[0], 0.05) / q if channel == "electron" else 0.05
    hi = (edges[-1] + 6.0 * resolution_kev(edges[-1], *resolution)) / q
    t_kev = np.linspace(lo, hi, 1200)
    fine = np.linspace(edges[0], edges[-1], 40 * (len(edges) - 1) + 1)
    G = smearing_matrix(q * t_kev, fine, *resolution) * q       # per keV of true energy
    eff = (np.ones_like(fine) if efficiency is None
           else np.interp(fine, efficiency[0], efficiency[1], left=0.0, right=0.0))
    out = np.zeros((len(masses), len(edges) - 1, 3))
    idx = np.searchsorted(fine, edges)
    for im, m in enumerate(masses):
        r = true_rate_per_eigenstate(t_kev * KEV, m, channel, target(), model) * KEV  # per keV
        rec = eff[:, None] * (G @ r)                               # per keV_rec
        cum = np.concatenate([np.zeros((1, 3)), np.cumsum(
            0.5 * (rec[1:] + rec[:-1]) * np.diff(fine)[:, None], axis=0)])
        out[im] = cum[idx[1:]] - cum[idx[:-1]]
    return out


def weighted_in_mass(table: dict, m_N, weights):
    """Σ_i weights_i counts_i(m_N), shape m_N.shape + (n_bins,), interpolated like
    :func:`interpolate_in_mass` but without building the (..., bins, 3) array: the points
    are grouped by their mass-grid interval (a loop over at most the grid size)."""
    masses, counts = table["masses"], table["counts"]
    m, w = np.broadcast_arrays(np.asarray(m_N, dtype=np.float64)[..., None],
                               np.asarray(weights, dtype=np.float64))
    shape = m.shape[:-1]
    m, w = m[..., 0].ravel(), w.reshape(-1, 3)
    lx = np.log(masses)
    x = np.log(np.clip(m, masses[0], masses[-1]))
    j = np.clip(np.searchsorted(lx, x) - 1, 0, len(lx) - 2)
    f = (x - lx[j]) / (lx[j + 1] - lx[j])
    out = np.zeros((m.size, counts.shape[1]))
    order = np.argsort(j, kind="stable")
    bounds = np.flatnonzero(np.diff(j[order])) + 1
    for idx in np.split(order, bounds):
        if idx.size == 0:
            continue
        k = j[idx[0]]
        out[idx] = (((1.0 - f[idx])[:, None] * w[idx]) @ counts[k].T
                    + (f[idx][:, None] * w[idx]) @ counts[k + 1].T)
    out[m > masses[-1]] = 0.0
    return out.reshape(shape + (counts.shape[1],))


def interpolate_in_mass(table: dict, m_N):
    """counts(m_N) (shape m_N.shape + (n_bins, 3)), linear in log m between table masses;
    masses below the grid take the lightest entry, above it 0 (kinematically closed)."""
    masses, counts = table["masses"], table["counts"]
    m = np.asarray(m_N, dtype=np.float64)
    x = np.log(np.clip(m, masses[0], masses[-1]))
    lx = np.log(masses)
    j = np.clip(np.searchsorted(lx, x) - 1, 0, len(lx) - 2)
    f = ((x - lx[j]) / (lx[j + 1] - lx[j]))[..., None, None]
    out = (1.0 - f) * counts[j] + f * counts[j + 1]
    return np.where((m > masses[-1])[..., None, None], 0.0, out)


# ---------------------------------------------------------------------------------------
# nuclear recoils above a threshold (the XENONnT 8B CEvNS analysis, arXiv:2408.02877)
# ---------------------------------------------------------------------------------------
def _nr_grid(threshold_kev: float):
    return np.geomspace(threshold_kev, 8.0, 160) * KEV


def sm_cevns_counts(threshold_kev: float, model: str = "B16-GS98") -> float:
    """SM CEvNS events per tonne-year above a sharp threshold (true NR energy) from 8B + hep
    (all flavours couple equally, so oscillations drop out)."""
    from . import solar
    from .cross_sections import GEV2_TO_CM2, dsigma_dT_cevns
    from .rates import nucleus_mass
    from ...constants import SECONDS_PER_YEAR
    tg = target()
    m_a = nucleus_mass(tg)
    T = _nr_grid(threshold_kev)
    total = np.zeros_like(T)
    for s in ("8B", "hep"):
        E = np.linspace(1e-4, solar.endpoint(s), 4000)
        f = solar.spectrum(s, E)
        sig = dsigma_dT_cevns(E[None, :], T[:, None], tg["Z"], tg["A"] - tg["Z"], tg["A"], m_a)
        total += solar.fluxes(model)[s] * np.trapezoid(f * sig, E, axis=1)
    atoms = 1e6 / tg["A"] * 6.02214076e23
    return float(np.trapezoid(total, T) * atoms * GEV2_TO_CM2 * SECONDS_PER_YEAR)


def calibrated_threshold_kev(sm_events_per_t_yr: float, model: str = "B16-GS98") -> float:
    """The sharp NR threshold at which the SM 8B+hep CEvNS rate equals the analysis's
    (efficiency-weighted) expectation: a stand-in for the unpublished efficiency curve."""
    from scipy.optimize import brentq
    return float(brentq(lambda x: sm_cevns_counts(x, model) - sm_events_per_t_yr, 0.1, 5.0,
                        xtol=1e-6))


def nr_count_table(threshold_kev: float, model: str = "B16-GS98", masses=MASS_GRID) -> dict:
    """Dipole up-scattering NR events per tonne-year above the threshold, per GeV⁻² of μ_i²,
    shape (n_mass, 1, 3) (the layout of signal_table, one bin)."""
    desc = {"version": _VERSION + "-nr", "threshold": threshold_kev, "model": model,
            "masses": np.asarray(masses).tolist(), "target": target()}
    T = _nr_grid(threshold_kev)

    def compute():
        out = np.stack([np.trapezoid(true_rate_per_eigenstate(T, m, "nucleus", target(), model),
                                     T, axis=0) for m in masses])
        return {"masses": np.asarray(masses), "counts": out[:, None, :]}
    return cached_table("xenon_nr_counts", desc, compute)
