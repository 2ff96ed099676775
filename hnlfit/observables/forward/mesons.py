"""Meson → N branching ratios through the photon dipole (2308.16608 Sec. 2.1, Fig. 2).

``br_<meson>_to_N`` for meson in rho0, omega, phi, jpsi, upsilon1s (V⁰ → ν N̄, eq. 2.10),
pi0, eta, etaprime (P⁰ → γ ν N̄, eqs. 2.11-2.14), pi, K, D, Ds, B (P⁻ → γ ℓ⁻ N̄, eqs. 2.15-2.18).

Flavour: the neutral modes sum over the unobserved neutrino flavour, so they scale with
Σ_α |d_γ^α|²; the charged modes sum over α the branching ratio with lepton ℓ_α of mass m_α,
each with its own |d_γ^α|², so the lepton flavour follows the non-zero d_γ^α of the point.

Arguments: neutral pseudoscalars take ``p0_norm`` ("gammagamma": anomaly amplitude fixed by
the measured BR(P→γγ), default; "seed": the decay constants of the seed's Table 2); every
neutral meson takes ``include_conjugate`` (False: the single channel ν N̄ as in the seed; True:
adds the equal-rate ν̄ N channel of a Dirac N, i.e. N plus N̄ per decay).
"""
from __future__ import annotations

import numpy as np

from ...params import FLAVOURS, Point
from ...physics.forward import meson_decays as md
from ..registry import observable
from ..validity import Limit

_PARAMS = ("m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau")
_REF = "2308.16608"
_TEX = {"rho0": r"\rho^0", "omega": r"\omega", "phi": r"\phi", "jpsi": r"J/\psi",
        "upsilon1s": r"\Upsilon(1S)", "pi0": r"\pi^0", "eta": r"\eta", "etaprime": r"\eta'",
        "pi": r"\pi^-", "K": r"K^-", "D": r"D^-", "Ds": r"D_s^-", "B": r"B^-"}


def _d2_total(p: Point) -> np.ndarray:
    return sum(np.asarray(p[f"d_gamma_{f}"]) ** 2 for f in FLAVOURS)


def _threshold(name: str) -> tuple:
    """m_N below the meson mass: above it the decay is closed and the BR is 0."""
    return (Limit("m_N", upper=md.get_meson(name).mass, strict=True, outside="zero",
                  why=f"the decay is closed above the {name} mass"),)


def _register_vector(name: str) -> None:
    @observable(f"br_{name}_to_N", unit="1", tex=rf"\mathrm{{BR}}({_TEX[name]}\to\nu\bar N)",
                params=_PARAMS, refs=(f"{_REF} eq. 2.10", f"{_REF} Table 2"),
                args={"include_conjugate": False}, valid=_threshold(name),
                description=f"BR({name} -> nu N-bar) via the photon dipole, summed over "
                            "neutrino flavours")
    def br(p: Point, include_conjugate: bool = False, _name=name):
        return md.with_new_channel(md.branching_ratio(
            _name, p["m_N"], np.sqrt(_d2_total(p)), include_conjugate=include_conjugate))


def _register_neutral(name: str) -> None:
    @observable(f"br_{name}_to_N", unit="1",
                tex=rf"\mathrm{{BR}}({_TEX[name]}\to\gamma\nu\bar N)",
                params=_PARAMS, refs=(f"{_REF} eqs. 2.11-2.14", f"{_REF} Table 2"),
                args={"p0_norm": "gammagamma", "include_conjugate": False},
                valid=_threshold(name),
                description=f"BR({name} -> gamma nu N-bar) via the photon dipole, summed over "
                            "neutrino flavours")
    def br(p: Point, p0_norm: str = "gammagamma", include_conjugate: bool = False,
           _name=name):
        return md.with_new_channel(md.branching_ratio(
            _name, p["m_N"], np.sqrt(_d2_total(p)), p0_norm=p0_norm,
            include_conjugate=include_conjugate))


def _register_charged(name: str) -> None:
    @observable(f"br_{name}_to_N", unit="1",
                tex=rf"\mathrm{{BR}}({_TEX[name]}\to\gamma\ell^-\bar N)",
                params=_PARAMS, refs=(f"{_REF} eqs. 2.15-2.18", f"{_REF} Table 2",
                                      "2212.03894 (CKM)"), valid=_threshold(name),
                description=f"BR({name} -> gamma l N-bar) via the photon dipole, summed over "
                            "the lepton flavours of the non-zero d_gamma")
    def br(p: Point, _name=name):
        m_N = p["m_N"]
        total = np.zeros(p.shape)
        for f in FLAVOURS:
            d = np.asarray(p[f"d_gamma_{f}"])
            if np.any(d != 0):
                total = total + md.branching_ratio(_name, m_N, d, lepton=f)
        return md.with_new_channel(total)


for _n in md.VECTOR:
    _register_vector(_n)
for _n in md.NEUTRAL_PSEUDOSCALAR:
    _register_neutral(_n)
for _n in md.CHARGED_PSEUDOSCALAR:
    _register_charged(_n)
