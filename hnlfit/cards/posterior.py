"""Posterior run cards: one emcee chain per data set, overlaid in one corner figure.

Outputs in ``<outdir>/<name>/``: the chains ``chain_<dataset>.h5`` (``--quick`` runs use
``chain_<dataset>.quick.h5``, so a short run never reuses or overwrites a full one); the
figure ``<name>.png``/``.pdf``; ``<name>.npz`` (flat samples and chi2); ``<name>.json``
(summaries, credible regions, quantiles); and as tables ``<name>_credible_regions.csv``
(68%/95% HPD boundaries per data set, sign and pair) and ``<name>_quantiles.csv``.

A chain is continued only if it was made with exactly the same setup -- including the
content of the data set's files and the card's selection (see
:func:`hnlfit.fitter.posterior.sample_posterior`); ``restart`` starts every chain afresh.
The output folder is locked for the run: a second run on it fails at once.  SIGTERM is
turned into an interruption, so that the chains hold every finished step, the lock is
released and no temporary file is left.
"""
from __future__ import annotations

import csv
import dataclasses
import io as _io
import time
from pathlib import Path

import numpy as np

from .._version import __version__
from ..fitter.chainfile import exclusive_lock, sigterm_raises
from ..fitter.fingerprint import file_hashes
from ..fitter.posterior import corner_overlay, sample_posterior
from ..fitter.posterior_regions import posterior_regions, quantile_rows, regions_rows
from ..io import atomic_path, write_json, write_npz
from ..likelihoods.measurements import build_likelihood, dataset_folder
from .load import resolve_path

SAMPLER_DEFAULTS = {"nwalkers": 32, "nsteps": 2000, "burn": 500, "thin": 5, "seed": 0}
BINS = 50  # 2-d density grid per axis (the kernel width follows from the samples)


def _provenance(ds: str, sel: dict, extra: list[Path]) -> dict:
    """The data behind a chain: the data set's files (hashes) and the card's selection."""
    files = sorted(Path(str(dataset_folder(ds))).glob("*.yaml"))
    return {"dataset": ds, "include": sel.get("include"), "exclude": list(sel.get("exclude", ())),
            "files": file_hashes(files), "extra_files": file_hashes(extra)}


def _write_csv(path: Path, rows: list[list]) -> Path:
    buf = _io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    with atomic_path(path) as tmp:
        tmp.write_text(buf.getvalue())
    return path


def run_posterior(card: dict, outdir: Path, progress: bool = True) -> dict:
    t0 = time.perf_counter()
    folder = Path(outdir) / card["name"]
    with exclusive_lock(folder / f"{card['name']}.run", "output folder"), sigterm_raises():
        return _run(card, folder, progress, t0)


def _run(card: dict, folder: Path, progress: bool, t0: float) -> dict:
    sampler = {**SAMPLER_DEFAULTS, **card.get("sampler", {})}
    quick = bool(card.get("_quick"))
    restart = bool(card.get("_restart"))
    sel = card.get("likelihood", {})
    extra = [resolve_path(f, card) for f in card.get("data", [])]
    results, summaries = [], {}
    n_sets = len(card["datasets"])
    for i, ds in enumerate(card["datasets"]):
        like = build_likelihood(ds, include=sel.get("include"), exclude=sel.get("exclude", ()),
                                extra_files=extra)
        chain = folder / (f"chain_{ds}.quick.h5" if quick else f"chain_{ds}.h5")
        res = sample_posterior(
            like, card["parameters"], fixed=card.get("fixed", {}),
            derived=card.get("derived", {}), nwalkers=sampler["nwalkers"],
            nsteps=sampler["nsteps"], seed=sampler["seed"], backend_path=chain,
            progress=progress, progress_label=f"posterior {card['name']}: {ds} ({i + 1}/{n_sets})",
            resume=not restart, burn=sampler["burn"], thin=sampler["thin"],
            require_eft_valid=card.get("require_eft_valid", False),
            provenance=_provenance(ds, sel, extra))
        results.append(res)
        summaries[ds] = {"terms": [t.name for t in like.terms], **res.summary()}

    # regions and quantiles from every post-burn sample (thinning only loses information)
    full = [dataclasses.replace(r, thin=1) for r in results]
    regions = posterior_regions(full, list(card["datasets"]), bins=BINS)
    region_json, region_csv = regions_rows(regions)
    quant_json, quant_csv = quantile_rows(regions)
    name = card["name"]
    paths = {}
    for ext in ("png", "pdf"):
        paths[ext] = corner_overlay(full, folder / f"{name}.{ext}", labels=card["datasets"],
                                    space="physical", title=card.get("title", ""),
                                    regions=regions)
    arrays = {}
    for ds, res in zip(card["datasets"], results):
        arrays[f"{ds}_coords"] = res.coords
        arrays[f"{ds}_samples"] = res.samples
        arrays[f"{ds}_chi2"] = res.chi2
    arrays["names"] = np.array(results[0].names)
    paths["npz"] = write_npz(folder / f"{name}.npz", **arrays)
    paths["credible_regions_csv"] = _write_csv(folder / f"{name}_credible_regions.csv",
                                               region_csv)
    paths["quantiles_csv"] = _write_csv(folder / f"{name}_quantiles.csv", quant_csv)
    meta = {"hnlfit_version": __version__,
            "card": {k: v for k, v in card.items() if not k.startswith("_")},
            "card_path": card["_path"], "quick": quick, "posteriors": summaries,
            "quantiles": quant_json,
            "credible_regions": {
                "method": "highest-density regions of the post-burn samples (unthinned), "
                          "split by the discrete variables: 2-d histogram in the sampling "
                          "coordinates (log10 for log-uniform priors) smoothed with a "
                          "Gaussian kernel of Scott's-rule width from the effective sample "
                          "size (samples / autocorrelation time); boundaries in physical "
                          "values",
                "bins": BINS,
                "levels": list(regions.levels), "regions": region_json},
            "seconds": time.perf_counter() - t0,
            "outputs": {k: str(v) for k, v in paths.items()}}
    paths["json"] = write_json(folder / f"{name}.json", meta)
    return {"paths": paths, "summary": meta}
