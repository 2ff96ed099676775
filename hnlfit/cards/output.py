"""The one output writer of every card kind: figure, arrays and a JSON summary.

Outputs of a card ``NAME`` go to ``<outdir>/NAME/``: ``NAME.png`` and ``.pdf`` (the figure),
``NAME.npz`` (grids, masks, curves or chains), ``NAME.json`` (the card, thresholds and CLs
used, data sets, references, timings).  Every file is written to a temporary name first and
renamed, so an interrupted run leaves no half-written result.
"""
from __future__ import annotations

from pathlib import Path

from .._version import __version__
from ..io import save_figure, write_json, write_npz


def write_outputs(card: dict, outdir: Path, fig, arrays: dict, summary: dict) -> dict:
    """Write the figure (PNG, PDF), the arrays (NPZ) and the summary (JSON) of a card to
    ``<outdir>/<name>/``, each atomically; returns the paths and the summary."""
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
