"""Credible regions of one or more posteriors, split by their discrete variables.

A discrete variable (a sign, a choice) is not an axis: the samples are split by its value
(every combination, if there are several) into *conditions*, and within each condition the
continuous variables get their conditional 1-d densities and 2-d highest-density regions
(:mod:`hnlfit.fitter.credible`), together with the posterior probability of the condition.
The same numbers feed the corner figure (:func:`hnlfit.fitter.posterior_figure`) and the
card's data files (:func:`regions_rows`, :func:`quantile_rows`), so the figure shows what
the files hold.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .credible import (contour_lines, density_1d, density_2d, hpd_levels, quantile_summary,
                       scott_width)

__all__ = ["Regions", "posterior_regions", "regions_rows", "quantile_rows", "is_discrete"]

LEVELS = (0.68, 0.95)


def is_discrete(prior) -> bool:
    return prior.kind in ("sign", "choice")


def _discrete_values(prior) -> tuple[float, ...]:
    return (-1.0, 1.0) if prior.kind == "sign" else tuple(prior.values)


@dataclass
class Regions:
    """Per condition and data set: probability, sample count, densities and contours.

    ``ranges`` are in sampling coordinates (log10 for log-uniform priors); ``cells[c][s]``
    holds, for condition ``c`` and data set ``s``: ``probability``, ``n``, ``drawn`` (enough
    samples), ``d1 = {k: (centres, density)}`` and ``d2 = {(i, j): (xc, yc, p, thresholds,
    [lines per level])}`` with ``i < j`` indices into ``continuous``.
    """

    names: list[str]
    priors: list[Any]
    continuous: list[int]
    discrete: list[int]
    conditions: list[dict[str, float]]
    sets: list[str]
    ranges: dict[int, tuple[float, float]]
    levels: tuple[float, ...]
    cells: list[list[dict]] = field(default_factory=list)


def _ranges(coords: Sequence[np.ndarray], priors, continuous) -> dict[int, tuple[float, float]]:
    """Per continuous variable: the samples' 0.05-99.95% span (all sets), padded by 5%,
    clipped to the prior's bounds -- the region where the posterior lives."""
    out = {}
    for k in continuous:
        col = np.concatenate([c[:, k] for c in coords])
        lo, hi = np.quantile(col, [0.0005, 0.9995])
        pad = 0.05 * (hi - lo) if hi > lo else 0.5
        a, b = priors[k].bounds
        out[k] = (max(a, lo - pad), min(b, hi + pad))
    return out


def _samples_per_independent(result, continuous) -> float:
    """Flat samples per independent one: the longest integrated autocorrelation time of
    the continuous variables, in flat samples (1 if unknown)."""
    tau = np.asarray(result.autocorr, dtype=np.float64)[continuous] if continuous else []
    tau = [t for t in np.atleast_1d(tau) if np.isfinite(t)]
    return max(1.0, max(tau) / max(int(result.thin), 1)) if tau else 1.0


def posterior_regions(results, sets: Sequence[str], *, levels=LEVELS, bins: int = 50,
                      bins1: int = 80, min_smooth: float = 1.0,
                      min_effective: float = 50.0) -> Regions:
    """Split each posterior by its discrete variables and compute its credible regions.

    The effective sample size of a condition is its number of samples over the chain's
    autocorrelation time (:func:`_samples_per_independent`).  A condition with fewer than
    ``min_effective`` effective samples is reported (probability, count) but not drawn --
    a few stray walkers on a disfavoured sign would draw noise.  Densities are histograms
    (``bins`` per axis in 2-d, ``bins1`` in 1-d) smoothed with Scott's-rule kernels from the
    condition's own spread and effective sample size (at least ``min_smooth`` bins).
    """
    first = results[0]
    priors = list(first.priors.values())
    continuous = [k for k, p in enumerate(priors) if not is_discrete(p)]
    discrete = [k for k, p in enumerate(priors) if is_discrete(p)]
    combos = list(itertools.product(*[_discrete_values(priors[k]) for k in discrete]))
    conditions = [{first.names[k]: v for k, v in zip(discrete, combo)} for combo in combos]
    coords = [r.coords for r in results]
    values = [r.samples for r in results]
    reg = Regions(list(first.names), priors, continuous, discrete, conditions, list(sets),
                  _ranges(coords, priors, continuous) if continuous else {}, tuple(levels))
    per = [_samples_per_independent(r, continuous) for r in results]
    for cond in conditions:
        row = []
        for u, x, spi in zip(coords, values, per):
            mask = np.ones(len(u), dtype=bool)
            for k in discrete:
                mask &= x[:, k] == cond[first.names[k]]
            sub = u[mask]
            ess = len(sub) / spi
            cell = {"probability": float(mask.mean()) if len(u) else 0.0, "n": int(len(sub)),
                    "effective_samples": ess, "drawn": ess >= min_effective, "d1": {},
                    "d2": {}, "samples": x[mask]}
            if cell["drawn"]:
                width = {k: (reg.ranges[k][1] - reg.ranges[k][0]) for k in continuous}
                for k in continuous:
                    h = scott_width(sub[:, k], ess, 1)
                    cell["d1"][k] = density_1d(sub[:, k], *reg.ranges[k], bins=bins1,
                                               smooth=max(min_smooth, h * bins1 / width[k]))
                cell["kernel_2d"] = {reg.names[k]: scott_width(sub[:, k], ess, 2)
                                     for k in continuous}
                for i, j in itertools.combinations(continuous, 2):
                    sm = [max(min_smooth, cell["kernel_2d"][reg.names[k]] * bins / width[k])
                          for k in (i, j)]
                    xc, yc, p = density_2d(sub[:, i], sub[:, j], reg.ranges[i], reg.ranges[j],
                                           bins=bins, smooth=sm)
                    thr = hpd_levels(p, levels)
                    lines = [contour_lines(xc, yc, p, t) for t in thr]
                    cell["d2"][(i, j)] = (xc, yc, p, thr, lines)
            row.append(cell)
        reg.cells.append(row)
    return reg


def _condition_text(cond: dict[str, float]) -> str:
    return ";".join(f"{k}={v:+g}" for k, v in cond.items()) or "all"


def regions_rows(reg: Regions) -> tuple[list[dict], list[list]]:
    """The credible-region boundaries as data, in physical values.

    Returns ``(regions, csv_rows)``: ``regions`` a JSON-able list, one entry per condition,
    data set, pair and level (``lines``: list of polylines ``[[x, y], ...]``); ``csv_rows``
    one row per point: dataset, condition, x, y (names), credibility, line, x value,
    y value.
    """
    out, rows = [], [["dataset", "condition", "x_name", "y_name", "credibility", "line",
                      "x", "y"]]
    for cond, cells in zip(reg.conditions, reg.cells):
        for ds, cell in zip(reg.sets, cells):
            for (i, j), (_, _, _, thr, lines) in cell["d2"].items():
                for level, t, segs in zip(reg.levels, thr, lines):
                    phys = [np.stack([reg.priors[i].to_value(s[:, 0]),
                                      reg.priors[j].to_value(s[:, 1])], axis=1) for s in segs]
                    out.append({"dataset": ds, "condition": cond,
                                "condition_probability": cell["probability"],
                                "x": reg.names[i], "y": reg.names[j], "credibility": level,
                                "density_threshold": t,
                                "effective_samples": cell["effective_samples"],
                                "kernel_width_sampling": {
                                    reg.names[i]: cell["kernel_2d"][reg.names[i]],
                                    reg.names[j]: cell["kernel_2d"][reg.names[j]]},
                                "lines": [s.tolist() for s in phys]})
                    for n, s in enumerate(phys):
                        rows += [[ds, _condition_text(cond), reg.names[i], reg.names[j],
                                  level, n, f"{a:.8g}", f"{b:.8g}"] for a, b in s]
    return out, rows


def quantile_rows(reg: Regions) -> tuple[dict, list[list]]:
    """Summary quantiles of the physical values, per data set: over all samples and within
    each condition (with the condition's probability).  Returns ``(json, csv_rows)``."""
    from .credible import QUANTILES

    qnames = [f"q{100 * q:g}" for q in QUANTILES]
    header = ["dataset", "condition", "probability", "n_samples", "parameter", "mean", "std",
              *qnames]
    rows = [header]
    out: dict[str, Any] = {}
    for s, ds in enumerate(reg.sets):
        entry: dict[str, Any] = {"conditions": []}
        cells = [c[s] for c in reg.cells]
        allx = np.concatenate([c["samples"] for c in cells]) if cells else np.empty((0, 0))
        groups = [({}, 1.0, allx)] + [(cond, c["probability"], c["samples"])
                                      for cond, c in zip(reg.conditions, cells)]
        if not reg.discrete:
            groups = groups[:1]
        for cond, prob, x in groups:
            block = {"condition": cond, "probability": prob, "n_samples": int(len(x)),
                     "parameters": {}}
            for k in reg.continuous:
                if len(x) == 0:
                    continue
                q = quantile_summary(x[:, k])
                block["parameters"][reg.names[k]] = q
                rows.append([ds, _condition_text(cond), f"{prob:.6g}", len(x), reg.names[k],
                             *[f"{q[n]:.8g}" for n in ["mean", "std", *qnames]]])
            entry["conditions"].append(block)
        out[ds] = entry
    return out, rows
