"""Dipole-portal observables: HNL width, branching ratio, decay length, e+e- -> N nu, Z -> nu N.

Physics in :mod:`hnlfit.physics.hnl_decays` and :mod:`hnlfit.physics.ee_to_N_nu`; the
derivations are in docs/derivations/dipole_portal.md.  The broken-phase dipoles d_gamma,
d_Z, d_W of each flavour are read from the Point (make_point fills d_Z, d_W from (d_gamma, a)
or (d_UB, d_UW), 2308.16608 eqs. 2.4-2.6).

``br_N_to_nu_gamma`` and ``decay_length_N`` have no meaningful Standard-Model value (without
an HNL there is nothing to decay; the decay length would be infinite).  They are inputs to
signal predictions (monophoton, far detectors), not quantities to put directly in a
likelihood; their ``sm`` is set to 0.0 only so that the registry has a finite reference.
"""
from __future__ import annotations

import numpy as np

from ...errors import ObservableError
from ...physics.dipole import ee_to_N_nu as ee
from ...physics.dipole import hnl_decays as dec
from ..registry import observable
from ..validity import Limit

_F = ("e", "mu", "tau")
_DIPOLES = ("m_N",) + tuple(f"d_{k}_{f}" for k in ("gamma", "Z", "W") for f in _F)
_REF_DECAY = ("2308.16608 eqs. 2.19-2.21", "2301.06050 (seed 002 slides; Gamma(N->lW) corrected)")
_REF_XSEC = ("2301.06050 (seed 002 slides; Z terms, gamma-Z sign, W term corrected)",
             "2308.16608 eqs. 2.3-2.6")


def _required(name: str, value, obs: str):
    if value is None:
        raise ObservableError(f"observable {obs!r} needs the argument {name!r} (GeV)")
    return np.asarray(value, dtype=np.float64)


@observable("gamma_N", unit="GeV", tex=r"\Gamma_N", params=_DIPOLES, refs=_REF_DECAY,
            sm=0.0, args={"majorana": False},
            description="Total HNL width through the dipole portal (nu gamma, nu Z(*), l W(*))")
def gamma_N(p, majorana=False):
    """Total HNL width through the dipole portal (nu gamma, nu Z(*), l W(*)), GeV."""
    return dec.total_width(p, majorana=bool(majorana))


@observable("br_N_to_nu_gamma", unit="1", tex=r"\mathrm{BR}(N\to\nu\gamma)", params=_DIPOLES,
            refs=_REF_DECAY, sm=0.0, args={"majorana": False},
            description="BR(N -> nu gamma), summed over neutrino flavours (not a likelihood input)")
def br_N_to_nu_gamma(p, majorana=False):
    """BR(N -> nu gamma) summed over flavours; 0 at the no-HNL point."""
    return dec.br_nu_gamma(p, majorana=bool(majorana))


@observable("decay_length_N", unit="m", tex=r"\beta\gamma c\tau_N", params=_DIPOLES,
            refs=_REF_DECAY, sm=0.0, args={"E_N": None, "majorana": False},
            valid=(Limit("E_N", lower="m_N", why="an HNL's lab energy is at least its mass"),),
            description="Lab-frame HNL decay length for lab energy E_N (not a likelihood input)")
def decay_length_N(p, E_N=None, majorana=False):
    """beta gamma c tau in metres for an HNL of lab energy E_N (GeV); inf with no coupling."""
    E = _required("E_N", E_N, "decay_length_N")
    width = dec.total_width(p, majorana=bool(majorana))
    return dec.decay_length(p["m_N"], E, width)


@observable("sigma_ee_to_N_nu", unit="pb", tex=r"\sigma(e^+e^-\to N\bar\nu + \bar N\nu)",
            params=_DIPOLES, refs=_REF_XSEC, sm=0.0, args={"sqrt_s": None},
            valid=(Limit("sqrt_s", lower=0.0, strict=True, why="a centre-of-mass energy"),
                   Limit("m_N", upper="sqrt_s", outside="zero", why="closed above threshold")),
            description="sigma(e+e- -> N nu-bar + N-bar nu), summed over flavours, at sqrt_s")
def sigma_ee_to_N_nu(p, sqrt_s=None):
    """sigma(e+e- -> N nu-bar + N-bar nu) in pb at sqrt_s (GeV), summed over flavours."""
    rs = _required("sqrt_s", sqrt_s, "sigma_ee_to_N_nu")
    return ee.sigma_point(p, rs)


@observable("gamma_Z_to_nu_N", unit="GeV", tex=r"\Gamma(Z\to\nu N)",
            params=("m_N", "d_Z_e", "d_Z_mu", "d_Z_tau"), refs=("2301.06050 (seed 002)",),
            sm=0.0, description="Gamma(Z -> nu N-bar + nu-bar N), summed over flavours")
def gamma_Z_to_nu_N(p):
    """Gamma(Z -> nu N-bar + nu-bar N) in GeV, both charge states, summed over flavours."""
    return ee.gamma_Z_to_nu_N_point(p)
