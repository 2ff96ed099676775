"""Execute run cards: parameter planes and posteriors, written atomically to an output folder.

Outputs of a card ``runs/NAME.yaml`` go to ``<outdir>/NAME/``: ``NAME.png`` and ``.pdf``
(the figure), ``NAME.npz`` (grids, masks or chains), ``NAME.json`` (summary: the card,
thresholds and CLs used, data sets, references, timings).  Every file is written to a
temporary name first and renamed, so an interrupted run leaves no half-written result.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from . import __version__
from .errors import DataError
from .fitter.expressions import build_point, check_names
from .io import save_figure, write_json, write_npz
from .likelihoods.measurements import build_likelihood, build_term, load_entries
from .params import suggest
from .runcard import load_card


def load_plugin(path: str | Path) -> None:
    """Import a user module (a file path or an importable module name) so that the
    observables it registers with ``@hnlfit.observable`` become available."""
    p = Path(path)
    if p.suffix == ".py":
        if not p.exists():
            raise DataError(f"plugin file {p} does not exist")
        name = f"hnlfit_plugin_{p.stem}"
        spec = importlib.util.spec_from_file_location(name, p)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        importlib.import_module(str(path))


def load_entry_point_plugins() -> None:
    """Import plugins installed as packages under the ``hnlfit.plugins`` entry-point group."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="hnlfit.plugins"):
        ep.load()


def _axis(spec: dict) -> np.ndarray:
    lo, hi, n = spec["min"], spec["max"], spec["n"]
    if spec.get("log"):
        if lo <= 0:
            raise DataError(f"axis {spec['name']!r}: a log axis needs min > 0")
        return np.geomspace(lo, hi, n)
    return np.linspace(lo, hi, n)


def _resolve(path_text: str, card: dict) -> Path:
    """Paths in a card are relative to the card's folder."""
    p = Path(path_text)
    return p if p.is_absolute() else Path(card["_path"]).parent / p


def run_plane(card: dict, outdir: Path, progress: bool = True) -> dict:
    from .plotting import plane_figure

    t0 = time.perf_counter()
    x, y = _axis(card["x"]), _axis(card["y"])
    X, Y = np.meshgrid(x, y)  # shape (ny, nx): rows follow y
    extra = [_resolve(f, card) for f in card.get("data", [])]
    entries = {e["name"]: e for e in load_entries(card["dataset"], extra)}
    panels_in = card.get("panels") or [{"title": "", "fixed": {}}]
    steps = len(panels_in) * len(card["layers"])
    bar = tqdm(total=steps, desc=card["name"], disable=not progress, unit="layer")
    panels_out, arrays, summary_layers = [], {}, []
    for ip, panel in enumerate(panels_in):
        values = {card["x"]["name"]: X, card["y"]["name"]: Y,
                  **card.get("fixed", {}), **panel.get("fixed", {})}
        drawn = []
        for il, layer in enumerate(card["layers"]):
            derived = {**card.get("derived", {}), **panel.get("derived", {}),
                       **layer.get("derived", {})}
            check_names(values, derived)
            point = build_point(values, derived)
            d, info = _layer(layer, point, entries, card)
            drawn.append(d)
            for k, v in d.items():
                if isinstance(v, np.ndarray):
                    arrays[f"panel{ip}_layer{il}_{k}"] = v
                elif k == "masks":
                    for j, m in enumerate(v):
                        arrays[f"panel{ip}_layer{il}_mask{j}"] = m
            if ip == 0:
                summary_layers.append(info)
            bar.update()
        panels_out.append({"title": panel.get("title", ""), "layers": drawn})
    bar.close()
    fig = plane_figure(panels_out, x, y, card["x"], card["y"], card.get("title", ""),
                       card.get("reference", ""))
    return _write(card, outdir, fig, dict(x=x, y=y, **arrays),
                  {"layers": summary_layers, "seconds": time.perf_counter() - t0})


def _layer(layer: dict, point, entries: dict, card: dict) -> tuple[dict, dict]:
    kind = layer["kind"]
    default_label = r"$m_N > \Lambda$ (EFT invalid)" if kind == "eft_invalid" else kind
    out = {"kind": kind, "label": layer.get("label", default_label),
           "color": layer.get("color", "k"), "style": layer.get("style", "filled")}
    if kind == "eft_invalid":
        out["field"] = point["m_N"] / point["Lambda"]  # region: field > 1
        out["mask"] = out["field"] >= 1.0
        return out, {"kind": kind, "label": out["label"], "rule": "m_N >= Lambda"}
    if kind == "combined":
        return _combined_layer(layer, point, card, out)
    name = layer.get("measurement")
    if name not in entries:
        raise DataError(f"run card layer refers to unknown measurement {name!r}."
                        f"{suggest(str(name), entries)}")
    entry = entries[name]
    term = build_term(entry)
    pull = np.abs(term.pull_at(point))
    info = {"kind": kind, "label": out["label"], "measurement": name,
            "data": term.describe(), "reference": term.reference,
            "projection": bool(entry.get("projection", False))}
    if kind == "band":
        nsig = sorted(layer.get("nsigma", [1.0, 2.0]), reverse=True)
        out["field"], out["levels"] = pull, nsig  # regions: field < each level
        out["masks"] = [pull < s for s in nsig]
        info["rule"] = f"|pull| < {nsig} sigma"
    else:
        cl = layer.get("cl", 0.95)
        z = term.exclusion_z(cl)
        out["field"] = pull / z  # region: field > 1
        out["mask"] = pull > z
        if entry.get("projection") and layer.get("style", "dashed") != "filled":
            out["kind"] = "projection"
            out["style"] = layer.get("style", "dashed")
        info["rule"] = f"|pull| > {z:.3f}"
        info["cl"] = getattr(term, "cl", cl)
    return out, info


def _combined_layer(layer: dict, point, card: dict, out: dict) -> tuple[dict, dict]:
    from .fitter.limits import delta_chi2_threshold

    # the card's extra `data:` files take part, as in the other layers
    like = build_likelihood(layer.get("dataset", card["dataset"]),
                            include=layer.get("measurements"),
                            extra_files=[_resolve(f, card) for f in card.get("data", [])])
    chi2 = like.chi2(point)
    cl = layer.get("cl", 0.95)
    thr = delta_chi2_threshold(cl, dof=2)
    out["field"] = (chi2 - chi2.min()) / thr  # region: field > 1
    out["mask"] = out["field"] > 1.0
    out["chi2"] = chi2
    out["kind"] = "combined"
    out["style"] = layer.get("style", "solid")
    return out, {"kind": "combined", "label": out["label"], "terms": [t.name for t in like.terms],
                 "rule": f"Delta chi2 from the plane's minimum > {thr:.3f} "
                         f"({100 * cl:g}% CL, 2 dof)"}


def _write(card: dict, outdir: Path, fig, arrays: dict, summary: dict) -> dict:
    import matplotlib.pyplot as plt

    folder = Path(outdir) / card["name"]
    paths = {
        "png": save_figure(fig, folder / f"{card['name']}.png", dpi=150),
        "pdf": save_figure(fig, folder / f"{card['name']}.pdf"),
        "npz": write_npz(folder / f"{card['name']}.npz", **arrays),
    }
    plt.close(fig)
    meta = {"hnlfit_version": __version__,
            "card": {k: v for k, v in card.items() if not k.startswith("_")},
            "card_path": card["_path"], **summary,
            "outputs": {k: str(v) for k, v in paths.items()}}
    paths["json"] = write_json(folder / f"{card['name']}.json", meta)
    return {"paths": paths, "summary": meta}


def run_card(path: str | Path, outdir: str | Path = "results", quick: bool = False,
             progress: bool = True, plugins: tuple[str, ...] = ()) -> dict:
    """Run one card; returns the output paths and the summary written to JSON."""
    load_entry_point_plugins()
    for p in plugins:
        load_plugin(p)
    card = load_card(path, quick=quick)
    for p in card.get("plugins", []):
        load_plugin(_resolve(p, card))
    if card["kind"] == "plane":
        return run_plane(card, Path(outdir), progress)
    if card["kind"] == "curves":
        from .curves_card import run_curves
        return run_curves(card, Path(outdir), progress)
    from .posterior_card import run_posterior
    return run_posterior(card, Path(outdir), progress)
