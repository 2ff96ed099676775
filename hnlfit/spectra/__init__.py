"""Forward meson spectra shipped with hnlfit: loading, normalisation, comparison with seed 003.

The tables (``hnlfit/data/spectra/14TeV/<meson>.npz`` with ``metadata.json``) were generated
by the project with Pythia 8 (:mod:`hnlfit.spectra.generate`, ``hnlfit spectra generate``,
``tools/generate_spectra.py``).  Each holds the cross section per forward hemisphere of pp
collisions at √s = 14 TeV in bins of (log10 θ, log10 p) (θ in rad from the beam axis, p in
GeV); charged mesons hold both charge states.

``normalise``:
  ``"none"``     Pythia's own totals (σ_inel for light mesons, LO σ(cc̄), σ(bb̄), NRQCD onia,
                 LO σ(pp → W±), σ(pp → Z));
  ``"seed003"``  each meson rescaled so that its hemisphere total equals seed 003 Table 1
                 (2308.16608, from FORESEE 2105.07077; × 2 for the charged mesons, whose
                 Table 1 entry is one charge state).  The shape stays Pythia's.
  ``"nnlo"``     W⁺, W⁻, Z rescaled to the NNLO inclusive cross sections of
                 ``hnlfit/data/ew_boson_xsec_14TeV.yaml`` (MSTW 2008, arXiv:0901.0002), half
                 per hemisphere.  Shape from Pythia (LO matrix element + ISR shower).

W⁺, W⁻ and Z (``BOSONS``) are stored like the mesons, one table per charge state.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import DataError

NORMALISATIONS = ("none", "seed003", "nnlo")
BOSONS = ("Wplus", "Wminus", "Z")

def _seed003_table1() -> dict[str, float]:
    from ..io import read_yaml
    path = Path(str(resources.files("hnlfit") / "data" / "meson_xsec_seed003.yaml"))
    data = read_yaml(path, "meson cross-section file")["sigma_hemisphere_fb"]
    return {k: float(v) for k, v in data.items()}


#: seed 003 (2308.16608) Table 1: σ per forward hemisphere at 14 TeV in fb, one charge state
#: for the charged mesons (FORESEE spectra, 2105.07077); hnlfit/data/meson_xsec_seed003.yaml
SEED003_TABLE1_FB = _seed003_table1()
CHARGED = ("pi", "K", "D", "Ds", "B")


def _boson_xsec_file() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "ew_boson_xsec_14TeV.yaml"))


@lru_cache(maxsize=None)
def boson_xsec_data() -> dict:
    """The NNLO W/Z cross-section data file (values with their reference)."""
    from ..io import read_yaml
    return read_yaml(_boson_xsec_file(), "W/Z cross-section file")


def nnlo_boson_xsec_fb(boson: str) -> float:
    """Inclusive NNLO σ(pp → boson) at 14 TeV in fb, both hemispheres: the source's σ × B
    divided by the B it used (``hnlfit/data/ew_boson_xsec_14TeV.yaml``)."""
    entry = boson_xsec_data()["bosons"].get(boson)
    if entry is None:
        raise DataError(f"no NNLO cross section for {boson!r}; have {BOSONS}")
    return float(entry["sigma_times_br_nb"]) / float(entry["branching_ratio"]) * 1.0e6


def spectra_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "spectra" / "14TeV"))


@lru_cache(maxsize=None)
def metadata(folder: str | None = None) -> dict:
    path = Path(folder or spectra_dir()) / "metadata.json"
    if not path.exists():
        raise DataError(f"no meson spectra metadata at {path}; generate the tables with "
                        "`hnlfit spectra generate`")
    return json.loads(path.read_text())


def content_hash(group: str = "mesons", folder: str | None = None) -> str:
    """The sha256 prefixes of the tables of one group ("mesons" or "bosons"), for the keys of
    the tables derived from them (:func:`hnlfit.cache.cached_table`)."""
    meta = metadata(folder)
    return "/".join(f"{name}:{meta['processes'][proc][group][name]['sha256'][:16]}"
                    for name, proc in sorted(meta.get(group, {}).items()))


@dataclass(frozen=True)
class Spectrum:
    """σ per forward hemisphere (fb) in bins of (log10 θ, log10 p)."""

    meson: str
    sigma_fb: np.ndarray          # (n_theta, n_p)
    sigma_err_fb: np.ndarray      # statistical (Monte Carlo) error per bin
    log10_theta_edges: np.ndarray
    log10_p_edges: np.ndarray
    scale: float = 1.0            # normalisation factor applied to Pythia's totals
    normalise: str = "none"

    @property
    def total_fb(self) -> float:
        return float(self.sigma_fb.sum())

    @property
    def theta_centres(self) -> np.ndarray:
        e = self.log10_theta_edges
        return 10 ** (0.5 * (e[1:] + e[:-1]))

    @property
    def p_centres(self) -> np.ndarray:
        e = self.log10_p_edges
        return 10 ** (0.5 * (e[1:] + e[:-1]))


@lru_cache(maxsize=64)
def _load_raw(meson: str, folder: str) -> dict:
    path = Path(folder) / f"{meson}.npz"
    if not path.exists():
        from ..params import suggest
        have = sorted(p.stem for p in Path(folder).glob("*.npz"))
        raise DataError(f"no spectrum for meson {meson!r} in {folder} (have: "
                        f"{', '.join(have)}).{suggest(meson, have)}")
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def load_spectrum(meson: str, normalise: str = "none", folder: str | Path | None = None
                  ) -> Spectrum:
    """The shipped (or ``folder``'s) spectrum of ``meson``; see the module notes."""
    if normalise not in NORMALISATIONS:
        raise ValueError(f"normalise must be one of {NORMALISATIONS}, got {normalise!r}")
    folder = str(folder or spectra_dir())
    raw = _load_raw(meson, folder)
    per = float(raw["sigma_per_count_fb"])
    n = raw["counts"].astype(np.float64)
    sigma, err = n * per, np.sqrt(n) * per
    scale = 1.0
    if normalise != "none" and (meson in BOSONS) != (normalise == "nnlo"):
        raise ValueError(f"normalise={normalise!r} does not apply to {meson!r}: "
                         "'seed003' is for mesons, 'nnlo' for W/Z")
    if normalise == "nnlo":
        scale = 0.5 * nnlo_boson_xsec_fb(meson) / sigma.sum()
    elif normalise == "seed003":
        ref = SEED003_TABLE1_FB[meson] * (2 if meson in CHARGED else 1)
        scale = ref / sigma.sum()
    return Spectrum(meson, sigma * scale, err * scale, raw["log10_theta_edges"],
                    raw["log10_p_edges"], scale, normalise)


def comparison_table(folder: str | Path | None = None) -> list[dict]:
    """Per meson: generated σ per hemisphere, its statistical error, seed 003 Table 1 and the
    ratio (both for the charge states the table holds)."""
    meta = metadata(str(folder) if folder else None)
    rows = []
    for proc in meta["processes"].values():
        for m, b in proc.get("mesons", {}).items():
            rows.append({"meson": m, "process": proc["process"],
                         "sigma_fb": b["sigma_hemisphere_fb"],
                         "stat_err_fb": b["sigma_hemisphere_stat_err_fb"],
                         "seed003_fb": b["seed003_table1_fb"], "ratio": b["ratio_to_seed003"],
                         "n_events": proc["n_events"]})
    return rows
