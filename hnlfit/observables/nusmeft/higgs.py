"""h -> l+ l- with the nuSMEFT right-handed current O_Hnue (arXiv:2105.11462 Sec. 4.1).

The effective Yukawa y_l^(eff) (eq. 4.8) with C_Hnue generated at mu_r = Lambda and the
measured lepton mass as input (eq. 4.7); see :mod:`hnlfit.physics.higgs`.  All observables
read ``m_N``, ``U_<l>``, ``C_Hnue_<l>`` (GeV^-2), ``Lambda`` (GeV, the matching scale) and the
CP phase ``phi_Hnue_<l>`` (0 in the seed).  At the no-HNL point y^(eff) = y^(SM) = m_l/v
exactly.
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ...params import Point
from ...physics.nusmeft import higgs as hg
from ..context import Evaluation, blockwise
from ..registry import observable
from ..validity import Limit, eft
from .shared import full, higgs_bracket

_REF = "2105.11462"
_REFS = (f"{_REF} eqs. 4.2-4.9", f"{_REF} Sec. 4.1 (C_eH(Lambda) = 0 procedure)")
BR_H_EE_SM = hg.br_h_ee_sm()


def _mu(ev: Evaluation, f: str) -> np.ndarray:
    """|y_f^eff/y_f^SM|^2 from the flavour-independent bracket (shared by both flavours);
    exactly 1 without a coupling."""
    if ev.vanishes(f"U_{f}") or ev.vanishes(f"C_Hnue_{f}"):
        return np.ones(ev.shape)
    r = hg.signal_strength(c.LEPTON_MASS[f], ev.compact("m_N"), ev.compact(f"U_{f}"),
                           ev.compact(f"C_Hnue_{f}"), ev.compact("Lambda"),
                           ev.compact(f"phi_Hnue_{f}"), bracket=higgs_bracket(ev))
    return full(r, ev.shape)


def _params(f: str) -> tuple[str, ...]:
    return ("m_N", f"U_{f}", f"C_Hnue_{f}", "Lambda", f"phi_Hnue_{f}")


def _valid(f: str) -> tuple:
    return eft((f,)) + (Limit("m_N", upper=2.5e8, why="the loop-function tables of eq. 4.9 "
                              "cover x_j < 1e13, m_N < 2.5e8 GeV"),)


@observable("mu_h_mumu", unit="1", tex=r"\mu_{h\to\mu\mu}", params=_params("mu"),
            refs=_REFS + (f"{_REF} eq. 4.10",), sm=1.0, valid=_valid("mu"))
@blockwise
def mu_h_mumu(p: Evaluation) -> np.ndarray:
    """Signal strength BR(h->mumu)/BR_SM = |y_mu^eff / y_mu^SM|^2."""
    return _mu(p, "mu")


@observable("br_h_to_ee", unit="1", tex=r"\mathrm{BR}(h\to e^+e^-)", params=_params("e"),
            refs=_REFS + (f"{_REF} eq. 4.11", "1610.07922 (BR_SM(h->mumu), YR4)"),
            sm=BR_H_EE_SM, valid=_valid("e"))
@blockwise
def br_h_to_ee(p: Evaluation) -> np.ndarray:
    """BR(h->ee) = B mu / (1 + B (mu - 1)), B = BR_SM(h->ee) = BR_SM(h->mumu)(m_e/m_mu)^2 and
    mu = |y_e^eff/y_e^SM|^2: the total width includes the changed h->ee rate, so the BR stays
    below 1 at large coupling (= B mu, the seed's eq. 4.11 form, to O(B mu) ~ 4e-4 at its limit)."""
    mu = _mu(p, "e")
    return BR_H_EE_SM * mu / (1.0 + BR_H_EE_SM * (mu - 1.0))


@observable("y_ratio_e", unit="1", tex=r"|y_e^{\rm eff}/y_e^{\rm SM}|", params=_params("e"),
            refs=_REFS + (f"{_REF} eq. 4.11",), sm=1.0, valid=_valid("e"))
@blockwise
def y_ratio_e(p: Evaluation) -> np.ndarray:
    """|y_e^eff / y_e^SM| (helicity-averaged modulus)."""
    return np.sqrt(_mu(p, "e"))


@observable("y_ratio_mu", unit="1", tex=r"|y_\mu^{\rm eff}/y_\mu^{\rm SM}|",
            params=_params("mu"), refs=_REFS, sm=1.0, valid=_valid("mu"))
@blockwise
def y_ratio_mu(p: Evaluation) -> np.ndarray:
    """|y_mu^eff / y_mu^SM| (helicity-averaged modulus)."""
    return np.sqrt(_mu(p, "mu"))
