"""Expected signal events of the seed-000 benchmarks B1-B3 at the (HL-)LHC.

    N^B1 = sigma L BR(N2 -> N1 gamma) eps^B1(m, c tau_N2)
    N^B2 = sigma L BR(N2 -> N1 gamma) [B (eps_a + eps_b) - B^2 eps_ab],   B = BR(N1 -> nu gamma)
    N^B3 = the same with B = BR(N1 -> e j j) and the DV tables

sigma = sigma(pp -> N1 N2) (LO, :mod:`.production`), L in fb^-1 (1 pb = 1000 fb).

Where the seed's factor 2 comes from (2405.08877, N^B2 = sigma L BR 2 BR(N1 -> nu gamma) eps):
every event has two N1, one from the production vertex (a) and one from N2 -> N1 gamma (b).
With independent decays, P(at least one selected) = 1 - (1 - B eps_a)(1 - B eps_b)
= B (eps_a + eps_b) - B^2 eps_ab, where eps_ab is the probability that both pass (the
selections of a and b are correlated through the event kinematics, so eps_ab != eps_a eps_b
in general; the tables hold it).  The seed's 2 B eps holds with eps = (eps_a + eps_b)/2 when
B eps_ab << eps_a + eps_b: for B -> 1 (N1 -> nu gamma dominates N1 decays in B2) it
over-counts events by up to a factor 2 - eps_ab/eps (it counts photons, not events).
``counting="seed"`` gives the seed's form, ``"events"`` (default) the exact one.
The BR(N2 -> N1 gamma) factor keeps only N2 -> N1 gamma (N2 -> N1 Z also gives two N1, with
other kinematics than the tables; dropped, a conservative <= 23% at m_N2 >> M_Z).

In B2/B3 the tables assume a prompt N2 (detector module); :func:`ctau_N2` lets the caller
check it.  No background, parton level, LO, 14 TeV tables (cp="same" Majorana kinematics).
"""
from __future__ import annotations

import numpy as np

from ...errors import ParameterError
from . import decays as dec
from . import detector as det

COUNTINGS = ("events", "seed")


def _sigma_unit(m1, m2, sqrt_s, majorana, cp):
    """sigma(pp -> N1 N2) at d_NN = 1 (pb), computed once per distinct mass pair."""
    from .production import sigma_pp_to_N1N2

    m1b, m2b = np.broadcast_arrays(np.asarray(m1, float), np.asarray(m2, float))
    pairs, inv = np.unique(np.stack([m1b.ravel(), m2b.ravel()], axis=1), axis=0,
                           return_inverse=True)
    s = sigma_pp_to_N1N2(pairs[:, 0], pairs[:, 1], 1.0, sqrt_s=sqrt_s, majorana=majorana, cp=cp)
    return np.asarray(s)[np.ravel(inv)].reshape(m1b.shape)


def n2_width(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same"):
    w = dec.n2_widths(m_N1, m_N2, d_NN, majorana, cp)
    return w["N1_gamma"] + w["N1_Z"]


def ctau_N2(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same"):
    """Proper decay length of N2 (m) when C_NNB is its only coupling."""
    return dec.proper_decay_length(n2_width(m_N1, m_N2, d_NN, majorana, cp))


def _produced_with_photon(point, lumi_fb, sqrt_s, majorana, cp):
    m1, m2, d = point["m_N1"], point["m_N2"], point["d_NN"]
    if np.any(m1 >= m2):
        raise ParameterError("the LHC benchmarks need m_N1 < m_N2")
    if lumi_fb < 0:
        raise ParameterError(f"lumi_fb must be >= 0 (fb^-1), got {lumi_fb}")
    sigma = _sigma_unit(m1, m2, sqrt_s, majorana, cp) * np.abs(d) ** 2
    return sigma * 1e3 * lumi_fb * dec.br_N2_to_N1_gamma(m1, m2, majorana, cp)


def n_events_B1(point, lumi_fb: float = 3000.0, sqrt_s: float = 14000.0,
                majorana: bool = True, cp: str = "same"):
    """N^B1: one non-pointing photon from N2 -> N1 gamma (N1 escapes)."""
    n0 = _produced_with_photon(point, lumi_fb, sqrt_s, majorana, cp)
    ct = ctau_N2(point["m_N1"], point["m_N2"], point["d_NN"], majorana, cp)
    return n0 * det.efficiency("B1", point["m_N1"], point["m_N2"], ct)


def _two_n1(point, table: str, br1, lumi_fb, sqrt_s, majorana, cp, counting):
    if counting not in COUNTINGS:
        raise ParameterError(f"counting must be one of {COUNTINGS}, got {counting!r}")
    n0 = _produced_with_photon(point, lumi_fb, sqrt_s, majorana, cp)
    ct1 = dec.proper_decay_length(dec.n1_total_width(point, majorana))
    m1, m2 = point["m_N1"], point["m_N2"]
    ea = det.efficiency(f"{table}_a", m1, m2, ct1)
    eb = det.efficiency(f"{table}_b", m1, m2, ct1)
    if counting == "seed":
        return n0 * 2.0 * br1 * 0.5 * (ea + eb)
    eab = det.efficiency(f"{table}_ab", m1, m2, ct1)
    return n0 * (br1 * (ea + eb) - br1 * br1 * eab)


def n_events_B2(point, lumi_fb: float = 3000.0, sqrt_s: float = 14000.0,
                majorana: bool = True, cp: str = "same", counting: str = "events"):
    """N^B2: events with >= 1 non-pointing photon from N1 -> nu gamma (prompt N2)."""
    return _two_n1(point, "B2", dec.br_N1_to_nu_gamma(point, majorana), lumi_fb, sqrt_s,
                   majorana, cp, counting)


def n_events_B3(point, lumi_fb: float = 3000.0, sqrt_s: float = 14000.0,
                majorana: bool = True, cp: str = "same", counting: str = "events"):
    """N^B3: events with >= 1 displaced vertex N1 -> e j j passing the DV + electron cuts."""
    return _two_n1(point, "B3", dec.br_N1_to_e_jj(point, majorana), lumi_fb, sqrt_s,
                   majorana, cp, counting)
