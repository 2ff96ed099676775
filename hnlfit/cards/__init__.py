"""Run cards: YAML files that say what to compute (see :mod:`hnlfit.cards.load`).

``run_card`` loads and validates a card, loads its plugins and hands it to the module of its
kind: :mod:`~hnlfit.cards.plane`, :mod:`~hnlfit.cards.curves` or
:mod:`~hnlfit.cards.posterior`; every kind writes through :mod:`~hnlfit.cards.output`.
"""
from __future__ import annotations

from pathlib import Path

from ..plugins import load_entry_point_plugins, load_plugin
from .curves import run_curves
from .load import check_writable, load_card, resolve_path
from .plane import run_plane
from .posterior import run_posterior

RUNNERS = {"plane": run_plane, "curves": run_curves, "posterior": run_posterior}


def run_card(path: str | Path, outdir: str | Path = "results", quick: bool = False,
             progress: bool = True, plugins: tuple[str, ...] = (),
             restart: bool = False) -> dict:
    """Run one card; returns the output paths and the summary written to JSON.
    ``restart``: posterior chains start afresh instead of continuing a stored chain."""
    load_entry_point_plugins()
    for p in plugins:
        load_plugin(p)
    card = load_card(path, quick=quick)
    check_writable(outdir)
    card["_quick"], card["_restart"] = bool(quick), bool(restart)
    for p in card.get("plugins", []):
        load_plugin(resolve_path(p, card))
    return RUNNERS[card["kind"]](card, Path(outdir), progress)
