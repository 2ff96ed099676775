"""Matplotlib figures for parameter planes: bands, exclusions, projections, EFT validity."""
from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .params import PARAMETERS  # noqa: E402

_TEX = {
    "m_N": r"$m_N$", "Lambda": r"$\Lambda$", "U_mu": r"$|U_{\mu 4}|$", "U_e": r"$|U_{e4}|$",
    "d_gamma_e": r"$d_\gamma^e$", "d_gamma_mu": r"$d_\gamma^\mu$",
    "d_gamma_tau": r"$d_\gamma^\tau$", "C_Hnue_mu": r"$[\bar C_{H\nu e}]_{4\mu}$",
    "C_Hnue_e": r"$[\bar C_{H\nu e}]_{4e}$", "sign": "sign",
}


def axis_label(name: str, label: str | None = None) -> str:
    """``label`` if given, else the parameter's symbol with its unit in brackets."""
    if label:
        return label
    spec = PARAMETERS.get(name)
    unit = spec.unit if spec else ""
    sym = _TEX.get(name, name)
    return f"{sym} [{_tex_unit(unit)}]" if unit and unit != "1" else sym


def _tex_unit(unit: str) -> str:
    """'GeV^-1' -> 'GeV$^{-1}$' (plain units are left alone)."""
    base, sep, power = unit.partition("^")
    return f"{base}$^{{{power}}}$" if sep else unit


def _legend_columns(labels: list[str], width_in: float) -> int:
    """As many columns (at most 3) as fit the figure width at fontsize 9 (~0.075 in per
    character plus the handle), so no label is cut at the figure edge."""
    longest = max((len(lab) for lab in labels), default=1)
    fit = int(width_in // (0.075 * longest + 0.7))
    return max(1, min(3, fit, len(labels)))


def plane_figure(panels: list[dict], x: np.ndarray, y: np.ndarray, xaxis: dict, yaxis: dict,
                 title: str = "", reference: str = ""):
    """Draw one or more panels of a parameter plane.

    Each panel is ``{"title": str, "layers": [drawn layer dicts]}`` where a drawn layer has
    ``kind`` (band | excluded | projection | eft_invalid | combined), ``label``, ``color``,
    ``field`` (a grid; the region is ``field > 1``) and, for bands, ``levels`` (the region
    of each level is ``field < level``).
    """
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(5.6 * n + 0.6, 6.0), squeeze=False,
                             constrained_layout=True)
    X, Y = np.meshgrid(x, y)
    legend: dict[str, object] = {}
    for ax, panel in zip(axes[0], panels):
        for layer in panel["layers"]:
            h = _draw_layer(ax, X, Y, layer)
            if h is not None and h.get_label() not in legend:
                legend[h.get_label()] = h
        ax.set_xscale("log" if xaxis.get("log") else "linear")
        ax.set_yscale("log" if yaxis.get("log") else "linear")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(y[0], y[-1])
        ax.set_xlabel(axis_label(xaxis["name"], xaxis.get("label")))
        ax.set_ylabel(axis_label(yaxis["name"], yaxis.get("label")))
        ax.set_title(panel.get("title", ""), fontsize=11)
        ax.grid(alpha=0.25, which="both", lw=0.5)
    # one legend for all panels, below them, so no region of the plane is hidden
    # a layer that excludes nothing in one panel but something in another: keep the real entry
    suffix = " (no exclusion in range)"
    legend = {k: h for k, h in legend.items()
              if not (k.endswith(suffix) and k.removesuffix(suffix) in legend)}
    width = fig.get_size_inches()[0]
    fig.legend(handles=list(legend.values()), loc="outside lower center",
               ncol=_legend_columns(list(legend), width), fontsize=9, frameon=False)
    if title:
        wrap = max(30, int(width * 11))        # characters per line at fontsize 12
        ref = "\n".join(textwrap.wrap(f"({reference})", wrap)) if reference else ""
        fig.suptitle("\n".join(filter(None, ["\n".join(textwrap.wrap(title, wrap)), ref])),
                     fontsize=12)
    return fig


def curves_figure(panels: list[dict], x: np.ndarray, xaxis: dict, yaxis: dict,
                  title: str = "", reference: str = ""):
    """Panels stacked vertically, each ``{"title", "curves": [{y, label, color, style}]}``;
    non-positive (on a log axis) or non-finite values are left out of each line."""
    n = len(panels)
    fig, axes = plt.subplots(n, 1, figsize=(7.5, 4.2 * n + 0.8), squeeze=False,
                             constrained_layout=True)
    ls = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}
    ylog = yaxis.get("log", False)
    for ax, panel in zip(axes[:, 0], panels):
        for i, cv in enumerate(panel["curves"]):
            y = np.where(np.isfinite(cv["y"]) & ((cv["y"] > 0) if ylog else True), cv["y"],
                         np.nan)
            ax.plot(x, y, ls[cv["style"]], color=cv["color"] or f"C{i % 10}", lw=1.6,
                    label=cv["label"])
        ax.set_xscale("log" if xaxis.get("log") else "linear")
        ax.set_yscale("log" if ylog else "linear")
        ax.set_xlim(x[0], x[-1])
        if "min" in yaxis or "max" in yaxis:
            ax.set_ylim(yaxis.get("min"), yaxis.get("max"))
        ax.set_xlabel(axis_label(xaxis["name"], xaxis.get("label")))
        ax.set_ylabel(yaxis.get("label", ""))
        ax.set_title(panel.get("title", ""), fontsize=11)
        ax.grid(alpha=0.25, which="both", lw=0.5)
        ax.legend(fontsize=7.5, ncol=3, loc="lower left", frameon=False)
    if title:
        wrap = 80
        ref = "\n".join(textwrap.wrap(f"({reference})", wrap)) if reference else ""
        fig.suptitle("\n".join(filter(None, [title, ref])), fontsize=12)
    return fig


def _draw_layer(ax, X, Y, layer):
    """Draw one layer from its continuous ``field`` (so contours are interpolated between
    grid points): bands are ``field < level``, every other region is ``field > 1``."""
    color = layer.get("color", "C0")
    label = layer.get("label", layer["kind"])
    kind = layer["kind"]
    field = np.nan_to_num(np.asarray(layer["field"], float), nan=0.0, posinf=1e300)
    top = max(float(field.max()), 1.0) * 2.0
    if kind == "band":
        levels = layer["levels"]
        for lev, a in zip(levels, np.linspace(0.3, 0.7, len(levels))):
            if (field < lev).any():
                ax.contourf(X, Y, field, levels=[-1.0, lev], colors=[color], alpha=a)
        return Patch(color=color, alpha=0.55, label=label)
    if not (field > 1.0).any():
        return None if kind == "eft_invalid" else Line2D(
            [], [], color=color, ls=":", label=f"{label} (no exclusion in range)")
    if kind in ("excluded", "eft_invalid"):
        alpha = 0.75 if kind == "eft_invalid" else 0.35
        ax.contourf(X, Y, field, levels=[1.0, top], colors=[color], alpha=alpha)
        ax.contour(X, Y, field, levels=[1.0], colors=[color], linewidths=1.2)
        return Patch(facecolor=color, alpha=alpha, edgecolor=color, label=label)
    # projections and combined contours are lines
    ls = {"dashed": "--", "dotted": ":", "solid": "-"}.get(layer.get("style", "dashed"), "--")
    ax.contour(X, Y, field, levels=[1.0], colors=[color], linewidths=1.8, linestyles=[ls])
    return Line2D([], [], color=color, ls=ls, lw=1.8, label=label)
