"""``kind: plane`` run cards: measurements drawn as regions of a 2-d parameter plane.

Each layer is one measurement (``band``, ``excluded``), the EFT-validity region
(``eft_invalid``) or a combined Δχ² contour (``combined``); panels repeat the layers with
other fixed parameters.

Every layer is a *field* on the plane whose region is ``field > 1`` (exclusions: |pull|/z_CL;
combined: Δχ²/threshold; EFT: m_N/Λ) or ``field < n`` (bands: |pull| < n σ).  The field is
computed on the card's grid, then refined near its boundary with exact evaluations
(:mod:`hnlfit.cards.regions`), so the drawn and exported contours are smooth at any grid.
Arrays are in "ij" order, shape ``(nx, ny)``, as :class:`~hnlfit.fitter.scan.ScanResult`.
Outputs through :func:`hnlfit.cards.output.write_outputs` (figure, arrays, summary with the
per-mass limits) and :mod:`hnlfit.cards.export` (contour points, limit tables, HEPData).
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..fitter.expressions import build_point, check_names
from ..likelihoods.measurements import build_likelihood, build_term, load_entries
from ..params import suggest
from .load import axis_values, resolve_path
from .output import card_progress, write_outputs
from .regions import (Refined, first_interval, refine_field, refinement_factor,
                      region_geometry)

# fine points per axis of the refined grid (full run / quick run)
REFINE_TARGET = {False: 600, True: 240}
SCAN_CHUNKS = 4          # progress ticks per layer scan


def run_plane(card: dict, outdir: Path, progress: bool = True) -> dict:
    from .. import plotting

    t0 = time.perf_counter()
    x, y = axis_values(card["x"]), axis_values(card["y"])
    X, Y = np.meshgrid(x, y, indexing="ij")  # shape (nx, ny), as ScanResult
    extra = [resolve_path(f, card) for f in card.get("data", [])]
    entries = {e["name"]: e for e in load_entries(card["dataset"], extra)}
    panels_in = card.get("panels") or [{"title": "", "fixed": {}}]
    layers = card["layers"]
    quick = bool(card.get("_quick", False))
    # fine sub-intervals per coarse interval on each axis; a card's `refine: {x:, y:}` caps
    # them (fewer in x where each new mass costs a table)
    cap = card.get("refine", {})
    k = tuple(min(refinement_factor(len(a), REFINE_TARGET[quick]), int(cap.get(ax, 24)))
              for a, ax in ((x, "x"), (y, "y")))
    n_steps = len(panels_in) * len(layers) * (SCAN_CHUNKS + 1) + len(panels_in) + 6
    bar = card_progress(card, n_steps, progress)
    builders = [_builder(layer, entries, card, extra) for layer in layers]
    panels_out, arrays, summary_layers, limits = [], {}, [], []
    for ip, panel in enumerate(panels_in):
        values = {**card.get("fixed", {}), **panel.get("fixed", {})}
        drawn, union = [], None
        for il, (layer, build) in enumerate(zip(layers, builders)):
            bar.set_postfix_str(f"scan panel {ip + 1}/{len(panels_in)}, layer {il + 1}")
            derived = {**card.get("derived", {}), **panel.get("derived", {}),
                       **layer.get("derived", {})}
            check_names({card["x"]["name"]: X, card["y"]["name"]: Y, **values}, derived)

            def point_at(xs, ys, _d=derived):
                return build_point({card["x"]["name"]: xs, card["y"]["name"]: ys, **values}, _d,
                                   model=card.get("model"))

            lay = build(point_at)
            coarse = _scan(lay, X, Y, bar)
            lay.finish(coarse)
            bar.set_postfix_str(f"refine panel {ip + 1}, layer {il + 1}")
            ref = refine_field(lay.evaluate, x, y, lay.clean(coarse), lay.levels,
                               log_x=bool(card["x"].get("log")),
                               log_y=bool(card["y"].get("log")), factor=k)
            bar.update()
            d = _drawn(lay, ref)
            drawn.append(d)
            if d["kind"] == "excluded":
                union = ref.field if union is None else np.maximum(union, ref.field)
            arrays.update(_arrays(ip, il, lay, coarse))
            limits.append(_limits(ip, il, panel, lay, ref))
            if ip == 0:
                summary_layers.append({**lay.info, "refined_evaluations": ref.n_exact})
        union_geo = None
        if union is not None:
            union_ref = Refined(ref.u, ref.v, union, ref.log_x, ref.log_y, ref.factor, 0)
            union_geo = region_geometry(union_ref, 1.0, above=True)
        panels_out.append({"title": panel.get("title", ""), "layers": drawn,
                           "union": union_geo})
    bar.set_postfix_str("figure")
    fig = plotting.plane_figure(panels_out, x, y, card["x"], card["y"],
                                card.get("title", ""), card.get("reference", ""),
                                on_panel=lambda: bar.update())
    summary = {"layers": summary_layers, "axes_order": "arrays are (nx, ny): [i, j] at "
               "(x[i], y[j]), as fitter.scan.ScanResult",
               "refinement_factor": k, "limits": [_jsonable_limit(lim) for lim in limits]}
    return write_outputs(card, outdir, fig, dict(x=x, y=y, **arrays), summary, bar=bar,
                         t0=t0, plane={"panels": panels_out, "limits": limits,
                                       "panels_in": panels_in})


def _scan(lay, X, Y, bar) -> np.ndarray:
    """The layer's field on the grid, in SCAN_CHUNKS vectorized calls (one tick each)."""
    out = np.empty(X.shape)
    rows = np.array_split(np.arange(X.shape[0]), SCAN_CHUNKS)
    for r in rows:
        if r.size:
            out[r] = np.broadcast_to(lay.raw(X[r], Y[r]), X[r].shape)
        bar.update()
    return out


class _Layer:
    """One layer at one panel: ``raw(X, Y)`` the field on arrays (before NaN handling),
    ``evaluate(xs, ys)`` the clean field, ``levels`` its boundary levels, ``above`` whether
    the region is above the level."""

    def __init__(self, spec: dict, point_at, field_of, levels, above: bool, info: dict):
        self.spec, self.point_at, self.field_of = spec, point_at, field_of
        self.levels, self.above, self.info = levels, above, info
        self.offset = 0.0

    def raw(self, X, Y):
        return self.field_of(self.point_at(X, Y), self)

    def finish(self, coarse: np.ndarray) -> None:
        """A combined layer counts Δχ² from the plane's minimum (on the card's grid)."""
        if self.spec["kind"] == "combined":
            self.offset = float(np.nanmin(coarse)) if np.isfinite(coarse).any() else 0.0

    def clean(self, f) -> np.ndarray:
        """NaN (a point outside a table or a parameter range) counts as outside the
        region; combined layers are shifted to their minimum and divided by the threshold."""
        f = np.asarray(f, dtype=np.float64)
        if self.spec["kind"] == "combined":
            f = (f - self.offset) / self.info["threshold"]
        outside = 0.0 if self.above else 1e30
        return np.nan_to_num(f, nan=outside, posinf=1e30, neginf=-1e30)

    def evaluate(self, xs, ys):
        return self.clean(np.broadcast_to(self.raw(xs, ys), np.shape(xs)))


def _builder(layer: dict, entries: dict, card: dict, extra: list):
    """A function point_at -> _Layer for one card layer (terms built once for all panels)."""
    kind = layer["kind"]
    default_label = r"$m_N > \Lambda$ (EFT invalid)" if kind == "eft_invalid" else kind
    spec = {"kind": kind, "label": layer.get("label", default_label),
            "color": layer.get("color"), "style": layer.get("style"),
            "fill": layer.get("fill"), "key": kind}
    if kind == "eft_invalid":
        info = {"kind": kind, "label": spec["label"], "rule": "m_N >= Lambda"}
        return lambda pa: _Layer(spec, pa, lambda p, s: p["m_N"] / p["Lambda"], [1.0], True,
                                 info)
    if kind == "combined":
        from ..fitter.limits import delta_chi2_threshold

        like = build_likelihood(layer.get("dataset", card["dataset"]),
                                include=layer.get("measurements"), extra_files=extra)
        cl = layer.get("cl", 0.95)
        thr = delta_chi2_threshold(cl, dof=2)
        names = [t.name for t in like.terms]
        spec["key"] = names[0] if len(names) == 1 else "+".join(names)
        spec["projection"] = True
        info = {"kind": "combined", "label": spec["label"], "terms": names,
                "dataset": layer.get("dataset", card["dataset"]), "cl": cl, "dof": 2,
                "threshold": thr, "references": [t.reference for t in like.terms],
                "rule": f"Delta chi2 from the plane's minimum > {thr:.3f} "
                        f"({100 * cl:g}% CL, 2 dof)"}
        return lambda pa: _Layer(spec, pa, lambda p, s: like.chi2(p), [1.0], True, info)
    name = layer.get("measurement")
    if name not in entries:
        raise DataError(f"run card layer refers to unknown measurement {name!r}."
                        f"{suggest(str(name), entries)}")
    entry = entries[name]
    term = build_term(entry)
    spec["key"] = name
    info = {"kind": kind, "label": spec["label"], "measurement": name,
            "data": term.describe(), "reference": term.reference,
            "dataset": card["dataset"], "projection": bool(entry.get("projection", False))}
    if kind == "band":
        nsig = sorted(layer.get("nsigma", [1.0, 2.0]), reverse=True)
        info["rule"] = f"|pull| < {nsig} sigma"
        info["nsigma"] = nsig
        return lambda pa: _Layer(spec, pa, lambda p, s: np.abs(term.pull_at(p)), nsig, False,
                                 info)
    cl = layer.get("cl", 0.95)
    z = term.exclusion_z(cl)
    info["rule"] = f"|pull| > {z:.3f}"
    info["cl"] = getattr(term, "cl", cl)
    info["z"] = z
    spec["projection"] = bool(entry.get("projection"))
    return lambda pa: _Layer(spec, pa, lambda p, s: np.abs(term.pull_at(p)) / z, [1.0], True,
                             info)


def _drawn(lay: _Layer, ref) -> dict:
    """What the plotting layer needs: kind, label, style keys and the region geometry."""
    s = lay.spec
    kind = s["kind"]
    if kind == "excluded" and s.get("projection") and s.get("style") != "filled":
        kind = "projection"
    if kind == "combined":
        kind = "projection"
    regions = [(lev, region_geometry(ref, lev, lay.above)) for lev in lay.levels]
    return {"kind": kind, "label": s["label"], "key": s["key"], "color": s["color"],
            "style": None if s.get("style") == "filled" else s.get("style"),
            "fill": s.get("fill"), "regions": regions}


def _arrays(ip: int, il: int, lay: _Layer, coarse: np.ndarray) -> dict:
    """NPZ arrays of one layer on the card's grid, (nx, ny)."""
    f = lay.clean(coarse)
    key = f"panel{ip}_layer{il}"
    out = {f"{key}_field": f}
    if lay.spec["kind"] == "band":
        for j, lev in enumerate(lay.levels):
            out[f"{key}_mask{j}"] = f < lev
    else:
        out[f"{key}_mask"] = f > 1.0
    if lay.spec["kind"] == "combined":
        out[f"{key}_chi2"] = coarse
    return out


def _limits(ip: int, il: int, panel: dict, lay: _Layer, ref) -> dict:
    """The per-x first interval of each region of the layer (the limit on the y axis)."""
    regions = []
    for lev in lay.levels:
        iv = first_interval(ref, lev, lay.above)
        regions.append({"level": lev, **iv})
    return {"panel": ip, "layer": il, "panel_title": panel.get("title", ""),
            "fixed": panel.get("fixed", {}), "label": lay.spec["label"],
            "kind": lay.spec["kind"], "info": lay.info, "regions": regions}


def _jsonable_limit(lim: dict) -> dict:
    out = {k: v for k, v in lim.items() if k != "regions"}
    out["regions"] = [{k: (np.where(np.isfinite(v), v, None).tolist()
                           if isinstance(v, np.ndarray) and v.dtype.kind == "f"
                           else (v.tolist() if isinstance(v, np.ndarray) else v))
                       for k, v in r.items()} for r in lim["regions"]]
    return out
