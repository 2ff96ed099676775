"""A user's own UV model, as a map onto hnlfit's EFT parameters (examples/toy_model).

Toy: a heavy Dirac fermion F (charge -1, mass m_F) and a neutral scalar S (mass m_S << m_F
is not required) with couplings  y_L mu-bar ... : here simply a muon-flavoured loop that gives
the active-sterile dipole
    d_gamma_mu = e y_toy m_F f(m_S^2/m_F^2) / (32 pi^2 m_F^2)      (hnlfit.physics.uv.loops)
with a photon-only matching (a = 2 tan theta_w, so d_Z = 0).  Nothing here is a physics claim;
the point is the interface: NAME, PARAMETERS (ParamSpecs given to register), to_eft.

Use it from Python:
    import toy_scalar_portal, hnlfit
    hnlfit.predict("br_N_to_nu_gamma", model="toy_scalar_portal", m_F=1e3, m_S=500., y_toy=1.,
                   m_N=1.0)
or from a run card with  ``plugins: [toy_scalar_portal.py]``  and  ``model: toy_scalar_portal``.
"""
from __future__ import annotations

import math

import numpy as np

import hnlfit.models
from hnlfit import constants as c
from hnlfit.params import ParamSpec, ratio_zero_dZ
from hnlfit.physics.uv.loops import f_dipole

NAME = "toy_scalar_portal"
PARAMETERS = ("m_F", "m_S", "y_toy")
SPECS = {
    "m_F": ParamSpec("m_F", "GeV", "toy heavy fermion mass", 0.0, math.inf, strict_lower=True),
    "m_S": ParamSpec("m_S", "GeV", "toy scalar mass", 0.0, math.inf, strict_lower=True),
    "y_toy": ParamSpec("y_toy", "1", "toy coupling product (perturbative: |y| < 4 pi)",
                       -4 * math.pi, 4 * math.pi, default=0.0, coupling=True),
}


def to_eft(values) -> dict:
    m_F = np.asarray(values["m_F"], float)
    m_S = np.asarray(values["m_S"], float)
    y = np.asarray(values.get("y_toy", 0.0), float)
    d = c.E_CHARGE * y * f_dipole((m_S / m_F) ** 2) / (32.0 * math.pi ** 2 * m_F)
    return {"d_gamma_mu": d, "a": np.full(np.shape(d), ratio_zero_dZ()), "Lambda": m_F}


hnlfit.models.register(__import__(__name__), parameters=SPECS)
