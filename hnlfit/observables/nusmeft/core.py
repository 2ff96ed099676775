"""nuSMEFT right-handed current O_Hnue (arXiv:2105.11462): g-2, EDM, LFV, mu_nu, LHC.

Each observable reads the canonical parameters (``m_N``, ``U_<l>``, ``C_Hnue_<l>`` in GeV^-2,
``phi_Hnue_<l>``) of one heavy state (n = 1) and calls the pure functions of
:mod:`hnlfit.physics.nusmeft`. All vanish at the no-HNL point (``sm=0``).
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ...params import Point
from ...physics.nusmeft import core as nu
from ..context import Evaluation, blockwise, evaluation
from ..registry import observable
from ..validity import eft
from .shared import full, w

_REF = "2105.11462"


def _args(ev: Evaluation, *names: str) -> list[np.ndarray]:
    """The parameters with their broadcast (stride-0) axes collapsed to length 1: a coupling
    given as one number is not pushed through cos/products once per point; the physics
    functions broadcast the compact arrays and :func:`full` restores the point's shape."""
    return [ev.compact(n) for n in names]


def _any_zero(ev: Evaluation, *names: str) -> bool:
    return any(ev.vanishes(n) for n in names)


def _delta_a(ev: Evaluation, f: str) -> np.ndarray:
    if _any_zero(ev, f"U_{f}", f"C_Hnue_{f}"):
        return np.zeros(ev.shape)
    m, u, cc, phi = _args(ev, "m_N", f"U_{f}", f"C_Hnue_{f}", f"phi_Hnue_{f}")
    return full(nu.delta_a(c.LEPTON_MASS[f], m, u, cc, phi, w=w(ev)), ev.shape)


@observable("delta_a_mu", unit="1", tex=r"\Delta a_\mu",
            params=("m_N", "U_mu", "C_Hnue_mu", "phi_Hnue_mu"),
            refs=(f"{_REF} eq. 3.11", f"{_REF} eq. 3.12"), sm=0.0, valid=eft(("mu",)))
@blockwise
def delta_a_mu(ev: Evaluation) -> np.ndarray:
    """Muon g-2 shift, -2 m_mu m_N w(x) Re(U_mu4 C-bar_4mu) / (4 pi)^2."""
    return _delta_a(ev, "mu")


@observable("delta_a_e", unit="1", tex=r"\Delta a_e",
            params=("m_N", "U_e", "C_Hnue_e", "phi_Hnue_e"),
            refs=(f"{_REF} eq. 3.11", f"{_REF} eq. 3.12"), sm=0.0, valid=eft(("e",)))
@blockwise
def delta_a_e(ev: Evaluation) -> np.ndarray:
    """Electron g-2 shift, -2 m_e m_N w(x) Re(U_e4 C-bar_4e) / (4 pi)^2."""
    return _delta_a(ev, "e")


@observable("d_e", unit="e cm", tex=r"d_e",
            params=("m_N", "U_e", "C_Hnue_e", "phi_Hnue_e"),
            refs=(f"{_REF} eq. 3.11 and text after eq. 3.12", f"{_REF} eq. 5.1"), sm=0.0,
            valid=eft(("e",)))
@blockwise
def d_e(ev: Evaluation) -> np.ndarray:
    """Electron EDM (signed) in e cm, m_N w(x) Im(U_e4 C-bar_4e) / (16 pi^2) * hbar c.
    Identically 0 (and not computed) at zero CP phase or zero coupling."""
    if _any_zero(ev, "phi_Hnue_e", "U_e", "C_Hnue_e"):
        return np.zeros(ev.shape)
    m, u, cc, phi = _args(ev, "m_N", "U_e", "C_Hnue_e", "phi_Hnue_e")
    return full(nu.edm(m, u, cc, phi, w=w(ev)), ev.shape)


@observable("br_mu_to_e_gamma", unit="1", tex=r"\mathrm{BR}(\mu\to e\gamma)",
            params=("m_N", "U_e", "U_mu", "C_Hnue_e", "C_Hnue_mu"),
            refs=(f"{_REF} eq. 4.14", f"{_REF} eq. 4.15", f"{_REF} eq. 4.16"), sm=0.0,
            valid=eft(("e", "mu")))
@blockwise
def br_mu_to_e_gamma(ev: Evaluation) -> np.ndarray:
    """BR(mu -> e gamma) from (U_mu C_e)^2 + (U_e C_mu)^2, measured muon lifetime."""
    if _any_zero(ev, "U_mu", "C_Hnue_e") and _any_zero(ev, "U_e", "C_Hnue_mu"):
        return np.zeros(ev.shape)
    m, ue, ce, um, cm = _args(ev, "m_N", "U_e", "C_Hnue_e", "U_mu", "C_Hnue_mu")
    return full(nu.br_mu_to_e_gamma(m, ue, ce, um, cm, w=w(ev)), ev.shape)


@observable("br_tau_to_mu_gamma", unit="1", tex=r"\mathrm{BR}(\tau\to\mu\gamma)",
            params=("m_N", "U_mu", "U_tau", "C_Hnue_mu", "C_Hnue_tau"),
            refs=(f"{_REF} eq. 4.14", f"{_REF} eq. 4.15 (first form, tau analogue)"), sm=0.0,
            valid=eft(("mu", "tau")))
def br_tau_to_mu_gamma(p: Point) -> np.ndarray:
    """BR(tau -> mu gamma) from (U_mu C_tau)^2 + (U_tau C_mu)^2, measured tau lifetime."""
    m, ul, cl, ut, ct = _args(evaluation(p), "m_N", "U_mu", "C_Hnue_mu", "U_tau", "C_Hnue_tau")
    return full(nu.br_tau_to_l_gamma(m, ul, cl, ut, ct), p.shape)


@observable("br_tau_to_e_gamma", unit="1", tex=r"\mathrm{BR}(\tau\to e\gamma)",
            params=("m_N", "U_e", "U_tau", "C_Hnue_e", "C_Hnue_tau"),
            refs=(f"{_REF} eq. 4.14", f"{_REF} eq. 4.15 (first form, tau analogue)"), sm=0.0,
            valid=eft(("e", "tau")))
def br_tau_to_e_gamma(p: Point) -> np.ndarray:
    """BR(tau -> e gamma) from (U_e C_tau)^2 + (U_tau C_e)^2, measured tau lifetime."""
    m, ul, cl, ut, ct = _args(evaluation(p), "m_N", "U_e", "C_Hnue_e", "U_tau", "C_Hnue_tau")
    return full(nu.br_tau_to_l_gamma(m, ul, cl, ut, ct), p.shape)


@observable("mu_nu_max", unit="mu_B", tex=r"|\mu_\nu|_{\max}",
            params=("U_e", "U_mu", "U_tau", "C_Hnue_e", "C_Hnue_mu", "C_Hnue_tau"),
            refs=(f"{_REF} eq. 4.13 (eq. 4.12 as printed lacks a factor of mass dimension 1)",),
            sm=0.0)
def mu_nu_max(p: Point) -> np.ndarray:
    """Upper bound on every light-neutrino magnetic moment |[mu_nu]_ij| in mu_B (eq. 4.13)."""
    vals = _args(evaluation(p), "U_e", "U_mu", "U_tau", "C_Hnue_e", "C_Hnue_mu", "C_Hnue_tau")
    return full(nu.mu_nu_max(*vals), p.shape)


@observable("x_lhc_e", unit="1", tex=r"|U_{e4}|^2 + |v^2 \bar C_{H\nu e,4e}|^2/4",
            params=("U_e", "C_Hnue_e"), refs=(f"{_REF} eq. 4.39", f"{_REF} eq. 4.45"),
            sm=0.0)
def x_lhc_e(p: Point) -> np.ndarray:
    """LHC e N production strength in units of the |U_e4|^2 = 1 rate."""
    return full(nu.x_lhc(*_args(evaluation(p), "U_e", "C_Hnue_e")), p.shape)


@observable("x_lhc_mu", unit="1", tex=r"|U_{\mu4}|^2 + |v^2 \bar C_{H\nu e,4\mu}|^2/4",
            params=("U_mu", "C_Hnue_mu"), refs=(f"{_REF} eq. 4.39", f"{_REF} eq. 4.45"),
            sm=0.0)
def x_lhc_mu(p: Point) -> np.ndarray:
    """LHC mu N production strength in units of the |U_mu4|^2 = 1 rate."""
    return full(nu.x_lhc(*_args(evaluation(p), "U_mu", "C_Hnue_mu")), p.shape)
