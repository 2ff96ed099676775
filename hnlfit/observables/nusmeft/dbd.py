"""Neutrinoless double beta decay of 136Xe (arXiv:2105.11462 Sec. 4.5, eq. 4.29).

See :mod:`hnlfit.physics.dbd`.  Reads ``m_N`` (= m_4, GeV), ``C_Hnue_e`` (GeV^-2) and, for
``terms="full"``, ``U_e``; ``m_bb`` (eV) is an argument, not a model parameter.
"""
from __future__ import annotations

import numpy as np

from ...params import Point
from ...physics.nusmeft import dbd
from ..context import evaluation
from ..registry import observable
from ..validity import eft
from .shared import full

_REF = "2105.11462"


@observable("inv_half_life_xe136", unit="1/yr", tex=r"1/T_{1/2}^{0\nu}(^{136}\mathrm{Xe})",
            params=("m_N", "C_Hnue_e", "U_e"),
            refs=(f"{_REF} eqs. 4.24-4.29", "Hyvarinen-Suhonen PRC 91 (2015) 024613 (NMEs)",
                  "1706.05391 (phase-space factors)"),
            sm=0.0, args={"terms": "c1r", "m_bb": 0.0}, valid=eft(("e",)))
def inv_half_life_xe136(p: Point, terms: str = "c1r", m_bb: float = 0.0) -> np.ndarray:
    """Inverse 0vbb half-life of 136Xe; terms="c1r" (C_1R^(9) only, seed's limit) or "full".
    A few products per point: not worth blocking."""
    ev = evaluation(p)
    if terms == "c1r" and ev.vanishes("C_Hnue_e"):
        return np.zeros(ev.shape)
    r = dbd.inv_half_life_xe136(ev.compact("m_N"), ev.compact("C_Hnue_e"), U=ev.compact("U_e"),
                                m_bb=m_bb, terms=terms)
    return full(r, ev.shape)
