"""Curves figures (observables against one parameter) in the house style."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .labels import axis_label
from .style import PALETTE, figure_size, house_style, wrap_text

_LS = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}


def curves_figure(panels: list[dict], x: np.ndarray, xaxis: dict, yaxis: dict,
                  title: str = "", reference: str = "", on_panel=None):
    """Panels side by side (two per row), each ``{"title", "curves": [{y, label, color,
    style}]}``; one legend below for all panels (a label once).  Non-positive (on a log
    axis) or non-finite values are left out of each line."""
    with house_style():
        rows, cols, (w, h) = figure_size(len(panels))
        fig = plt.figure(figsize=(w, h + 1.2), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False)
        ylog = yaxis.get("log", False)
        legend: dict[str, object] = {}
        for ax, panel in zip(axes.ravel(), panels):
            for i, cv in enumerate(panel["curves"]):
                yv = np.asarray(cv["y"], dtype=np.float64)
                yv = np.where(np.isfinite(yv) & ((yv > 0) if ylog else True), yv, np.nan)
                color = cv["color"] or PALETTE[i % len(PALETTE)]
                ls = _LS[cv["style"]]
                ax.plot(x, yv, ls, color=color, lw=1.2)
                legend.setdefault(cv["label"], Line2D([], [], color=color, ls=ls, lw=1.2))
            ax.set_xscale("log" if xaxis.get("log") else "linear")
            ax.set_yscale("log" if ylog else "linear")
            ax.set_xlim(x[0], x[-1])
            if "min" in yaxis or "max" in yaxis:
                ax.set_ylim(yaxis.get("min"), yaxis.get("max"))
            ax.set_xlabel(axis_label(xaxis["name"], xaxis.get("label")))
            ax.set_ylabel(yaxis.get("label", ""))
            if panel.get("title"):
                ax.set_title(wrap_text(panel["title"], 52))
            if on_panel is not None:
                on_panel()
        for ax in axes.ravel()[len(panels):]:
            ax.set_visible(False)
        fig.legend(handles=list(legend.values()), labels=list(legend),
                   loc="outside lower center", ncol=min(5, max(1, int(w // 1.35))))
        if title or reference:
            text = wrap_text(title, int(w * 13)) if title else ""
            if reference:
                text += ("\n" if text else "") + wrap_text(f"({reference})", int(w * 13))
            fig.suptitle(text)
    return fig
