"""Scalar leptoquark S_1 ~ (3bar,1,1/3) (seed 001): maps (m_LQ, y_1, y_2) onto the active-
sterile photon dipole ``d_gamma_tau`` (y_2 couples L_tau) and ``Lambda`` = m_LQ.

The b-S_1 loop gives a photon dipole only at this order (the B/W split needs the unbroken-
phase matching of L-bar sigma N H-tilde B/W, not done): d_Z, d_W are left to the card
(scenario choice via ``a``, default none -> only d_gamma).  Physics in
:mod:`hnlfit.physics.uv.leptoquark`.
"""
from __future__ import annotations

import numpy as np

from ..physics.uv import leptoquark as phys

NAME = "leptoquark_s1"
PARAMETERS = ("m_LQ", "y_1", "y_2", "yp_1")
LEPTON = "tau"


def to_eft(values) -> dict:
    if "m_LQ" not in values:
        from ..errors import ParameterError
        raise ParameterError(f"model {NAME!r} needs 'm_LQ' (GeV)")
    m = np.asarray(values["m_LQ"], float)
    y1 = np.asarray(values.get("y_1", 0.0), float)
    y2 = np.asarray(values.get("y_2", 0.0), float)
    return {f"d_gamma_{LEPTON}": phys.d_transition(y1, y2, m), "Lambda": m}
