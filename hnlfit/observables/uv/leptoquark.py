"""Observables of the scalar leptoquark S_1 (seed 001): mu_nu, the radiative Dirac mass and
the light-neutrino mass it implies, R(D(*)) and the muon g-2 (hnlfit.physics.uv.leptoquark).
"""
from __future__ import annotations

import numpy as np

from ...params import Point
from ...physics.uv import leptoquark as lq
from ..registry import observable
from .uncoupled import uncoupled as _uncoupled

_REF = "seed 001 (Brdar, leptoquark slides), docs/derivations/uv_models.md"


def _full(x, p: Point) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=np.float64), p.shape).copy()

_COUPLINGS = ("y_1", "y_2", "yp_1")


def uncoupled(sm: float):
    """:func:`.uncoupled.uncoupled` with this model's couplings."""
    return _uncoupled(sm, _COUPLINGS)



def _y(p: Point, *names):
    return [np.asarray(p[n]) for n in names]


@observable("lq_mu_nu", unit="mu_B", tex=r"\mu_\nu/\mu_B", params=("m_LQ", "y_1", "y_2"),
            refs=(f"{_REF}: mu_nu = e y_1 y_2 m_b [ln(m_LQ^2/m_b^2) - 1]/(16 pi^2 m_LQ^2)",),
            sm=0.0)
@uncoupled(0.0)
def lq_mu_nu(p: Point) -> np.ndarray:
    """Transition magnetic moment nu_tau -> N from the b-S_1 loop, in Bohr magnetons."""
    return _full(lq.mu_nu_bohr(*_y(p, "y_1", "y_2", "m_LQ")), p)


@observable("lq_d_gamma", unit="GeV^-1", tex=r"d_\gamma^{\tau}", params=("m_LQ", "y_1", "y_2"),
            refs=(f"{_REF}: d = mu_nu/2",), sm=0.0)
@uncoupled(0.0)
def lq_d_gamma(p: Point) -> np.ndarray:
    """The same moment as d_gamma_tau (seed 003 eq. 2.1 convention, d = mu_nu/2)."""
    return _full(lq.d_transition(*_y(p, "y_1", "y_2", "m_LQ")), p)


@observable("lq_m_nuN", unit="GeV", tex=r"m_{\nu N}", params=("m_LQ", "y_1", "y_2"),
            refs=(f"{_REF}: N_c y_1 y_2 m_b ln(m_LQ^2/m_b^2)/(16 pi^2)",), sm=0.0,
            args={"voloshin": False})
@uncoupled(0.0)
def lq_m_nuN(p: Point, voloshin: bool = False) -> np.ndarray:
    """Radiative Dirac mass nu_L-N_R (Voloshin-symmetric version: times alpha/(4 pi))."""
    return _full(np.abs(lq.dirac_mass(*_y(p, "y_1", "y_2", "m_LQ"), voloshin=voloshin)), p)


@observable("lq_m_nu_light", unit="eV", tex=r"m_\nu", params=("m_LQ", "y_1", "y_2", "m_N"),
            refs=(f"{_REF}: m_nu = m_nuN^2/M_N",), sm=0.0, args={"voloshin": False})
@uncoupled(0.0)
def lq_m_nu_light(p: Point, voloshin: bool = False) -> np.ndarray:
    """Light-neutrino mass the radiative Dirac mass implies through the seesaw, in eV."""
    y1, y2, m = _y(p, "y_1", "y_2", "m_LQ")
    return _full(lq.light_nu_mass_eV(y1, y2, m, np.asarray(p["m_N"]), voloshin=voloshin), p)


@observable("lq_naturalness", unit="1", tex=r"m_\nu^\mathrm{rad}/0.1\,\mathrm{eV}",
            params=("m_LQ", "y_1", "y_2", "m_N"),
            refs=(f"{_REF}: natural if m_nuN^2/M_N < 0.1 eV",), sm=0.0,
            args={"voloshin": False, "m_nu_max_eV": 0.1})
@uncoupled(0.0)
def lq_naturalness(p: Point, voloshin: bool = False, m_nu_max_eV: float = 0.1) -> np.ndarray:
    """Naturalness flag: radiative m_nu over m_nu_max; > 1 needs a tree-level cancellation."""
    y1, y2, m = _y(p, "y_1", "y_2", "m_LQ")
    return _full(lq.light_nu_mass_eV(y1, y2, m, np.asarray(p["m_N"]), voloshin=voloshin)
                 / m_nu_max_eV, p)


@observable("lq_RD_ratio", unit="1", tex=r"R(D^{(*)})/R_\mathrm{SM}", params=("m_LQ", "y_2"),
            refs=(f"{_REF}", "1511.01900 (Bauer-Neubert): C_VL = y_2^2/(4 sqrt2 G_F m_LQ^2)"),
            sm=1.0)
@uncoupled(1.0)
def lq_RD_ratio(p: Point) -> np.ndarray:
    """R(D)/R_SM = R(D*)/R_SM = (1 + C_VL)^2 from b -> c tau nu_tau (regime y_1 << y_2)."""
    return _full(lq.r_d_ratio(*_y(p, "y_2", "m_LQ")), p)


@observable("lq_delta_a_mu", unit="1", tex=r"\Delta a_\mu^{S_1}", params=("m_LQ", "y_2", "yp_1"),
            refs=(f"{_REF}", "1511.01900 eq. 27 (leading log), Leveille 1978 (full)"), sm=0.0)
@uncoupled(0.0)
def lq_delta_a_mu(p: Point) -> np.ndarray:
    """Muon g-2 with the top chiral enhancement; y_2 read as the L_mu coupling here."""
    return _full(lq.delta_a_mu(*_y(p, "y_2", "yp_1", "m_LQ")), p)
