"""Posterior run cards: one emcee chain per data set, overlaid in one corner plot."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .._version import __version__
from ..fitter.posterior import corner_overlay, sample_posterior
from ..io import write_json, write_npz
from ..likelihoods.measurements import build_likelihood
from .load import resolve_path


def run_posterior(card: dict, outdir: Path, progress: bool = True) -> dict:
    t0 = time.perf_counter()
    folder = Path(outdir) / card["name"]
    sampler = {"nwalkers": 32, "nsteps": 2000, "burn": 500, "thin": 5, "seed": 0,
               **card.get("sampler", {})}
    sel = card.get("likelihood", {})
    extra = [resolve_path(f, card) for f in card.get("data", [])]
    results, summaries = [], {}
    for ds in card["datasets"]:
        like = build_likelihood(ds, include=sel.get("include"), exclude=sel.get("exclude", ()),
                                extra_files=extra)
        res = sample_posterior(
            like, card["parameters"], fixed=card.get("fixed", {}),
            derived=card.get("derived", {}), nwalkers=sampler["nwalkers"],
            nsteps=sampler["nsteps"], seed=sampler["seed"],
            backend_path=folder / f"chain_{ds}.h5", progress=progress, resume=True,
            burn=min(sampler["burn"], sampler["nsteps"] // 2), thin=sampler["thin"],
            require_eft_valid=card.get("require_eft_valid", False))
        results.append(res)
        summaries[ds] = {"terms": [t.name for t in like.terms], **res.summary()}
    labels = [f"data set: {ds}" for ds in card["datasets"]]
    paths = {}
    for ext in ("png", "pdf"):
        paths[ext] = corner_overlay(results, folder / f"{card['name']}.{ext}", labels=labels,
                                    space="sampling", title=card.get("title", ""))
    arrays = {}
    for ds, res in zip(card["datasets"], results):
        arrays[f"{ds}_coords"] = res.coords
        arrays[f"{ds}_chi2"] = res.chi2
    arrays["names"] = np.array(results[0].names)
    paths["npz"] = write_npz(folder / f"{card['name']}.npz", **arrays)
    meta = {"hnlfit_version": __version__,
            "card": {k: v for k, v in card.items() if not k.startswith("_")},
            "card_path": card["_path"], "posteriors": summaries,
            "seconds": time.perf_counter() - t0,
            "outputs": {k: str(v) for k, v in paths.items()}}
    paths["json"] = write_json(folder / f"{card['name']}.json", meta)
    return {"paths": paths, "summary": meta}
