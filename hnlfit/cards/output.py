"""The one output writer of every card kind: figure, arrays, data tables and a JSON summary.

Outputs of a card ``NAME`` go to ``<outdir>/NAME/``: ``NAME.png`` and ``.pdf`` (the figure),
``NAME.npz`` (grids, masks, curves or chains; plane arrays are (nx, ny) as
:class:`~hnlfit.fitter.scan.ScanResult`), ``NAME.json`` (the card, thresholds and CLs used,
data sets, references, timings, and for a plane card the per-mass limits), and the data
tables of :mod:`hnlfit.cards.export` (contour points and limit tables as JSON/CSV, a HEPData
submission; curve tables).  Every file is written to a temporary name first and renamed, so
an interrupted run leaves no half-written result.

:func:`card_progress` is the one progress bar of a card run: it covers every stage (scan,
refinement, figure, each file written), the current stage shown after the bar.
"""
from __future__ import annotations

import time
from pathlib import Path

from .._version import __version__
from ..io import save_figure, write_json, write_npz
from ..plotting.style import PNG_DPI


def card_progress(card: dict, total: int, progress: bool = True):
    """One tqdm bar for a whole card run (``total`` steps)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=card["name"], disable=not progress, unit="step",
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                           "[{elapsed}<{remaining}]{postfix}")


def write_outputs(card: dict, outdir: Path, fig, arrays: dict, summary: dict, bar=None,
                  t0: float | None = None, plane: dict | None = None,
                  curves: dict | None = None) -> dict:
    """Write the figure (PNG, PDF), the arrays (NPZ), the data tables (plane or curves
    exports) and the summary (JSON) of a card to ``<outdir>/<name>/``, each atomically;
    returns the paths and the summary."""
    import matplotlib.pyplot as plt

    from . import export

    folder = Path(outdir) / card["name"]
    name = card["name"]

    def step(label, fn):
        if bar is not None:
            bar.set_postfix_str(f"writing {label}")
        out = fn()
        if bar is not None:
            bar.update()
        return out

    paths = {"png": step("png", lambda: save_figure(fig, folder / f"{name}.png", dpi=PNG_DPI)),
             "pdf": step("pdf", lambda: save_figure(fig, folder / f"{name}.pdf")),
             "npz": step("npz", lambda: write_npz(folder / f"{name}.npz", **arrays))}
    plt.close(fig)
    if plane is not None:
        paths.update(step("contours and limits",
                          lambda: export.write_plane_tables(card, folder, plane)))
        paths.update(step("HEPData", lambda: export.write_hepdata(card, folder, plane)))
    if curves is not None:
        paths.update(step("curve tables", lambda: export.write_curve_tables(card, folder,
                                                                             curves)))
    if t0 is not None:
        summary = {**summary, "seconds": time.perf_counter() - t0}
    meta = {"hnlfit_version": __version__,
            "card": {k: v for k, v in card.items() if not k.startswith("_")},
            "card_path": card["_path"], **summary,
            "outputs": {k: str(v) for k, v in paths.items()}}
    paths["json"] = step("json", lambda: write_json(folder / f"{name}.json", meta))
    if bar is not None:
        bar.set_postfix_str("done")
        bar.n = bar.total
        bar.refresh()
        bar.close()
    return {"paths": paths, "summary": meta}
