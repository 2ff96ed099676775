"""Widths, branching ratios and decay lengths of N2 and N1 (issue 11 item 4).

Physics: :mod:`hnlfit.physics.lhc.decays` (derivation: docs/derivations/lhc_decays.md).
The N2 observables read ``d_NN`` (GeV^-1) or, with ``coupling="Lambda"``, C_NNB^12 = 1/Lambda
(d_NN = 2 c_w / Lambda).  N1 decays through the active-sterile dipoles (d_gamma_<l>, a or
d_Z/d_W) and the mixings U_<l>, at mass m_N1.
"""
from __future__ import annotations

from ...errors import ParameterError
from ...physics.lhc import decays as dec
from ...physics.lhc.partonic import d_NN_from_Lambda
from ..registry import observable

_F = ("e", "mu", "tau")
_REFS_N2 = ("2405.08877 (seed 000)", "docs/derivations/lhc_decays.md (explicit trace)")
_REFS_N1 = ("1805.08567 Sec. 3 (mixing widths, QCD correction)",
            "2308.16608 eqs. 2.19 (dipole widths)", "docs/derivations/lhc_decays.md")
_N2 = ("m_N1", "m_N2", "d_NN", "Lambda")
_N1 = ("m_N1",) + tuple(f"d_{k}_{f}" for k in ("gamma", "Z", "W") for f in _F) + tuple(
    f"U_{f}" for f in _F)


def d_NN_of(p, coupling: str):
    """d_NN from the point: ``coupling`` 'd_NN' or 'Lambda' (C_NNB = 1/Lambda)."""
    if coupling == "d_NN":
        return p["d_NN"]
    if coupling == "Lambda":
        return d_NN_from_Lambda(p["Lambda"])
    raise ParameterError(f"argument coupling must be 'd_NN' or 'Lambda' (C_NNB = 1/Lambda), "
                         f"got {coupling!r}")


@observable("gamma_N2_to_N1_gamma", unit="GeV", tex=r"\Gamma(N_2\to N_1\gamma)", params=_N2,
            refs=_REFS_N2, sm=0.0, args={"majorana": True, "coupling": "d_NN"},
            description="Gamma(N2 -> N1 gamma) = |d_NN|^2 (m2^2 - m1^2)^3 / (2 pi m2^3) "
                        "(Majorana; Dirac half), GeV")
def gamma_N2_to_N1_gamma(p, majorana=True, coupling="d_NN"):
    return dec.gamma_N2_to_N1_gamma(p["m_N1"], p["m_N2"], d_NN_of(p, coupling), bool(majorana))


@observable("gamma_N2_to_N1_Z", unit="GeV", tex=r"\Gamma(N_2\to N_1Z)", params=_N2,
            refs=_REFS_N2, sm=0.0, args={"majorana": True, "cp": "same", "coupling": "d_NN"},
            description="on-shell Gamma(N2 -> N1 Z), d_NNZ = -tan(theta_w) d_NN, GeV")
def gamma_N2_to_N1_Z(p, majorana=True, cp="same", coupling="d_NN"):
    return dec.gamma_N2_to_N1_Z(p["m_N1"], p["m_N2"], d_NN_of(p, coupling), bool(majorana), cp)


@observable("br_N2_to_N1_gamma", unit="1", tex=r"\mathcal{B}(N_2\to N_1\gamma)",
            params=("m_N1", "m_N2"), refs=_REFS_N2, sm=None,
            args={"majorana": True, "cp": "same"},
            description="BR(N2 -> N1 gamma) when C_NNB is N2's only coupling (masses only)")
def br_N2_to_N1_gamma(p, majorana=True, cp="same"):
    return dec.br_N2_to_N1_gamma(p["m_N1"], p["m_N2"], bool(majorana), cp)


@observable("ctau_N2", unit="m", tex=r"c\tau_{N_2}", params=_N2, refs=_REFS_N2, sm=None,
            args={"majorana": True, "cp": "same", "coupling": "d_NN"},
            description="proper decay length of N2 (N1 gamma + N1 Z), m")
def ctau_N2(p, majorana=True, cp="same", coupling="d_NN"):
    w = dec.n2_widths(p["m_N1"], p["m_N2"], d_NN_of(p, coupling), bool(majorana), cp)
    return dec.proper_decay_length(w["N1_gamma"] + w["N1_Z"])


@observable("gamma_N1", unit="GeV", tex=r"\Gamma_{N_1}", params=_N1, refs=_REFS_N1, sm=0.0,
            args={"majorana": True},
            description="total N1 width: dipole channels (nu gamma, nu Z*, l W*) and mixing "
                        "channels (l q q', nu q q, l l nu, 3 nu, nu h), GeV")
def gamma_N1(p, majorana=True):
    return dec.n1_total_width(p, bool(majorana))


@observable("ctau_N1", unit="m", tex=r"c\tau_{N_1}", params=_N1, refs=_REFS_N1, sm=None,
            args={"majorana": True}, description="proper decay length of N1, m")
def ctau_N1(p, majorana=True):
    return dec.proper_decay_length(dec.n1_total_width(p, bool(majorana)))


@observable("br_N1_to_nu_gamma", unit="1", tex=r"\mathcal{B}(N_1\to\nu\gamma)", params=_N1,
            refs=_REFS_N1, sm=0.0, args={"majorana": True},
            description="BR(N1 -> nu gamma), summed over flavours")
def br_N1_to_nu_gamma(p, majorana=True):
    return dec.br_N1_to_nu_gamma(p, bool(majorana))


@observable("br_N1_to_ejj", unit="1", tex=r"\mathcal{B}(N_1\to ejj)", params=_N1,
            refs=_REFS_N1, sm=0.0, args={"majorana": True},
            description="BR(N1 -> e + hadrons via W*), i.e. e j j")
def br_N1_to_ejj(p, majorana=True):
    return dec.br_N1_to_e_jj(p, bool(majorana))
