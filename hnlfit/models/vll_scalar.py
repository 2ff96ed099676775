"""Vector-like lepton E ~ (1,1)_-1 + singly charged scalar phi ~ (1,1)_-1 (2405.08877).

Maps (m_E, m_phi, Y_E_<l>, f_<ab>, h_i, hp_i) onto
* ``d_NN``  = 2 c_w C_NNB^(5)12 (sterile-sterile, N_2 -> N_1 gamma),
* ``d_UB_<l>``, ``d_UW_<l>`` (active-sterile, for N_1; they fix d_gamma, d_Z, d_W through
  2308.16608 eq. 2.4, i.e. a = 2/(3 tan theta_w)),
* ``Lambda`` = min(m_E, m_phi) (the matching scale; EFT validity also needs m_N2 < m_E).
Physics in :mod:`hnlfit.physics.uv.vll_scalar`.
"""
from __future__ import annotations

import numpy as np

from ..physics.uv import vll_scalar as phys
from ..physics.uv.vll_scalar import FLAVOURS

NAME = "vll_scalar"
PARAMETERS = ("m_E", "m_phi", "Y_E_e", "Y_E_mu", "Y_E_tau", "f_emu", "f_etau", "f_mutau",
              "h_1", "h_2", "hp_1", "hp_2")
MASSES = ("m_E", "m_phi")


class _Values(dict):
    """Couplings not given are zero; masses must be given."""

    def __missing__(self, key):
        if key in MASSES:
            from ..errors import ParameterError
            raise ParameterError(f"model {NAME!r} needs {key!r} (GeV)")
        return 0.0


def to_eft(values) -> dict:
    p = _Values({k: np.asarray(v, float) for k, v in values.items() if k in PARAMETERS})
    out = {"d_NN": phys.d_NN(p), "Lambda": np.minimum(p["m_E"], p["m_phi"])}
    for f in FLAVOURS:
        out[f"d_UB_{f}"], out[f"d_UW_{f}"] = phys.unbroken_dipoles(p, f)
    return out
