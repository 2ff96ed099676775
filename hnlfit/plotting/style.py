"""The house style of every hnlfit figure: sizes, fonts, colours per measurement, titles.

* Sizes are for a journal page: one panel is ``PANEL_WIDTH`` inches wide (a single column),
  two panels side by side make a double-column figure; PNGs are saved at ``PNG_DPI``, so the
  fonts (8-9 pt) read at 100% zoom as they would in print.
* Colours and line styles are looked up by *measurement name* (:func:`style_for`), so the
  same constraint has the same colour on every card.  A name that is not in the table gets a
  colour from a fixed palette chosen by a hash of the name: stable across runs and cards,
  no table entry needed for a new sector.  A card's ``color``/``style`` overrides the table.
* :func:`wrap_text` wraps titles between words but never inside ``$...$`` (TeX math), so a
  long title never prints raw TeX.
"""
from __future__ import annotations

import zlib
from contextlib import contextmanager

PANEL_WIDTH = 3.4          # inches: one journal column
PANEL_HEIGHT = 2.9
MAX_COLUMNS = 2            # panels per row (2 = double-column width)
PNG_DPI = 200

RC = {
    "font.size": 8.0,
    "axes.titlesize": 8.5,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 7.5,
    "figure.titlesize": 9.5,
    "axes.linewidth": 0.7,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "xtick.minor.visible": True,
    "ytick.minor.visible": True,
    "lines.linewidth": 1.3,
    "legend.frameon": False,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "pdf.fonttype": 42,
}

# grey of the union of current exclusions, and of the EFT-validity hatch
EXCLUDED_FILL = "0.86"
EFT_COLOR = "0.45"        # the seed's "dark gray area" (2105.11462 Figs. 5, 6)

_LS = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}

# colour and line style of each measurement's outline (current exclusions) or line
# (projections); bands use the colour for their fill and edge
TABLE: dict[str, tuple[str, str]] = {
    # published bounds (HNLimits curves)
    "published_bounds_union": ("0.35", "solid"),
    "published_bbn": ("0.55", "dotted"),
    "published_sn1987a": ("#8c564b", "solid"),
    "published_borexino": ("#bcbd22", "dashed"),
    "published_xenon1t": ("#17becf", "solid"),
    "published_lsnd": ("#9467bd", "dashdot"),
    "published_sk_atm_e": ("#e377c2", "dashed"),
    "published_sk_atm_mu": ("#e377c2", "dashed"),
    "published_sk_atm_tau": ("#e377c2", "dashed"),
    "published_charm2": ("#9467bd", "dashdot"),
    "published_miniboone": ("#ff7f0e", "dotted"),
    "published_nomad": ("#b8860b", "dashdot"),
    "published_donut": ("#9467bd", "dashdot"),
    "published_lep_magill": ("#ff7f0e", "dashed"),
    # LEP (hnlfit likelihoods)
    "z_invisible_width_np": ("0.3", "dashdot"),
    "delphi_monophoton": ("#1f77b4", "solid"),
    "opal_monophoton_lep1": ("#2ca02c", "dashed"),
    "l3_z_gamma_invisible": ("#d62728", "solid"),
    # future e+e- colliders
    "cepc_Z_monophoton": ("#e7298a", "dashed"),
    "cepc_WW_monophoton": ("#ff7f0e", "dashed"),
    "cepc_H_monophoton": ("#7570b3", "dashed"),
    "cepc_tt_monophoton": ("#8c564b", "dashed"),
    "fccee_Z_monophoton": ("#1b9e77", "dotted"),
    # far detectors (seed 003: FASER2 green, FACET red)
    "faser2_hllhc": ("#2ca02c", "solid"),
    "facet_hllhc": ("#d62728", "solid"),
    "faser2_wz_hllhc": ("#2ca02c", "solid"),
    "facet_wz_hllhc": ("#d62728", "solid"),
    "mapp2_wz_hllhc": ("#1f77b4", "solid"),
    # nuSMEFT (seed 004)
    "lhc_hnl_mu": ("#d62728", "solid"),
    "lhc_hnl_mu_hllhc": ("#d62728", "dashed"),
    "h_mumu_cms": ("#1f77b4", "solid"),
    "h_mumu_hllhc": ("#1f77b4", "dashed"),
    "delta_a_mu": ("#2ca02c", "solid"),
    "dbd_xe136": ("#d62728", "solid"),
    "dbd_xe136_nexo": ("#d62728", "dashed"),
    "h_ee_yukawa": ("#1f77b4", "solid"),
    "h_ee_yukawa_hllhc": ("#1f77b4", "dashed"),
    "delta_a_e_rb": ("#2ca02c", "solid"),
    "delta_a_e_cs": ("#ff7f0e", "solid"),
}

# the palette for names that are not in the table (colour-blind safe, no grey)
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b",
           "#9467bd", "#bcbd22", "#17becf")


def style_for(key: str, color: str | None = None, style: str | None = None,
              default_style: str = "solid") -> tuple[str, str]:
    """(colour, matplotlib line style) of a measurement (or any stable key): the card's
    ``color``/``style`` if given, else the table, else a hash-chosen palette colour."""
    tcolor, tstyle = TABLE.get(key, (None, None))
    if tcolor is None:
        tcolor = PALETTE[zlib.crc32(key.encode()) % len(PALETTE)]
    name = style or tstyle or default_style
    return color or tcolor, _LS.get(name, name)


@contextmanager
def house_style():
    """rcParams of the house style, for the duration of drawing one figure."""
    import matplotlib as mpl

    with mpl.rc_context(RC):
        yield


def figure_size(n_panels: int) -> tuple[int, int, tuple[float, float]]:
    """(rows, columns, size in inches of the panel area) for ``n_panels`` panels."""
    cols = min(n_panels, MAX_COLUMNS)
    rows = -(-n_panels // cols)
    return rows, cols, (PANEL_WIDTH * cols, PANEL_HEIGHT * rows)


def wrap_text(text: str, width: int) -> str:
    """Wrap ``text`` into lines of at most ``width`` visible characters, breaking only at
    spaces outside ``$...$`` (a TeX span is one unbreakable word, counted by a rough
    visible length)."""
    words, cur, in_math = [], "", False
    for ch in text:
        if ch == "$":
            in_math = not in_math
        if ch == " " and not in_math:
            if cur:
                words.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        words.append(cur)
    lines, line, n = [], "", 0
    for w in words:
        vis = _visible_length(w)
        if line and n + 1 + vis > width:
            lines.append(line)
            line, n = w, vis
        else:
            line, n = (f"{line} {w}", n + 1 + vis) if line else (w, vis)
    if line:
        lines.append(line)
    return "\n".join(lines)


def _visible_length(word: str) -> int:
    """Rough printed width of a word: TeX commands count as one character."""
    import re

    if "$" not in word:
        return len(word)
    plain = re.sub(r"\\[A-Za-z]+", "x", word)
    plain = re.sub(r"[${}^_]", "", plain)
    return max(1, len(plain))
