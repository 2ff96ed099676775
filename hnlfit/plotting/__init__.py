"""Figures of every card kind in one house style (:mod:`hnlfit.plotting.style`).

:func:`plane_figure` draws parameter planes (current exclusions as one grey union with each
constraint's outline in its colour; bands as fills with edges; projections as lines, shaded
where asked; the EFT-invalid region opaque on top); :func:`curves_figure` draws observables against
one parameter.  Both take geometry and values computed by :mod:`hnlfit.cards`, nothing here
computes physics.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only; no display needed

from .labels import axis_label  # noqa: E402
from .plane import plane_figure  # noqa: E402
from .curves import curves_figure  # noqa: E402

__all__ = ["axis_label", "plane_figure", "curves_figure"]
