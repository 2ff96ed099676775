"""``kind: plane`` run cards: measurements drawn as regions of a 2-d parameter plane.

Each layer is one measurement (``band``, ``excluded``), the EFT-validity region
(``eft_invalid``) or a combined Δχ² contour (``combined``); panels repeat the layers with
other fixed parameters.  Outputs through :func:`hnlfit.cards.output.write_outputs`.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ..errors import DataError
from ..fitter.expressions import build_point, check_names
from ..likelihoods.measurements import build_likelihood, build_term, load_entries
from ..params import suggest
from .load import axis_values, resolve_path
from .output import write_outputs


def run_plane(card: dict, outdir: Path, progress: bool = True) -> dict:
    from ..plotting import plane_figure

    t0 = time.perf_counter()
    x, y = axis_values(card["x"]), axis_values(card["y"])
    X, Y = np.meshgrid(x, y)  # shape (ny, nx): rows follow y
    extra = [resolve_path(f, card) for f in card.get("data", [])]
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
    return write_outputs(card, outdir, fig, dict(x=x, y=y, **arrays),
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
    from ..fitter.limits import delta_chi2_threshold

    # the card's extra `data:` files take part, as in the other layers
    like = build_likelihood(layer.get("dataset", card["dataset"]),
                            include=layer.get("measurements"),
                            extra_files=[resolve_path(f, card) for f in card.get("data", [])])
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
