"""Subexpressions that several nuSMEFT observables of one evaluation share.

Each is computed once per :class:`~hnlfit.observables.context.Evaluation` (a likelihood
call, a multi-observable prediction) and read by every observable that needs it: the mass
ratio x = m_N^2/m_W^2, the loop function w(x) of Delta a_e, Delta a_mu, d_e and mu -> e gamma,
and the flavour-independent bracket A - B of the h -> l l Yukawa shift.  Parameters come with
their broadcast axes collapsed (:meth:`Evaluation.compact`).
"""
from __future__ import annotations

import numpy as np

from ... import constants as c
from ...physics.nusmeft import higgs as hg
from ...physics.nusmeft.loops import w_loop
from ..context import Evaluation


def x_ratio(ev: Evaluation) -> np.ndarray:
    """x = (m_N / m_W)^2."""
    return ev.shared(("nusmeft.x",), lambda: (ev.compact("m_N") / c.M_W) ** 2)


def w(ev: Evaluation) -> np.ndarray:
    """w(x), 2105.11462 eq. 3.12."""
    return ev.shared(("nusmeft.w",), lambda: w_loop(x_ratio(ev)))


def higgs_bracket(ev: Evaluation):
    """(Re, Im or None) of A(x, Lambda) - B(x, Lambda), 2105.11462 eqs. 4.7-4.8."""
    return ev.shared(("nusmeft.higgs_bracket",),
                     lambda: hg.shift_bracket(x_ratio(ev), ev.compact("Lambda")))


def full(r, shape: tuple[int, ...]) -> np.ndarray:
    """The result spread to the point's shape (a fresh array)."""
    r = np.asarray(r, dtype=np.float64)
    return r if r.shape == shape else np.broadcast_to(r, shape).copy()
