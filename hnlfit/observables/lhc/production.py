"""LHC production observables and the LEP view of the sterile–sterile dipole (issue 11).

Physics in :mod:`hnlfit.physics.lhc` (derivation: docs/derivations/lhc_production.md).

The N₁N₂ observables read ``d_NN`` (GeV⁻¹) or, with ``coupling="Lambda"``, the scale of
C_NNB^12 = 1/Λ: d_NN = 2 c_w / Λ (the antisymmetric C^ij counts the 12 term twice).
"""
from __future__ import annotations

import numpy as np

from ...errors import ParameterError
from ...physics.lhc import lep, production as prod
from ...physics.lhc.partonic import d_NN_from_Lambda
from ..registry import observable

_REFS = ("2405.08877 (seed 000: pp -> N1 N2 through C_NNB)",
         "docs/derivations/lhc_production.md (traces, d_NN = 2 c_w C_NNB^12)")
_NN = ("m_N1", "m_N2", "d_NN", "Lambda")
_ARGS_NN = {"majorana": True, "cp": "same", "coupling": "d_NN"}


def _masses(p):
    """(m_N1, m_N2), checking that N1 is the lighter state."""
    m1, m2 = p["m_N1"], p["m_N2"]
    if np.any(m1 > m2):
        bad = np.asarray(m1 - m2)
        raise ParameterError(f"m_N1 must not exceed m_N2 (N1 is the lighter state); got m_N1 - "
                             f"m_N2 = {np.max(bad):g} GeV")
    return m1, m2


def _d_NN(p, coupling: str):
    if coupling == "d_NN":
        return p["d_NN"]
    if coupling == "Lambda":
        return d_NN_from_Lambda(p["Lambda"])
    raise ParameterError(f"argument coupling must be 'd_NN' or 'Lambda' (C_NNB = 1/Lambda), "
                         f"got {coupling!r}")


@observable("sigma_pp_to_N1N2", unit="pb", tex=r"\sigma(pp\to N_1N_2)", params=_NN,
            refs=_REFS, sm=0.0,
            args={"sqrt_s": 14000.0, "scale": "nominal", **_ARGS_NN},
            description="LO sigma(pp -> N1 N2) through the sterile-sterile dipole (gamma*+Z*), "
                        "pb; sqrt_s 13600 or 14000 GeV; scale nominal|down|up (mu_F = "
                        "sqrt(s-hat) x 1, 1/2, 2)")
def sigma_pp_to_N1N2(p, sqrt_s=14000.0, scale="nominal", majorana=True, cp="same",
                     coupling="d_NN"):
    return prod.sigma_pp_to_N1N2(*_masses(p), _d_NN(p, coupling), float(sqrt_s),
                                 bool(majorana), cp, scale)


@observable("eft_fraction_pp_to_N1N2", unit="1",
            tex=r"\sigma(\sqrt{\hat s}>\Lambda)/\sigma", params=("m_N1", "m_N2", "Lambda"),
            refs=_REFS, sm=None, args={"sqrt_s": 14000.0, "majorana": True, "cp": "same"},
            description="fraction of sigma(pp -> N1 N2) from sqrt(s-hat) > Lambda (EFT "
                        "validity flag)")
def eft_fraction_pp_to_N1N2(p, sqrt_s=14000.0, majorana=True, cp="same"):
    return prod.fraction_above(p["Lambda"], *_masses(p), float(sqrt_s),
                               bool(majorana), cp)


@observable("gamma_Z_to_N1N2", unit="GeV", tex=r"\Gamma(Z\to N_1N_2)", params=_NN,
            refs=_REFS, sm=0.0, args=dict(_ARGS_NN),
            description="Gamma(Z -> N1 N2) through d_NNZ = -tan(theta_w) d_NN, GeV")
def gamma_Z_to_N1N2(p, majorana=True, cp="same", coupling="d_NN"):
    return lep.gamma_Z_to_N1N2(*_masses(p), _d_NN(p, coupling), bool(majorana), cp)


@observable("sigma_ee_to_N1N2", unit="pb", tex=r"\sigma(e^+e^-\to N_1N_2)", params=_NN,
            refs=_REFS, sm=0.0, args={"sqrt_s": 91.1876, **_ARGS_NN},
            description="sigma(e+e- -> gamma*/Z* -> N1 N2) through d_NN, pb")
def sigma_ee_to_N1N2(p, sqrt_s=91.1876, majorana=True, cp="same", coupling="d_NN"):
    return lep.sigma_ee_to_N1N2(sqrt_s, *_masses(p), _d_NN(p, coupling),
                                bool(majorana), cp)


_F = ("e", "mu", "tau")
_AS_REFS = ("2405.08877 (seed 000: benchmarks B4-B8)", "2308.16608 eq. 2.3 (d_gamma, d_Z, d_W)",
            "docs/derivations/lhc_production.md")


@observable("sigma_pp_to_N_nu", unit="pb", tex=r"\sigma(pp\to N\nu)",
            params=("m_N",) + tuple(f"d_{k}_{f}" for k in ("gamma", "Z") for f in _F),
            refs=_AS_REFS, sm=0.0, args={"sqrt_s": 14000.0, "scale": "nominal"},
            description="LO sigma(pp -> N nu + c.c.) through the active-sterile d_gamma, d_Z "
                        "(summed over flavours), pb")
def sigma_pp_to_N_nu(p, sqrt_s=14000.0, scale="nominal"):
    return prod.sigma_N_nu_point(p, float(sqrt_s), scale)


@observable("sigma_pp_to_l_N", unit="pb", tex=r"\sigma(pp\to \ell^\pm N)_{d_W}",
            params=("m_N",) + tuple(f"d_W_{f}" for f in _F), refs=_AS_REFS, sm=0.0,
            args={"sqrt_s": 14000.0, "scale": "nominal"},
            description="LO sigma(pp -> W* -> l+- N) through the W dipole d_W (summed over "
                        "flavours and charges), pb")
def sigma_pp_to_l_N(p, sqrt_s=14000.0, scale="nominal"):
    return prod.sigma_l_N_dipole_point(p, float(sqrt_s), scale)


@observable("sigma_pp_to_W_to_l_N", unit="pb", tex=r"\sigma(pp\to W\to \ell^\pm N)_{U}",
            params=("m_N",) + tuple(f"U_{f}" for f in _F),
            refs=("2405.08877 (seed 000: minimal scenario)", "docs/derivations/lhc_production.md"),
            sm=0.0, args={"sqrt_s": 14000.0, "scale": "nominal"},
            description="LO sigma(pp -> W* -> l+- N) through mixing |U_l|^2 (summed over "
                        "flavours and charges), pb")
def sigma_pp_to_W_to_l_N(p, sqrt_s=14000.0, scale="nominal"):
    return prod.sigma_l_N_mixing_point(p, float(sqrt_s), scale)


_LEP_REFS = _REFS + ("hnlfit/data/monophoton_analyses.yaml (DELPHI, OPAL, L3 selections)",)


@observable("sigma_monophoton_N1N2", unit="pb",
            tex=r"\sigma(e^+e^-\to N_1N_2\to\gamma+\mathrm{inv})", params=_NN, refs=_LEP_REFS,
            sm=0.0, args={"analysis": "delphi_lep2", **_ARGS_NN},
            description="accepted single-photon cross section of a LEP analysis from e+e- -> "
                        "N1 N2, N2 -> N1 gamma (N1 invisible), pb")
def sigma_monophoton_N1N2(p, analysis="delphi_lep2", majorana=True, cp="same",
                          coupling="d_NN"):
    m1, m2 = _masses(p)
    return lep.sigma_monophoton_N1N2(analysis, m1, m2, _d_NN(p, coupling), bool(majorana), cp)


@observable("br_Z_to_gamma_inv_N1N2", unit="1",
            tex=r"\mathrm{BR}(Z\to\gamma+\mathrm{inv})_{N_1N_2}", params=_NN, refs=_LEP_REFS,
            sm=0.0, args={"analysis": "l3_z", **_ARGS_NN},
            description="BR(Z -> N1 N2, N2 -> N1 gamma, photon inside the L3 cuts)")
def br_Z_to_gamma_inv_N1N2(p, analysis="l3_z", majorana=True, cp="same", coupling="d_NN"):
    m1, m2 = _masses(p)
    return lep.br_Z_to_gamma_inv_N1N2(m1, m2, _d_NN(p, coupling), analysis, bool(majorana), cp)
