"""The corner figure of one or more posteriors (:class:`~hnlfit.fitter.posterior_regions.Regions`).

The continuous variables form a lower-triangle grid: smoothed conditional 1-d densities on
the diagonal, 68% (solid) and 95% (dashed) highest-density regions below it, one colour
per data set.  A discrete variable (a sign) is never an axis: each of its values gets its
own grid (a panel group) titled with the value, and the legend gives each data set's
posterior probability of it.  A value with too few samples for a data set is listed, not
drawn.  Log-uniform variables are drawn on log axes in physical units
(``space="physical"``) or as log10 on linear axes (``space="sampling"``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .. import io
from .posterior_regions import Regions

__all__ = ["corner_figure"]

PANEL = 1.25      # inches per panel
FONT = 8.0


def _label(reg: Regions, k: int, space: str) -> str:
    from ..params import PARAMETERS

    p, name = reg.priors[k], reg.names[k]
    unit = PARAMETERS[name].unit if name in PARAMETERS else "1"
    if space == "sampling":
        return p.coord_label(name, unit)
    if p.label:
        return p.label
    return f"{name} [{unit}]" if unit not in ("", "1") else name


def _cond_title(reg: Regions, cond: dict[str, float]) -> str:
    parts = []
    for k in reg.discrete:
        name = reg.names[k]
        lab = reg.priors[k].label or name
        parts.append(f"{lab} $= {cond[name]:+g}$")
    return ", ".join(parts)


def corner_figure(reg: Regions, path: str | Path, *, colors: Sequence[str] | None = None,
                  space: str = "physical", title: str = "", truths=None,
                  dpi: int = 200) -> Path:
    """Draw ``reg`` and save it atomically (format from the suffix of ``path``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if space not in ("sampling", "physical"):
        raise ValueError(f"space must be 'sampling' or 'physical', got {space!r}")
    colors = list(colors or [f"C{i}" for i in range(len(reg.sets))])
    cont = reg.continuous
    m = max(len(cont), 1)
    groups = len(reg.conditions)
    gap = 0.35
    width = PANEL * (groups * m + gap * (groups - 1)) + 0.9
    height = PANEL * m + 1.0 + (0.25 if title else 0.0)
    with plt.rc_context({"font.size": FONT, "axes.labelsize": FONT + 0.5,
                         "xtick.labelsize": FONT - 1, "ytick.labelsize": FONT - 1,
                         "legend.fontsize": FONT - 0.5, "xtick.direction": "in",
                         "ytick.direction": "in", "axes.linewidth": 0.6}):
        fig = plt.figure(figsize=(max(width, 4.0), height))
        ratios = []
        for g in range(groups):
            ratios += [1.0] * m + ([gap] if g < groups - 1 else [])
        gs = fig.add_gridspec(m, len(ratios), width_ratios=ratios, wspace=0.08, hspace=0.08,
                              left=0.75 / max(width, 4.0), right=0.985, bottom=0.8 / height,
                              top=1.0 - (0.55 if title else 0.35) / height)
        scale = {k: ("log" if space == "physical" and reg.priors[k].kind == "log_uniform"
                     else "linear") for k in cont}

        def phys(k, u):
            return reg.priors[k].to_value(u) if space == "physical" else np.asarray(u)

        for g, (cond, cells) in enumerate(zip(reg.conditions, reg.cells)):
            col0 = g * (m + 1)
            for r, kr in enumerate(cont):
                for c, kc in enumerate(cont[: r + 1]):
                    ax = fig.add_subplot(gs[r, col0 + c])
                    lo_c, hi_c = reg.ranges[kc]
                    ax.set_xscale(scale[kc])
                    ax.set_xlim(phys(kc, lo_c), phys(kc, hi_c))
                    if r == c:
                        _diagonal(ax, reg, cells, kc, colors, phys)
                    else:
                        lo_r, hi_r = reg.ranges[kr]
                        ax.set_yscale(scale[kr])
                        ax.set_ylim(phys(kr, lo_r), phys(kr, hi_r))
                        _pair(ax, cells, kc, kr, colors, phys)
                    if truths is not None:
                        _truth(ax, reg, truths, kc, kr if r != c else None)
                    if r == m - 1:
                        ax.set_xlabel(_label(reg, kc, space))
                    else:
                        ax.tick_params(labelbottom=False)
                    if c == 0 and r > 0:
                        if g == 0:
                            ax.set_ylabel(_label(reg, kr, space))
                    elif r != c:
                        ax.tick_params(labelleft=False)
                    if r == c:
                        ax.tick_params(left=False, labelleft=False)
                    ax.tick_params(axis="x", labelrotation=35)
            if reg.discrete:
                x0 = gs[0, col0].get_position(fig).x0
                x1 = gs[0, col0 + m - 1].get_position(fig).x1
                y1 = gs[0, col0].get_position(fig).y1
                fig.text(0.5 * (x0 + x1), y1 + 0.012, _cond_title(reg, cond), ha="center",
                         va="bottom", fontsize=FONT + 1)
        if not cont:
            ax = fig.add_subplot(gs[0, 0])
            _bars(ax, reg, colors)
        handles = []
        for s, ds in enumerate(reg.sets):
            probs, hidden = [], []
            for cond, cells in zip(reg.conditions, reg.cells):
                if reg.discrete:
                    c = cells[s]
                    val = ", ".join(f"{v:+g}" for v in cond.values())
                    probs.append(f"P({val}) = {c['probability']:.2f}")
                    if cont and not c["drawn"]:
                        hidden.append(val)
            text = ds + (": " + ", ".join(probs) if probs else "")
            if hidden:
                text += f"\n({', '.join(hidden)}: too few independent samples to draw)"
            handles.append(Line2D([], [], color=colors[s % len(colors)], label=text))
        handles += [Line2D([], [], color="0.3", ls="-", label=f"{100 * reg.levels[0]:g}% HPD"),
                    Line2D([], [], color="0.3", ls="--", lw=0.9,
                           label=f"{100 * reg.levels[1]:g}% HPD")]
        if m >= 2:
            anchor = gs[0, 1].get_position(fig)
            fig.legend(handles=handles, loc="upper left", frameon=False,
                       bbox_to_anchor=(anchor.x0, anchor.y1))
        else:
            fig.legend(handles=handles, loc="upper right", frameon=False)
        if title:
            fig.suptitle(title, x=0.01, y=0.995, ha="left", va="top", fontsize=FONT + 1.5)
        try:
            return io.save_figure(fig, path, dpi=dpi)
        finally:
            plt.close(fig)


def _diagonal(ax, reg, cells, k, colors, phys):
    top = 0.0
    for s, cell in enumerate(cells):
        if not cell["drawn"]:
            continue
        xc, dens = cell["d1"][k]
        ax.plot(phys(k, xc), dens, color=colors[s % len(colors)], lw=1.2)
        top = max(top, float(dens.max()))
    ax.set_ylim(0.0, 1.12 * top if top > 0 else 1.0)


def _pair(ax, cells, kx, ky, colors, phys):
    for s, cell in enumerate(cells):
        if not cell["drawn"]:
            continue
        xc, yc, _, _, lines = cell["d2"][(kx, ky)]
        for level, segs in enumerate(lines):
            for seg in segs:
                # the regions are closed along the range edges (for the data files); the
                # figure leaves those parts out, so the frame is not drawn twice
                seg = seg.copy()
                edge = ((seg[:, 0] < xc[0]) | (seg[:, 0] > xc[-1]) |
                        (seg[:, 1] < yc[0]) | (seg[:, 1] > yc[-1]))
                seg[edge] = np.nan
                ax.plot(phys(kx, seg[:, 0]), phys(ky, seg[:, 1]),
                        color=colors[s % len(colors)], lw=1.2 if level == 0 else 0.9,
                        ls="-" if level == 0 else "--")


def _truth(ax, reg, truths, kx, ky):
    t = truths if isinstance(truths, dict) else dict(zip(reg.names, truths))
    if t.get(reg.names[kx]) is not None:
        ax.axvline(t[reg.names[kx]], color="0.4", lw=0.7)
    if ky is not None and t.get(reg.names[ky]) is not None:
        ax.axhline(t[reg.names[ky]], color="0.4", lw=0.7)


def _bars(ax, reg, colors):
    n = len(reg.conditions)
    width = 0.8 / max(len(reg.sets), 1)
    for s, ds in enumerate(reg.sets):
        probs = [cells[s]["probability"] for cells in reg.cells]
        ax.bar(np.arange(n) + s * width, probs, width, color=colors[s % len(colors)], label=ds)
    ax.set_xticks(np.arange(n) + 0.4 - width / 2)
    ax.set_xticklabels([_cond_title(reg, c) for c in reg.conditions])
    ax.set_ylabel("posterior probability")
