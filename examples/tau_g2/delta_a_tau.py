"""A user plugin: the tau anomalous magnetic moment from the right-handed current.

Eq. 3.11 of arXiv:2105.11462 holds for any charged lepton; hnlfit ships it for e and mu.
This file adds the tau analogue as a new observable without editing hnlfit:

    hnlfit run examples/tau_g2/card.yaml --plugin examples/tau_g2/delta_a_tau.py
"""
import hnlfit
from hnlfit.constants import M_TAU
from hnlfit.physics.nusmeft.core import delta_a


@hnlfit.observable("delta_a_tau", unit="1", tex=r"\Delta a_\tau",
                   params=("m_N", "U_tau", "C_Hnue_tau", "phi_Hnue_tau"),
                   refs=("2105.11462 eq. 3.11 with l = tau",), sm=0.0)
def delta_a_tau(p):
    """Delta a_tau = -2 m_tau/(4 pi)^2 m_N w(x) Re(U_tau4 C_4tau), eq. 3.11."""
    return delta_a(M_TAU, p["m_N"], p["U_tau"], p["C_Hnue_tau"], p["phi_Hnue_tau"])
