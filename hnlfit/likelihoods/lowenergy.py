"""Likelihood terms of the low-energy dipole portal (issue 13).

* :class:`SolarSpectrumTerm` (kind ``solar_spectrum``) -- a binned Poisson likelihood of a
  recoil spectrum in reconstructed energy (XENONnT SR0 on its public data; XENON1T, LZ,
  PandaX-4T, XENONnT full exposure as Asimov expectations).  Bins of ``bin_keV`` (default
  0.25 keV, finer than the resolution: practically unbinned), n_k observed, background
  θ b_k with one normalisation nuisance θ (free, or Gaussian-constrained with
  ``nuisance_sigma``) profiled per point by Newton steps, signal s_k(point) from
  :mod:`hnlfit.physics.lowenergy.xenon`:

      −2 ln L = 2 Σ_k [θ b_k + s_k − n_k ln(θ b_k + s_k)] + ((θ − 1)/σ_θ)²,
      Δχ²(point) = min_θ(−2 ln L)(s) − min_θ(−2 ln L)(0)     (0 at the no-HNL point).

  A point is excluded at CL where Δχ² exceeds χ²_1(CL) (2.71 at 90%, the two-sided
  Wilks threshold; ``one_sided: true`` gives 1.64).
* :class:`AstroRatioTerm` (kinds ``sn1987a``, ``stellar_cooling``, ``bbn_thermal``) -- an
  astrophysical or cosmological quantity over its bound, r(point) = X/X_max (energy-loss
  rate, γ-ray fluence, ΔN_eff at BBN), as a half-Gaussian: Δχ² = z²_CL r², excluded where
  r > 1 (hnlfit/physics/lowenergy/{supernova,stellar,cosmology}.py; each YAML entry states
  its model parameters).
* :class:`SolarRateLimit` (kind ``solar_rate_limit``) -- an approximate term from a published
  m_N → 0 limit (Borexino): the signal rate in the experiment's recoil window, normalised
  to the rate at the published limit, enters a half-Gaussian as in ``upper_limit``:
  Δχ² = z²_CL (S(point)/S_lim)², extended in m_N through the recoil-threshold kinematics.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
from scipy import stats

from .. import constants as c
from ..errors import DataError
from ..physics.lowenergy import cosmology, solar, stellar, supernova, xenon
from ..physics.lowenergy.rates import true_rate_per_eigenstate
from .terms import Term, one_sided_z

_FILE = {"type": "string"}
DETECTOR = {
    "type": "object",
    "properties": {
        "channel": {"enum": ["electron", "nucleus"]},
        "exposure_t_yr": {"type": "number", "exclusiveMinimum": 0},
        "window_keV": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                       "maxItems": 2},
        "bin_keV": {"type": "number", "exclusiveMinimum": 0},
        "resolution": {"type": "object", "properties": {"a": {"type": "number"},
                                                         "b": {"type": "number"}},
                       "required": ["a", "b"], "additionalProperties": False},
        "efficiency_file": _FILE,
        "efficiency": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "quenching": {"type": "number", "exclusiveMinimum": 0},
        "background_file": _FILE,
        "background_flat": {"type": "number", "exclusiveMinimum": 0},
        "background_scale": {"type": "number", "exclusiveMinimum": 0},
        "data_unbinned_file": _FILE,
        "asimov": {"type": "boolean"},
        "nuisance_sigma": {"type": "number", "exclusiveMinimum": 0},
        "solar_model": {"enum": list(solar.MODELS)},
        "flavour": {"enum": ["mass", "incoherent"]},
        "one_sided": {"type": "boolean"},
    },
    "required": ["channel", "exposure_t_yr", "window_keV", "resolution"],
    "additionalProperties": False,
}
RATE_LIMIT = {
    "type": "object",
    "properties": {
        "window_keV": DETECTOR["properties"]["window_keV"],
        "mu_limit_muB": {"type": "number", "exclusiveMinimum": 0},
        "solar_model": {"enum": list(solar.MODELS)},
        "flavour": {"enum": ["mass", "incoherent"]},
    },
    "required": ["window_keV", "mu_limit_muB"],
    "additionalProperties": False,
}
RESOURCE_PREFIX = "hnlfit:"


def _resolve(path_text: str, entry: dict) -> Path:
    if path_text.startswith(RESOURCE_PREFIX):
        return Path(str(resources.files("hnlfit").joinpath(path_text[len(RESOURCE_PREFIX):])))
    p = Path(path_text)
    return p if p.is_absolute() else Path(entry.get("source_file", ".")).parent / p


def _validate(entry: dict, key: str, schema: dict) -> dict:
    try:
        jsonschema.validate(entry[key], schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(x) for x in exc.absolute_path) or key
        raise DataError(f"measurement {entry['name']!r}: {key}/{where}: {exc.message}") from None
    return dict(entry[key])


def _couplings(point, flavour: str):
    """μ_i² weights (GeV⁻²) of the three mass-eigenstate tables: μ = 2d."""
    return 4.0 * solar.coupling_weights(point["d_gamma_e"], point["d_gamma_mu"],
                                        point["d_gamma_tau"], flavour)


class SolarSpectrumTerm(Term):
    """Binned Poisson spectrum with a profiled background normalisation (module doc)."""

    def __init__(self, entry: dict):
        det = _validate(entry, "detector", DETECTOR)
        self.name = entry["name"]
        self.reference = entry.get("_reference", "")
        self.cl = float(entry.get("cl", 0.90))
        self.projection = bool(entry.get("projection", False))
        self.flavour = det.get("flavour", "mass")
        self.exposure = float(det["exposure_t_yr"])
        lo, hi = det["window_keV"]
        width = float(det.get("bin_keV", 0.25))
        nb = max(1, int(round((hi - lo) / width)))
        self.edges = np.linspace(lo, hi, nb + 1)
        centres = 0.5 * (self.edges[1:] + self.edges[:-1])
        eff = None
        if "efficiency_file" in det:
            t = np.loadtxt(_resolve(det["efficiency_file"], entry))
            eff = (t[:, 0], t[:, 1])
        elif "efficiency" in det:
            eff = (np.array([0.0, 1e6]), np.full(2, float(det["efficiency"])))
        res = (float(det["resolution"]["a"]), float(det["resolution"]["b"]))
        self.table = xenon.signal_table(det["channel"], self.edges, res, eff,
                                        det.get("solar_model", "B16-GS98"),
                                        quenching=det.get("quenching"))
        self.background = self._background(det, entry, centres) * self.exposure
        if det.get("asimov", False):
            self.n_obs = self.background.copy()
            self.kind = "Asimov (background only)"
        elif "data_unbinned_file" in det:
            events = np.loadtxt(_resolve(det["data_unbinned_file"], entry))
            self.n_obs = np.histogram(events, self.edges)[0].astype(float)
            self.kind = f"{int(self.n_obs.sum())} events"
        else:
            raise DataError(f"measurement {self.name!r}: the detector needs "
                            "data_unbinned_file or asimov: true")
        self.sigma_theta = det.get("nuisance_sigma")
        self.one_sided = bool(det.get("one_sided", False))
        self._q0 = None

    def _background(self, det, entry, centres):
        scale = float(det.get("background_scale", 1.0))
        if "background_file" in det:
            b = np.loadtxt(_resolve(det["background_file"], entry))
            fine = np.linspace(self.edges[0], self.edges[-1], 20 * (len(self.edges) - 1) + 1)
            rate = np.interp(fine, b[:, 0], b[:, 1], left=0.0, right=0.0)
            cum = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1])
                                                   * np.diff(fine))])
            idx = np.searchsorted(fine, self.edges)
            return scale * (cum[idx[1:]] - cum[idx[:-1]])
        if "background_flat" in det:
            return scale * float(det["background_flat"]) * np.diff(self.edges)
        raise DataError(f"measurement {self.name!r}: the detector needs background_file or "
                        "background_flat")

    # -- the model -------------------------------------------------------------------
    @property
    def parameters(self) -> set[str]:
        return {"m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau"}

    def signal(self, point) -> np.ndarray:
        """Expected signal counts per bin, shape point.shape + (n_bins,)."""
        w = _couplings(point, self.flavour)                        # (..., 3)
        return self.exposure * xenon.weighted_in_mass(self.table, point["m_N"], w)

    def _profiled(self, s: np.ndarray) -> np.ndarray:
        """min over θ of −2 ln L (up to data-only constants); Newton steps on the points not
        yet converged (a point whose optimum is at the θ floor stops there)."""
        b, n = self.background, self.n_obs
        shape = s.shape[:-1]
        s2 = s.reshape(-1, s.shape[-1])
        theta = np.ones(s2.shape[0])
        inv_var = 0.0 if self.sigma_theta is None else 1.0 / self.sigma_theta ** 2
        active = np.arange(s2.shape[0])
        for _ in range(40):
            if active.size == 0:
                break
            th = theta[active]
            mu = np.maximum(th[:, None] * b + s2[active], 1e-300)
            r = n / mu
            g = b.sum() - r @ b + (th - 1.0) * inv_var
            h = (r / mu) @ (b * b) + inv_var
            new = np.maximum(th - g / h, 1e-6)
            theta[active] = new
            done = (np.abs(new - th) < 1e-9 * np.maximum(new, 1e-3)) | ((new <= 1e-6) & (g > 0))
            active = active[~done]
        mu = np.maximum(theta[:, None] * b + s2, 1e-300)
        nll = 2.0 * (mu.sum(-1) - (n * np.log(mu)).sum(-1))
        return (nll + (theta - 1.0) ** 2 * inv_var).reshape(shape)

    def chi2(self, point) -> np.ndarray:
        if self._q0 is None:
            self._q0 = float(self._profiled(np.zeros((1, len(self.background))))[0])
        sig = self.signal(point)
        # exactly 0 without signal (the batched Newton sums may differ in the last digit)
        return np.where(sig.sum(-1) > 0, self._profiled(sig) - self._q0, 0.0)

    # -- plane-card interface ----------------------------------------------------------
    def threshold(self, cl: float | None = None) -> float:
        cl = self.cl if cl is None else cl
        return one_sided_z(cl) ** 2 if self.one_sided else float(stats.chi2.ppf(cl, 1))

    def pull_at(self, point) -> np.ndarray:
        return np.sqrt(np.maximum(self.chi2(point), 0.0))

    def exclusion_z(self, cl: float = 0.90) -> float:
        return float(np.sqrt(self.threshold(self.cl)))

    def describe(self) -> str:
        return (f"binned Poisson, {len(self.background)} bins {self.edges[0]:g}-"
                f"{self.edges[-1]:g} keV, {self.kind}, B={self.background.sum():.1f}, "
                f"{self.exposure:g} t yr ({100 * self.cl:g}% CL: dchi2 > "
                f"{self.threshold():.2f})")

    def breakdown(self, point) -> list[dict[str, Any]]:
        chi2 = self.chi2(point)
        return [{"term": self.name, "observable": None, "data": self.describe(),
                 "prediction": self.signal(point).sum(-1), "pull": np.sqrt(np.abs(chi2)),
                 "chi2": chi2, "reference": self.reference}]


class SolarRateLimit(Term):
    """A published m_N → 0 limit μ < μ_lim turned into a rate term (module doc)."""

    def __init__(self, entry: dict):
        spec = _validate(entry, "limit", RATE_LIMIT)
        self.name = entry["name"]
        self.reference = entry.get("_reference", "")
        self.cl = float(entry.get("cl", 0.90))
        self.z = one_sided_z(self.cl)
        self.flavour = spec.get("flavour", "incoherent")
        lo, hi = (x * xenon.KEV for x in spec["window_keV"])
        self.window = (lo, hi)
        t = np.geomspace(lo, hi, 400)
        masses = xenon.MASS_GRID
        model = spec.get("solar_model", "B16-GS98")
        carbon = {"Z": 6, "A": 12.0, "atomic_mass_u": 12.0, "shells": {}}
        r = np.stack([np.trapezoid(true_rate_per_eigenstate(t, m, "electron", carbon, model,
                                                            n_per_tonne=1.0), t, axis=0)
                      for m in masses])                           # (n_mass, 3)
        self.table = {"masses": masses, "counts": r[:, None, :]}
        mu_lim = spec["mu_limit_muB"] * c.MU_BOHR_GEV
        # the published limit is a flavour-universal effective moment (incoherent, equal μ)
        self.s_lim = float(mu_lim ** 2 * r[0].sum())

    @property
    def parameters(self) -> set[str]:
        return {"m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau"}

    def rate_ratio(self, point):
        w = _couplings(point, self.flavour)
        r = xenon.interpolate_in_mass(self.table, point["m_N"])[..., 0, :]
        return (r * w).sum(-1) / self.s_lim

    def pull_at(self, point):
        return self.z * self.rate_ratio(point)

    def chi2(self, point):
        return self.pull_at(point) ** 2

    def exclusion_z(self, cl: float = 0.90) -> float:
        return self.z

    def describe(self) -> str:
        return (f"rate in {self.window[0] * 1e3:g}-{self.window[1] * 1e3:g} MeV < published-"
                f"limit rate ({100 * self.cl:g}% CL)")

    def breakdown(self, point):
        return [{"term": self.name, "observable": None, "data": self.describe(),
                 "prediction": self.rate_ratio(point), "pull": self.pull_at(point),
                 "chi2": self.chi2(point), "reference": self.reference}]


_NUM = {"type": "number"}
_POS = {"type": "number", "exclusiveMinimum": 0}
SN_MODEL = {
    "type": "object",
    "properties": {
        "mode": {"enum": ["energy_loss", "gamma_rays"]},
        "T_MeV": _POS, "rho_g_cm3": _POS, "Y_e": _POS, "R_km": _POS,
        "eps_max_erg_g_s": _POS, "cooling_s": _POS, "mu_nue_MeV": _NUM,
        "window_MeV": {"type": "array", "items": _POS, "minItems": 2, "maxItems": 2},
        "delay_s": _POS, "fluence_limit_cm2": _POS, "distance_kpc": _POS, "r_env_cm": _POS,
    },
    "required": ["mode"],
    "additionalProperties": False,
}
STAR_MODEL = {
    "type": "object",
    "properties": {"T_K": _POS, "rho_g_cm3": _POS, "Y_e": _POS, "eps_max_erg_g_s": _POS},
    "required": ["T_K", "rho_g_cm3", "Y_e", "eps_max_erg_g_s"],
    "additionalProperties": False,
}
BBN_MODEL = {
    "type": "object",
    "properties": {"T_RH_GeV": _POS, "delta_neff_max": _POS, "t_bbn_s": _POS,
                   "t_end_s": _POS},
    "required": ["delta_neff_max"],
    "additionalProperties": False,
}


def _mu_squares(point):
    """(μ_e², μ_μ² + μ_τ²) in GeV⁻², μ = 2d."""
    e = 4.0 * np.asarray(point["d_gamma_e"]) ** 2
    x = 4.0 * (np.asarray(point["d_gamma_mu"]) ** 2 + np.asarray(point["d_gamma_tau"]) ** 2)
    return e, x


def _sn_ratio(spec: dict):
    core = supernova.Core(T=spec.get("T_MeV", 30.0) * 1e-3, rho=spec.get("rho_g_cm3", 3e14),
                          Y_e=spec.get("Y_e", 0.3), R_km=spec.get("R_km", 10.0),
                          eps_max=spec.get("eps_max_erg_g_s", 1e19),
                          cooling_s=spec.get("cooling_s", 10.0),
                          mu_nue=spec.get("mu_nue_MeV", 0.0) * 1e-3)
    if spec["mode"] == "energy_loss":
        def ratio(p):
            eps, esc = supernova.energy_loss(p["m_N"], *_mu_squares(p), core)
            return eps * esc / core.eps_max
        return ratio, f"one-zone core T = {1e3 * core.T:g} MeV, rho = {core.rho:.3g}: " \
                      f"eps < {core.eps_max:.3g} erg/g/s"
    window = tuple(x * 1e-3 for x in spec.get("window_MeV", [25.0, 100.0]))
    flim = spec.get("fluence_limit_cm2", 0.6)

    def ratio(p):
        return supernova.gamma_fluence(p["m_N"], *_mu_squares(p), core, window,
                                       spec.get("delay_s", 223.0),
                                       spec.get("distance_kpc", 51.4),
                                       spec.get("r_env_cm", 3e12)) / flim
    return ratio, f"photon fluence {window[0] * 1e3:g}-{window[1] * 1e3:g} MeV < {flim:g} cm^-2"


def _star_ratio(spec: dict):
    T = spec["T_K"] * stellar.KELVIN_TO_GEV

    def ratio(p):
        e, x = _mu_squares(p)
        return stellar.energy_loss_rate(p["m_N"], e + x, T, spec["rho_g_cm3"],
                                        spec["Y_e"]) / spec["eps_max_erg_g_s"]
    return ratio, f"plasmon decay eps < {spec['eps_max_erg_g_s']:g} erg/g/s"


def _bbn_ratio(spec: dict):
    trh = spec.get("T_RH_GeV", np.inf)

    def ratio(p):
        return cosmology.delta_n_eff_bbn(p, trh, spec.get("t_bbn_s", 1.0),
                                         spec.get("t_end_s", 180.0)) / spec["delta_neff_max"]
    return ratio, f"Delta N_eff(BBN) < {spec['delta_neff_max']:g} (T_RH = {trh:g} GeV)"


class AstroRatioTerm(Term):
    """r(point) = X/X_max of an astrophysical/cosmological bound (module doc)."""

    _MODELS = {"sn1987a": (SN_MODEL, _sn_ratio), "stellar_cooling": (STAR_MODEL, _star_ratio),
               "bbn_thermal": (BBN_MODEL, _bbn_ratio)}

    def __init__(self, entry: dict):
        schema_, make = self._MODELS[entry["kind"]]
        spec = _validate(entry, "model", schema_)
        self.name = entry["name"]
        self.reference = entry.get("_reference", "")
        self.cl = float(entry.get("cl", 0.90))
        self.z = one_sided_z(self.cl)
        self._ratio, self._describe = make(spec)

    @property
    def parameters(self) -> set[str]:
        return {"m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau"}

    def ratio(self, point):
        return np.nan_to_num(np.asarray(self._ratio(point), dtype=np.float64), nan=0.0)

    def pull_at(self, point):
        return self.z * self.ratio(point)

    def chi2(self, point):
        return self.pull_at(point) ** 2

    def exclusion_z(self, cl: float = 0.90) -> float:
        return self.z

    def describe(self) -> str:
        return self._describe

    def breakdown(self, point):
        return [{"term": self.name, "observable": None, "data": self.describe(),
                 "prediction": self.ratio(point), "pull": self.pull_at(point),
                 "chi2": self.chi2(point), "reference": self.reference}]


def build(entry: dict, reference: str) -> Term:
    """The term of a ``solar_spectrum``, ``solar_rate_limit``, ``sn1987a``,
    ``stellar_cooling`` or ``bbn_thermal`` entry."""
    entry = {**entry, "_reference": reference}
    if entry["kind"] == "solar_spectrum":
        return SolarSpectrumTerm(entry)
    if entry["kind"] == "solar_rate_limit":
        return SolarRateLimit(entry)
    return AstroRatioTerm(entry)
