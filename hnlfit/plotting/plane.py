"""Parameter-plane figures in the house style.

A panel is ``{"title", "union": Geometry | None, "layers": [layer]}``; a layer is
``{"kind", "label", "key", "color", "style", "fill", "regions": [(level, Geometry)]}`` with
kind ``excluded`` (a current exclusion: part of the grey union, drawn as its outline),
``projection`` (a line; shaded lightly if ``fill``), ``band`` (one fill with an edge per
level, the widest lightest) or ``eft_invalid`` (opaque dark grey on top, as the seed's
"dark gray area": nothing drawn there is a valid EFT prediction).  Geometry (lines and polygons in
parameter units) comes from :mod:`hnlfit.cards.regions`.

The drawn range is the card's grid cut to where the content is (the projections and bands,
or the exclusions of a card without either; padded), unless the card's axis gives ``view: [min, max]``; all panels share it.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from .labels import axis_label
from .style import (EFT_COLOR, EXCLUDED_FILL, figure_size, house_style, style_for,
                    wrap_text)

_NO_EXCLUSION = " (no exclusion in range)"
_HATCHES = ("\\\\\\", "////", "xxx")
PAD = 0.05           # fraction of the content span added on each side


def plane_figure(panels: list[dict], x: np.ndarray, y: np.ndarray, xaxis: dict, yaxis: dict,
                 title: str = "", reference: str = "", on_panel=None):
    """The figure of a plane card; ``on_panel()`` is called after each panel (progress)."""
    with house_style():
        rows, cols, (w, h) = figure_size(len(panels))
        spare = rows * cols > len(panels)
        fig = plt.figure(figsize=(w, h + (0.3 if spare else 0.9)), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False)
        legend: dict[str, object] = {}
        for ax, panel in zip(axes.ravel(), panels):
            _draw_panel(ax, panel, legend)
            if on_panel is not None:
                on_panel()
        blank = list(axes.ravel()[len(panels):])
        for ax in blank:
            ax.set_axis_off()
        xr = _view(xaxis, x, [p for p in panels], 0)
        yr = _view(yaxis, y, [p for p in panels], 1)
        for ax, panel in zip(axes.ravel(), panels):
            ax.set_xscale("log" if xaxis.get("log") else "linear")
            ax.set_yscale("log" if yaxis.get("log") else "linear")
            ax.set_xlim(*xr)
            ax.set_ylim(*yr)
            for a, log in ((ax.xaxis, xaxis.get("log")), (ax.yaxis, yaxis.get("log"))):
                if log:
                    a.set_minor_formatter(NullFormatter())   # decades only: no overlaps
            ax.set_xlabel(axis_label(xaxis["name"], xaxis.get("label")))
            ax.set_ylabel(axis_label(yaxis["name"], yaxis.get("label")))
            if panel.get("title"):
                ax.set_title(wrap_text(panel["title"], 52))
        legend = {k: v for k, v in legend.items()
                  if not (k.endswith(_NO_EXCLUSION) and k.removesuffix(_NO_EXCLUSION) in legend)}
        labels = list(legend)
        if blank:      # an empty panel slot: the legend goes there, off the data
            blank[0].legend(handles=list(legend.values()), labels=labels, loc="center",
                            ncol=1 if len(blank) == 1 else 2, handlelength=2.2)
        else:
            fig.legend(handles=list(legend.values()), labels=labels,
                       loc="outside lower center", ncol=_legend_columns(labels, w),
                       handlelength=2.2, columnspacing=1.2)
        if title or reference:
            chars = int(w * 14)
            text = wrap_text(title, chars) if title else ""
            if reference:
                text += ("\n" if text else "") + wrap_text(f"({reference})", chars)
            fig.suptitle(text)
    return fig


def _legend_columns(labels: list[str], width_in: float) -> int:
    """As many columns (at most 3) as fit the figure width at the legend's font size."""
    from .style import _visible_length

    longest = max((_visible_length(s) for s in labels), default=1)
    fit = int(width_in // (0.062 * longest + 0.45))
    return max(1, min(3, fit, len(labels)))


def _patch(geo_polys, **kw):
    out = []
    for pts, codes in geo_polys:
        out.append(PathPatch(MplPath(pts, codes), **kw))
    return out


def _draw_panel(ax, panel: dict, legend: dict) -> None:
    shaded = 0
    union = panel.get("union")
    if union is not None:
        for p in _patch(union.polygons, facecolor=EXCLUDED_FILL, edgecolor="none", lw=0,
                        zorder=1):
            ax.add_patch(p)
    for layer in panel["layers"]:
        kind = layer["kind"]
        default = "dashed" if kind == "projection" else "solid"
        color, ls = style_for(layer["key"], layer.get("color"), layer.get("style"), default)
        label = layer["label"]
        regions = layer["regions"]
        if kind == "eft_invalid":
            color = layer.get("color") or EFT_COLOR
        empty = all(geo.empty for _, geo in regions)
        if empty:
            if kind != "eft_invalid":
                legend.setdefault(f"{label}{_NO_EXCLUSION}",
                                  Line2D([], [], color=color, ls=":", lw=1.0))
            continue
        if kind == "band":
            n = len(regions)
            for j, (lev, geo) in enumerate(regions):       # widest (largest n sigma) first
                alpha = 0.22 + 0.3 * j / max(n - 1, 1) if n > 1 else 0.4
                for p in _patch(geo.polygons, facecolor=color, alpha=alpha, edgecolor="none",
                                zorder=3):
                    ax.add_patch(p)
                for ln in geo.lines:
                    ax.plot(ln[:, 0], ln[:, 1], color=color, lw=0.9, ls="-", zorder=3.5)
            legend.setdefault(label, Patch(facecolor=color, alpha=0.45, edgecolor=color))
        elif kind == "eft_invalid":       # opaque, on top: nothing is computed validly there
            for lev, geo in regions:
                for p in _patch(geo.polygons, facecolor=color, edgecolor="none", lw=0,
                                zorder=6):
                    ax.add_patch(p)
                for ln in geo.lines:
                    ax.plot(ln[:, 0], ln[:, 1], color="k", lw=0.8, zorder=6.5)
            legend.setdefault(label, Patch(facecolor=color, edgecolor="k", lw=0.8))
        elif kind == "excluded":
            for lev, geo in regions:
                for ln in geo.lines:
                    ax.plot(ln[:, 0], ln[:, 1], color=color, ls=ls, lw=1.1, zorder=4)
            legend.setdefault(label, Patch(facecolor=EXCLUDED_FILL, edgecolor=color,
                                           linestyle=ls, lw=1.1))
        else:                                                # projections and combined
            shade = {}
            if layer.get("fill"):
                # the first shaded layer of a panel is a light fill, the next ones hatches in
                # their colour (no translucent fills stacked into mud); under the grey union,
                # so the shading shows the reach beyond the current bounds
                j = shaded
                shaded += 1
                shade = (dict(facecolor=to_rgba(color, 0.2), edgecolor="none") if j == 0 else
                         dict(facecolor="none", edgecolor=to_rgba(color, 0.55),
                              hatch=_HATCHES[(j - 1) % len(_HATCHES)]))
            for lev, geo in regions:
                if shade:
                    for p in _patch(geo.polygons, lw=0, zorder=0.8, **shade):
                        ax.add_patch(p)
                for ln in geo.lines:
                    ax.plot(ln[:, 0], ln[:, 1], color=color, ls=ls, lw=1.5, zorder=5)
            legend.setdefault(label, Patch(**{**shade, "edgecolor": color}, linestyle=ls,
                                           lw=1.5) if shade
                              else Line2D([], [], color=color, ls=ls, lw=1.5))


def _view(axis: dict, grid: np.ndarray, panels: list[dict], col: int) -> tuple[float, float]:
    """The drawn range of one axis: the card's ``view``, else the grid cut to the content
    (boundary lines of the projections and bands, or of every exclusion in a card without
    either, and the band fills), padded by PAD of the content's span (in log10 on a log
    axis)."""
    if axis.get("view"):
        lo, hi = axis["view"]
        return float(lo), float(hi)
    log = bool(axis.get("log"))
    kinds = {layer["kind"] for panel in panels for layer in panel["layers"]}
    # the content: projections and bands where the card has any (the current exclusions are
    # then context), else every exclusion
    content = ({"projection", "band"} & kinds) or (kinds - {"eft_invalid"})
    vals = []
    for panel in panels:
        for layer in panel["layers"]:
            if layer["kind"] not in content:
                continue
            for _, geo in layer["regions"]:
                vals.extend(ln[:, col] for ln in geo.lines)
                if layer["kind"] == "band":
                    vals.extend(p[:, col] for p, _ in geo.polygons)
    g0, g1 = float(grid[0]), float(grid[-1])
    if not vals:
        return g0, g1
    v = np.concatenate(vals)
    v = v[np.isfinite(v) & ((v > 0) if log else True)]
    if not v.size:
        return g0, g1
    t = np.log10 if log else (lambda a: a)
    lo, hi = float(t(v.min())), float(t(v.max()))
    span = max(hi - lo, 0.05 * (t(g1) - t(g0)))
    lo, hi = max(lo - PAD * span, t(g0)), min(hi + PAD * span, t(g1))
    # snap to the grid edge when the content nearly reaches it
    if lo - t(g0) < 0.03 * (t(g1) - t(g0)):
        lo = t(g0)
    if t(g1) - hi < 0.03 * (t(g1) - t(g0)):
        hi = t(g1)
    return (10 ** lo, 10 ** hi) if log else (lo, hi)
