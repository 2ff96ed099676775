"""``kind: curves`` run cards: registered observables drawn against one parameter.

Each curve is one observable with its arguments, evaluated on the card's ``x`` axis (one
vectorized call) at the parameters fixed by the card, the panel and the curve.  Panels
repeat the curves with other fixed parameters (e.g. one panel per lepton flavour).  Points
where the observable is zero or not finite are not drawn (closed channels on a log axis).
Outputs as for every card: PNG/PDF, NPZ with every curve, a CSV table of the curves
(:func:`hnlfit.cards.export.write_curve_tables`), JSON summary (atomic writes).
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..fitter.expressions import build_point, check_names
from ..observables import registry
from .load import axis_values
from .output import card_progress, write_outputs


def run_curves(card: dict, outdir: Path, progress: bool = True) -> dict:
    from ..plotting import curves_figure

    t0 = time.perf_counter()
    x = axis_values(card["x"])
    panels_in = card.get("panels") or [{"title": "", "fixed": {}}]
    bar = card_progress(card, len(panels_in) * (len(card["curves"]) + 1) + 5, progress)
    panels_out, arrays, summary = [], {"x": x}, []
    for ip, panel in enumerate(panels_in):
        bar.set_postfix_str(f"curves of panel {ip + 1}/{len(panels_in)}")
        drawn = []
        for ic, curve in enumerate(card["curves"]):
            values = {card["x"]["name"]: x, **card.get("fixed", {}), **panel.get("fixed", {}),
                      **curve.get("fixed", {})}
            derived = {**card.get("derived", {}), **panel.get("derived", {}),
                       **curve.get("derived", {})}
            check_names(values, derived)
            obs = registry.get(curve["observable"])
            y = np.broadcast_to(obs(build_point(values, derived), **curve.get("args", {})),
                                x.shape)
            arrays[f"panel{ip}_curve{ic}"] = y
            drawn.append({"y": y, "label": curve.get("label", obs.name),
                          "color": curve.get("color"), "style": curve.get("style", "solid")})
            if ip == 0:
                summary.append({"observable": obs.name, "unit": obs.unit,
                                "args": curve.get("args", {}), "references": list(obs.refs)})
            bar.update()
        panels_out.append({"title": panel.get("title", ""), "curves": drawn})
    bar.set_postfix_str("figure")
    fig = curves_figure(panels_out, x, card["x"], card.get("y", {}), card.get("title", ""),
                        card.get("reference", ""), on_panel=lambda: bar.update())
    return write_outputs(card, outdir, fig, arrays, {"curves": summary}, bar=bar, t0=t0,
                         curves={"x": x, "panels": panels_out})
