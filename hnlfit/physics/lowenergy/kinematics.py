"""Two-body kinematics of ν(E) T → N T with the target T at rest.

A massless neutrino of energy E scatters on a target of mass m at rest into an HNL of mass
M; the target takes the kinetic energy T.  Energy and momentum conservation give

    cos θ_T = (2ET + 2mT + M²) / (2E √(T² + 2mT)),

and cos θ_T ≤ 1 is the condition E ≥ E_min(T) with

    E_min(T) = ½ [T + √(T² + 2mT)] (1 + M²/(2mT))              (seed 001, verified)

(docs/derivations/low_energy.md §2).  For fixed E the allowed recoils lie between the
two roots T± of 4m(2E+m) T² + 4[(E+m)M² − 2E²m] T + M⁴ = 0.
"""
from __future__ import annotations

import numpy as np


def e_nu_min(T, m_N, m_target):
    """Minimal neutrino energy (GeV) giving target recoil T (GeV) and an HNL of mass m_N."""
    T = np.asarray(T, dtype=np.float64)
    m_N = np.asarray(m_N, dtype=np.float64)
    m = np.asarray(m_target, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return 0.5 * (T + np.sqrt(T * T + 2.0 * m * T)) * (1.0 + m_N ** 2 / (2.0 * m * T))


def recoil_range(E, m_N, m_target):
    """(T_min, T_max) in GeV for neutrino energy E; both 0 below the production threshold
    E < E_thr = M (M + 2m)/(2m)."""
    E = np.asarray(E, dtype=np.float64)
    M2 = np.asarray(m_N, dtype=np.float64) ** 2
    m = np.asarray(m_target, dtype=np.float64)
    a = 4.0 * m * (2.0 * E + m)
    b = 4.0 * ((E + m) * M2 - 2.0 * E * E * m)
    c = M2 * M2
    disc = b * b - 4.0 * a * c
    ok = disc >= 0.0
    root = np.sqrt(np.where(ok, disc, 0.0))
    # the numerically stable pair of quadratic roots (b < 0 above threshold)
    q = -0.5 * (b - root)
    t_max = np.where(ok & (q > 0), q / a, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_min = np.where(ok & (q > 0), c / np.where(q > 0, q, 1.0), 0.0)
    return t_min, t_max


def threshold_energy(m_N, m_target):
    """Neutrino energy threshold for ν T → N T: E_thr = M (M + 2m) / (2m)."""
    M = np.asarray(m_N, dtype=np.float64)
    return M * (M + 2.0 * m_target) / (2.0 * m_target)
