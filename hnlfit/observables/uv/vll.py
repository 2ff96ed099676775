"""Observables of the vector-like lepton + charged scalar model (2405.08877, seed 000).

All read the UV parameters (m_E, m_phi, Y_E_<l>, f_<ab>, h_i, hp_i) and call
:mod:`hnlfit.physics.uv`; every one is 0 (or 1 for ratios) when the couplings vanish.
"""
from __future__ import annotations

import numpy as np

from ...params import Point
from ...physics.uv import clfv
from ...physics.uv import vll_scalar as vs
from ..registry import observable
from .uncoupled import uncoupled as _uncoupled

_REF = "2405.08877 (seed 000 slides), docs/derivations/uv_models.md"
_KO = "hep-ph/9909265 (Kuno-Okada)"
_ALL = vs.__dict__["FLAVOURS"]
_PARAMS = ("m_E", "m_phi", "Y_E_e", "Y_E_mu", "Y_E_tau", "f_emu", "f_etau", "f_mutau",
           "h_1", "h_2", "hp_1", "hp_2")
_FLAV = ("m_E", "m_phi", "Y_E_e", "Y_E_mu", "Y_E_tau", "f_emu", "f_etau", "f_mutau")


def _full(x, p: Point) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=np.float64), p.shape).copy()

_COUPLINGS = ("Y_E_e", "Y_E_mu", "Y_E_tau", "f_emu", "f_etau", "f_mutau", "h_1", "h_2", "hp_1", "hp_2")


def uncoupled(sm: float):
    """:func:`.uncoupled.uncoupled` with this model's couplings."""
    return _uncoupled(sm, _COUPLINGS)



@observable("uv_d_NN", unit="GeV^-1", tex=r"d_{NN\gamma}", params=_PARAMS,
            refs=(f"{_REF}: d_NN = 2 c_w C_NNB^(5)12",), sm=0.0)
@uncoupled(0.0)
def uv_d_NN(p: Point) -> np.ndarray:
    """Sterile-sterile dipole the model predicts, e (h'_1 h_2 - h_1 h'_2) f(r)/(32 pi^2 m_E)."""
    return _full(vs.d_NN(p), p)


def _make_d_gamma(flavour: str):
    @observable(f"uv_d_gamma_{flavour}", unit="GeV^-1", tex=rf"d_\gamma^{{\{flavour}}}"
                if flavour != "e" else r"d_\gamma^{e}", params=_PARAMS,
                refs=(f"{_REF}: d_gamma = 4 v c_w C_NB/(3 sqrt2)",), sm=0.0)
    @uncoupled(0.0)
    def obs(p: Point) -> np.ndarray:
        """Active-sterile (N_1) photon dipole e v Sum_b f_ab Y^b h'_1 f(r)/(sqrt2 16 pi^2 m_E^2)."""
        return _full(vs.d_gamma(p, flavour), p)
    return obs


for _f in _ALL:
    _make_d_gamma(_f)


# --- radiative decays ------------------------------------------------------------------
def _make_radiative(i: str, j: str):
    @observable(f"uv_br_{i}_to_{j}_gamma", unit="1", tex=rf"BR(\{i}\to {j}\gamma)"
                if j == "e" else rf"BR(\{i}\to\{j}\gamma)", params=_FLAV,
                refs=(f"{_REF}", "Leveille, Nucl. Phys. B137 (1978) 63", _KO), sm=0.0)
    @uncoupled(0.0)
    def obs(p: Point) -> np.ndarray:
        """phi-nu loop: alpha |Sum_a f_ai f_aj|^2/(48 pi G_F^2 m_phi^4) x BR(l_i -> l_j nu nu)."""
        return _full(clfv.br_radiative(i, vs.phi_loop_dipole(p, i, j)), p)
    return obs


for _i, _j in (("mu", "e"), ("tau", "mu"), ("tau", "e")):
    _make_radiative(_i, _j)


# --- three-body decays (tree-level Z + photon dipole) ---------------------------------
@observable("uv_br_mu_to_3e", unit="1", tex=r"BR(\mu\to 3e)", params=_FLAV,
            refs=(_REF, "0803.4008 (C_Hl matching)", _KO), sm=0.0)
@uncoupled(0.0)
def uv_br_mu_to_3e(p: Point) -> np.ndarray:
    """Z exchange with eps_emu = v^2 Y^e Y^mu/(4 m_E^2) plus the phi-loop dipole."""
    return _full(clfv.br_three_same("mu", "e", vs.eps_Z(p, "e", "mu"),
                                    vs.phi_loop_dipole(p, "mu", "e")), p)


@observable("uv_br_tau_to_3mu", unit="1", tex=r"BR(\tau\to 3\mu)", params=_FLAV,
            refs=(_REF, "0803.4008 (C_Hl matching)", _KO), sm=0.0)
@uncoupled(0.0)
def uv_br_tau_to_3mu(p: Point) -> np.ndarray:
    """Z exchange with eps_mutau plus the phi-loop dipole."""
    return _full(clfv.br_three_same("tau", "mu", vs.eps_Z(p, "mu", "tau"),
                                    vs.phi_loop_dipole(p, "tau", "mu")), p)


@observable("uv_br_tau_to_3e", unit="1", tex=r"BR(\tau\to 3e)", params=_FLAV,
            refs=(_REF, "0803.4008 (C_Hl matching)", _KO), sm=0.0)
@uncoupled(0.0)
def uv_br_tau_to_3e(p: Point) -> np.ndarray:
    """Z exchange with eps_etau plus the phi-loop dipole."""
    return _full(clfv.br_three_same("tau", "e", vs.eps_Z(p, "e", "tau"),
                                    vs.phi_loop_dipole(p, "tau", "e")), p)


@observable("uv_br_tau_to_mu_ee", unit="1", tex=r"BR(\tau^-\to\mu^- e^+ e^-)", params=_FLAV,
            refs=(_REF, "0803.4008 (C_Hl matching)", _KO, "hep-ph/0404211"), sm=0.0)
@uncoupled(0.0)
def uv_br_tau_to_mu_ee(p: Point) -> np.ndarray:
    """Z exchange with eps_mutau (Z -> e e) plus the phi-loop tau -> mu gamma* dipole."""
    return _full(clfv.br_three_mixed("tau", "mu", "e", vs.eps_Z(p, "mu", "tau"),
                                     vs.phi_loop_dipole(p, "tau", "mu")), p)


@observable("uv_br_tau_to_e_mumu", unit="1", tex=r"BR(\tau^-\to e^- \mu^+ \mu^-)",
            params=_FLAV, refs=(_REF, "0803.4008 (C_Hl matching)", _KO, "hep-ph/0404211"),
            sm=0.0)
@uncoupled(0.0)
def uv_br_tau_to_e_mumu(p: Point) -> np.ndarray:
    """Z exchange with eps_etau (Z -> mu mu) plus the phi-loop tau -> e gamma* dipole."""
    return _full(clfv.br_three_mixed("tau", "e", "mu", vs.eps_Z(p, "e", "tau"),
                                     vs.phi_loop_dipole(p, "tau", "e")), p)


@observable("uv_cr_mue_au", unit="1", tex=r"CR(\mu\,\mathrm{Au}\to e\,\mathrm{Au})",
            params=_FLAV, refs=(_REF, "hep-ph/0203110 eq. 14 (Kitano-Koike-Okada)"), sm=0.0)
@uncoupled(0.0)
def uv_cr_mue_au(p: Point) -> np.ndarray:
    """mu-e conversion in gold over muon capture: Z exchange (eps_emu) plus the dipole."""
    return _full(clfv.cr_mue_gold(vs.eps_Z(p, "e", "mu"), vs.phi_loop_dipole(p, "mu", "e")), p)


# --- lepton universality and Z couplings ----------------------------------------------
def _w(p: Point, a: str, b: str):
    """Relative shift of the l_a -> l_b nu nu amplitude: -eps_aa - eps_bb + delta_ab."""
    return -vs.eps_Z(p, a, a) - vs.eps_Z(p, b, b) + vs.delta_phi(p, a, b)


_LFU = {"uv_lfu_gmu_ge": (("tau", "mu"), ("tau", "e"), r"g_\mu/g_e"),
        "uv_lfu_gtau_gmu": (("tau", "e"), ("mu", "e"), r"g_\tau/g_\mu"),
        "uv_lfu_gtau_ge": (("tau", "mu"), ("mu", "e"), r"g_\tau/g_e")}


def _make_lfu(name, num, den, tex):
    @observable(name, unit="1", tex=tex, params=_FLAV,
                refs=(_REF, "HFLAV 2206.07501 Sec. 3 (definition as amplitude ratios)"), sm=1.0)
    @uncoupled(1.0)
    def obs(p: Point) -> np.ndarray:
        """Ratio of charged-current amplitudes (1 + w_num)/(1 + w_den), w = -eps - eps + delta."""
        return _full(clfv.lfu_ratio(_w(p, *num), _w(p, *den)), p)
    return obs


for _n, (_a, _b, _t) in _LFU.items():
    _make_lfu(_n, _a, _b, _t)


def _make_zwidth(a: str):
    @observable(f"uv_z_width_ratio_{a}", unit="1",
                tex=rf"\Gamma(Z\to {a}{a})/\Gamma_\mathrm{{SM}}" if a == "e" else
                rf"\Gamma(Z\to\{a}\{a})/\Gamma_\mathrm{{SM}}", params=_FLAV,
                refs=(_REF, "0803.4008", "hep-ex/0509008 (LEP Z-pole)"), sm=1.0)
    @uncoupled(1.0)
    def obs(p: Point) -> np.ndarray:
        """Z -> l l width over the SM with g_L -> g_L + eps_aa and G_F from muon decay."""
        dg = _w(p, "mu", "e")
        return _full(clfv.z_width_ratio(vs.eps_Z(p, a, a), dg), p)
    return obs


for _f in _ALL:
    _make_zwidth(_f)


# --- direct searches (one-sided terms on inverse masses) -------------------------------
def _nonzero(p: Point, names) -> np.ndarray:
    on = np.zeros(p.shape, dtype=bool)
    for n in names:
        on |= np.asarray(p[n]) != 0
    return on


@observable("uv_inv_m_E", unit="GeV^-1", tex=r"1/m_E", params=_PARAMS,
            refs=("2405.08877 (recast of the ATLAS slepton search: m_E > 200 GeV)",), sm=0.0)
@uncoupled(0.0)
def uv_inv_m_E(p: Point) -> np.ndarray:
    """1/m_E where E decays (some of Y_E, h, h' nonzero), else 0: the LHC bound m_E > 200 GeV
    assumes E -> N phi -> l nu N / l Z, which need a coupling."""
    on = _nonzero(p, ("Y_E_e", "Y_E_mu", "Y_E_tau", "h_1", "h_2", "hp_1", "hp_2"))
    return np.where(on, 1.0 / np.asarray(p["m_E"]), 0.0) * np.ones(p.shape)


@observable("uv_inv_m_phi", unit="GeV^-1", tex=r"1/m_\phi", params=_FLAV,
            refs=("2405.08877 (recast of the ATLAS slepton search: m_phi > 200 GeV)",), sm=0.0)
@uncoupled(0.0)
def uv_inv_m_phi(p: Point) -> np.ndarray:
    """1/m_phi where phi -> l nu is open (some f_ab nonzero), else 0."""
    on = _nonzero(p, ("f_emu", "f_etau", "f_mutau"))
    return np.where(on, 1.0 / np.asarray(p["m_phi"]), 0.0) * np.ones(p.shape)


@observable("uv_lep_monophoton_phi", unit="GeV^-1", tex=r"|f_{e\mu}|^2/m_\phi",
            params=("m_phi", "f_emu"),
            refs=("2405.08877 (LEP mono-photon recast: m_phi/|f_emu|^2 > 350 GeV)",), sm=0.0)
@uncoupled(0.0)
def uv_lep_monophoton_phi(p: Point) -> np.ndarray:
    """|f_emu|^2/m_phi, bounded by LEP e+e- -> nu nu gamma through t-channel phi."""
    return _full(np.asarray(p["f_emu"]) ** 2 / np.asarray(p["m_phi"]), p)
