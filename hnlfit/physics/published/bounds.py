"""Published bounds on the photon dipole d_gamma, read from the HNLimits curve files.

The catalogue ``hnlfit/data/published_bounds/catalogue.yaml`` lists each curve with its
experiment, CL, units, flavour assumption and reference; the curve files are copied unchanged
from HNLimits 1.2.0 (MIT).  Each curve is turned once into a lower edge d_low(m) and, where the
region is bounded above, an upper edge d_top(m) (log-log outline crossings on a grid of 600
masses), and a point is compared with it through the *rate ratio*

    r = (d_eff / d_low(m))^2     for m inside the curve's mass range and d_eff < d_top(m),
    r = 0                        otherwise,

d_eff^2 = sum_alpha w_alpha d_gamma_alpha^2 with w = 1 for the flavours the bound is quoted
for, and w = 1/3 for bounds derived with flavour-universal couplings (Borexino, XENON1T,
SN 1987A, BBN: the rate of a single-flavour dipole is then the universal rate times the
flavour fraction of the flux, taken as 1/3).  r = 1 on the published curve, and the signal
rates behind these bounds scale as d^2, so an upper-limit term with limit 1 on r is a
half-Gaussian in the rate: chi2 = z_CL^2 (d/d_low)^4, z_CL^2 at the curve, at its published
CL.  This is an approximation (the published analyses had their own statistics, and above
the lower edge the rate need not scale as d^2 once the N decays inside the detector); it is
meant for "what does everything known exclude", not for precision fits.  Islands without a
lower edge (BBN) and the LEP curve of Magill et al. (replaced by hnlfit's own LEP terms)
have ``likelihood: false`` and are overlays only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ... import constants as c
from ...errors import DataError
from ...io import read_yaml
from ...params import FLAVOURS, suggest

_N_GRID = 600
MU_BOHR_TO_D = c.MU_BOHR_GEV / 2.0      # d = mu mu_B / 2 (L = (mu/2) nu-bar sigma F N)


def data_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "published_bounds"))


@dataclass(frozen=True)
class Curve:
    name: str
    experiment: str
    cl: float
    weights: dict                 # flavour -> weight of d_gamma_f^2 in d_eff^2
    top: str                      # "none" | "edge"
    likelihood: bool
    log_m: np.ndarray             # grid of log10 m (GeV)
    log_low: np.ndarray           # log10 d_low (GeV^-1)
    log_top: np.ndarray           # log10 d_top, +inf where unbounded
    references: tuple = field(default_factory=tuple)
    note: str = ""

    @property
    def m_range(self) -> tuple[float, float]:
        return 10.0 ** self.log_m[0], 10.0 ** self.log_m[-1]

    def d_low(self, m):
        """Lower edge d_low(m) in GeV^-1 (NaN outside the mass range)."""
        x = np.log10(np.asarray(m, dtype=np.float64))
        inside = (x >= self.log_m[0]) & (x <= self.log_m[-1])
        return np.where(inside, 10.0 ** np.interp(x, self.log_m, self.log_low), np.nan)

    def d_top(self, m):
        x = np.log10(np.asarray(m, dtype=np.float64))
        inside = (x >= self.log_m[0]) & (x <= self.log_m[-1])
        return np.where(inside, 10.0 ** np.interp(x, self.log_m, self.log_top), np.nan)

    def d_eff(self, point):
        return np.sqrt(sum(w * np.asarray(point[f"d_gamma_{f}"]) ** 2
                           for f, w in self.weights.items()))

    def rate_ratio(self, point):
        """(d_eff/d_low)^2 inside the excluded band's mass range and below its top edge."""
        m = np.asarray(point["m_N"], dtype=np.float64)
        x = np.log10(m)
        inside = (x >= self.log_m[0]) & (x <= self.log_m[-1])
        xc = np.clip(x, self.log_m[0], self.log_m[-1])
        low = 10.0 ** np.interp(xc, self.log_m, self.log_low)
        with np.errstate(over="ignore"):
            top = 10.0 ** np.interp(xc, self.log_m, self.log_top)
        d = self.d_eff(point)
        r = (d / low) ** 2
        return np.broadcast_to(np.where(inside & (d <= top), r, 0.0), point.shape) * 1.0


def _read_two_columns(path: Path) -> np.ndarray:
    rows = []
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.replace(",", " ").split()
        try:
            rows.append((float(parts[0]), float(parts[1])))
        except (ValueError, IndexError):
            raise DataError(f"curve file {path.name}: cannot read line {s!r}") from None
    if len(rows) < 2:
        raise DataError(f"curve file {path.name} has fewer than two points")
    return np.array(rows)


def _to_gev(a: np.ndarray, m_unit: str, y_unit: str, name: str) -> np.ndarray:
    scale_m = {"GeV": 1.0, "MeV": 1e-3}.get(m_unit)
    scale_y = {"GeV^-1": 1.0, "mu_B": MU_BOHR_TO_D}.get(y_unit)
    if scale_m is None or scale_y is None:
        raise DataError(f"published bound {name!r}: unknown units {m_unit!r} / {y_unit!r}")
    return np.column_stack([a[:, 0] * scale_m, a[:, 1] * scale_y])


def _outline_edges(poly: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest crossing of the closed outline (log10 m, log10 d) with vertical
    lines at ``grid``; vectorized over edges and grid."""
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    X = grid[:, None]
    lo, hi = np.minimum(x0, x1), np.maximum(x0, x1)
    hit = (X >= lo) & (X <= hi) & (hi > lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = y0 + (y1 - y0) * (X - x0) / (x1 - x0)
    low = np.where(hit, y, np.inf).min(axis=1)
    top = np.where(hit, y, -np.inf).max(axis=1)
    return low, top


def _build(name: str, e: dict) -> Curve:
    folder = data_dir()
    try:
        main = _to_gev(_read_two_columns(folder / e["file"]), e["m_unit"], e["y_unit"], name)
        fl = e["flavours"]
        if fl == "universal":
            weights = {f: 1.0 / 3.0 for f in FLAVOURS}
        else:
            if not set(fl) <= set(FLAVOURS):
                raise DataError(f"published bound {name!r}: unknown flavours {fl}")
            weights = {f: 1.0 for f in fl}
        top = e.get("top", "none")
        if top not in ("none", "edge"):
            raise DataError(f"published bound {name!r}: top must be 'none' or 'edge'")
        if "top_file" in e:
            upper = _to_gev(_read_two_columns(folder / e["top_file"]), e["m_unit"], e["y_unit"],
                            name)
            lower = main[np.argsort(main[:, 0])]
            upper = upper[np.argsort(upper[:, 0])]
            poly = np.vstack([lower, upper[::-1]])
        elif e.get("close") == "corner":
            # an open curve leaving the source figure through its top and its left side:
            # close it through that corner (catalogue.yaml, field `close`)
            poly = np.vstack([main, [[main[-1, 0], main[0, 1]]]])
        else:
            poly = main
        logp = np.log10(np.clip(poly, 1e-300, None))
        lo, hi = logp[:, 0].min(), logp[:, 0].max()
        eps = 1e-9 * (hi - lo)
        grid = np.linspace(lo + eps, hi - eps, _N_GRID)
        low, up = _outline_edges(logp, grid)
        ok = np.isfinite(low)
        grid, low, up = grid[ok], low[ok], up[ok]
        if top == "none":
            up = np.full_like(up, np.inf)
        return Curve(name=name, experiment=e["experiment"], cl=float(e["cl"]), weights=weights,
                     top=top, likelihood=bool(e.get("likelihood", True)), log_m=grid,
                     log_low=low, log_top=up, references=tuple(e.get("references", ())),
                     note=e.get("note", ""))
    except KeyError as exc:
        raise DataError(f"published bound {name!r} lacks the field {exc}") from None


@lru_cache(maxsize=None)
def catalogue() -> dict[str, Curve]:
    """All curves of the catalogue, in GeV and GeV^-1."""
    doc = read_yaml(data_dir() / "catalogue.yaml", "published-bounds catalogue")
    return {n: _build(n, e) for n, e in doc["curves"].items()}


def get_curve(name: str) -> Curve:
    cat = catalogue()
    if name not in cat:
        raise DataError(f"unknown published bound {name!r}; available: {', '.join(cat)}."
                        f"{suggest(str(name), cat)}")
    return cat[name]


SETS = ("likelihood", "overlay", "all")


def curve_names(which: str = "all", flavour: str | None = None) -> list[str]:
    """Names in a set: ``likelihood`` (curves with a likelihood term), ``overlay`` (all but
    the LEP curve that hnlfit's LEP terms replace), ``all``; optionally only those that
    constrain ``flavour``."""
    if which not in SETS:
        raise DataError(f"unknown curve set {which!r}; use one of {SETS}")
    out = []
    for n, cv in catalogue().items():
        if which == "likelihood" and not cv.likelihood:
            continue
        if which == "overlay" and n == "lep_magill":
            continue
        if flavour is not None and flavour not in cv.weights:
            continue
        out.append(n)
    return out


def max_rate_ratio(point, which: str = "overlay"):
    """max over the set of the rate ratio r: > 1 where some published bound excludes the point
    (each at its own CL)."""
    out = np.zeros(point.shape)
    for n in curve_names(which):
        out = np.maximum(out, get_curve(n).rate_ratio(point))
    return out
