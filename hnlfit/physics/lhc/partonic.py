"""Partonic cross sections f f̄ → N₁N₂, N ν, ℓN through dipole vertices, and ud̄ → W → ℓN by mixing.

Derivation: docs/derivations/lhc_production.md (explicit traces; checked numerically with
explicit Dirac matrices in tests/test_lhc_production.py).

Dipole vertex.  L ⊃ d χ̄₁ σ^{μν} Γ χ₂ V_{μν} + h.c. gives the vertex 2 d σ^{μν} q_μ Γ for a
boson of momentum q flowing into the fermion line (the convention of
:mod:`hnlfit.physics.dipole.ee_to_N_nu`).  For f(p₁) f̄(p₂) → χ₁(k₁) χ̄₂(k₂) through s-channel
γ and Z with massless f::

    M = 2 Σ_X A_X [v̄(p₂) γ^ν P_X u(p₁)] [ū(k₁) σ_{μν} q^μ Γ v(k₂)],     X = L, R
    A_X = e Q_f d_γ / s + g_Z g_X^f d_Z / (s - M_Z² + i M_Z Γ_Z),   g_L = T₃ - s_w² Q, g_R = -s_w² Q

Summed over spins, Σ|M|² = 4 Σ_X |A_X|² T_Γ,X(c), c = cos θ(χ₁, f) in the CM frame, with
S± = s - (m₁ ± m₂)², λ = S₊S₋ and::

    T_same(c)     = 2 s S₊ [2 s - S₋ (1 + c²)]          Γ = γ₅  (Majorana, equal CP parities)
    T_opposite(c) = 2 s S₋ [2 s - S₊ (1 + c²)]          Γ = 1   (Majorana, opposite CP parities)
    T_chiral(c)   = s [s² - (m₁² - m₂²)² - λ c² ∓ 2 c (m₁² - m₂²) √λ]      Γ = P_R (upper: X = L)
    T_dirac(c)    = (T_same + T_opposite)/2 = T_chiral(P_R) + T_chiral(P_L)

"dirac" is the sum of the two charge channels χ₁χ̄₂ + χ̄₁χ₂ of Dirac states (the h.c. term
produces the second with P_L).  Near threshold S₊ ∝ β² so σ_same ∝ β³, σ_opposite ∝ β.
Integrated over c::

    ∫T_same = (8s/3) S₊ (s + 2(m₁ - m₂)²),   ∫T_opposite = (8s/3) S₋ (s + 2(m₁ + m₂)²)
    ∫T_chiral = (2s/3) [3s² - 3(m₁² - m₂²)² - λ]

and dσ̂/dc = √λ Σ_X |A_X|² T(c) / (32 π s² N_c), N_c = 3 for quarks (colour average), 1 for e.

Why the Majorana vertex is γ₅ or 1: with Majorana fields the h.c. term d* N̄₂σP_L N₁ equals
-d* N̄₁σP_L N₂, so the N₁N₂ vertex is σ(d P_R - d* P_L) = d γ₅ for real d and equal CP
phases; an opposite relative CP parity (N₂ → i N₂) turns it into d·1.

W-mediated, mixing (L ⊃ -g/√2 U ℓ̄ W̸ P_L N + h.c.; u_i(p₁) d̄_j(p₂) → ℓ⁺(k₂) N(k₁))::

    Σ|M|² = 4 g⁴ |V_ij U|² |P_W|² (p₁·k₂)(p₂·k₁),   P_W = 1/(s - M_W² + i M_W Γ_W)
    σ̂ = √λ g⁴ |V_ij|² |U|² |P_W|² (2 E₁E₂ + 2 p²/3) / (384 π s)

(E₁, E₂, p the CM energies and momentum of N and ℓ; massless limit g⁴ s |P_W|²/(576π), the
textbook ud̄ → W → eν).  W⁻ (d ū → ℓ⁻ N̄) is the CP mirror (c → -c).
"""
from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ... import constants as c
from ..dipole.ee_to_N_nu import gauge_couplings

STRUCTURES = ("same", "opposite", "dirac")

#: (electric charge Q, weak isospin T3 of the left-handed field)
FERMIONS = {"u": (2.0 / 3.0, 0.5), "c": (2.0 / 3.0, 0.5), "d": (-1.0 / 3.0, -0.5),
            "s": (-1.0 / 3.0, -0.5), "b": (-1.0 / 3.0, -0.5), "e": (-1.0, -0.5),
            "nu": (0.0, 0.5)}
N_COLOURS = 3


@lru_cache(maxsize=None)
def sm_inputs() -> dict:
    """α(M_Z) and |V_CKM| with references (hnlfit/data/lhc/sm_inputs.yaml)."""
    from ...io import read_yaml
    path = Path(str(resources.files("hnlfit") / "data" / "lhc" / "sm_inputs.yaml"))
    return read_yaml(path, "LHC SM-input file")


def alpha_mz() -> float:
    """MSbar α(M_Z) (PDG), used for the photon and Z couplings in the production."""
    return 1.0 / float(sm_inputs()["alpha_em_MZ_inverse"]["value"])


def ckm_abs(up: str, down: str) -> float:
    """|V_{up,down}| (PDG)."""
    return float(sm_inputs()["ckm_abs"]["values"][f"{up}{down}"])


def chiral_couplings(fermion: str) -> tuple[float, float, float]:
    """(Q, g_L, g_R) with g_L = T3 - s_w² Q, g_R = -s_w² Q."""
    Q, T3 = FERMIONS[fermion]
    return Q, T3 - c.SIN2_THETA_W * Q, -c.SIN2_THETA_W * Q


def z_propagator(s):
    s = np.asarray(s, dtype=np.float64)
    return 1.0 / (s - c.M_Z ** 2 + 1j * c.M_Z * c.GAMMA_Z)


def w_propagator(s):
    s = np.asarray(s, dtype=np.float64)
    return 1.0 / (s - c.M_W ** 2 + 1j * c.M_W * c.GAMMA_W)


def amplitudes_neutral(s, fermion: str, d_gamma, d_Z, alpha: float | None = None):
    """(A_L, A_R) in GeV^-3 for f f̄ → γ*/Z* → χ₁χ₂ (module docstring)."""
    e, g, gz, sw, cw = gauge_couplings(alpha_mz() if alpha is None else alpha)
    Q, gl, gr = chiral_couplings(fermion)
    s = np.asarray(s, dtype=np.float64)
    pz = z_propagator(s)
    a_gamma = e * Q * np.asarray(d_gamma, dtype=np.float64) / s
    dz = np.asarray(d_Z, dtype=np.float64)
    return a_gamma + gz * gl * dz * pz, a_gamma + gz * gr * dz * pz


def tan_theta_w() -> float:
    return math.sqrt(c.SIN2_THETA_W / (1.0 - c.SIN2_THETA_W))


def d_Z_of_d_NN(d_NN):
    """d_NNZ = -tan θ_w d_NN: O_NNB couples to B = c_w A - s_w Z only."""
    return -tan_theta_w() * np.asarray(d_NN, dtype=np.float64)


def _s_pm(s, m1, m2):
    s = np.asarray(s, dtype=np.float64)
    m1 = np.asarray(m1, dtype=np.float64)
    m2 = np.asarray(m2, dtype=np.float64)
    sp = np.clip(s - (m1 + m2) ** 2, 0.0, None)
    sm = np.clip(s - (m1 - m2) ** 2, 0.0, None)
    return s, m1, m2, sp, sm


def trace(s, cos_theta, m1, m2, structure: str):
    """T_Γ(c) of the module docstring (GeV^6) for ``structure`` in STRUCTURES (same for
    X = L, R); the chirality-projected vertex is :func:`trace_chiral`."""
    s, m1, m2, sp, sm = _s_pm(s, m1, m2)
    cc = np.asarray(cos_theta, dtype=np.float64)
    if structure == "same":
        return 2.0 * s * sp * (2.0 * s - sm * (1.0 + cc * cc))
    if structure == "opposite":
        return 2.0 * s * sm * (2.0 * s - sp * (1.0 + cc * cc))
    if structure == "dirac":
        return s * (2.0 * s * (sp + sm) - 2.0 * sp * sm * (1.0 + cc * cc))
    raise ValueError(f"structure must be 'same', 'opposite' or 'dirac', got {structure!r}")


def trace_chiral(s, cos_theta, m1, m2, vertex: str, current: str):
    """T for Γ = P_R or P_L (``vertex`` 'R'/'L') and a left-/right-handed incoming fermion
    current (``current`` 'L'/'R'): s[s² - (m₁²-m₂²)² - λc² - σ 2c(m₁²-m₂²)√λ], σ = +1 for
    (R, L) and (L, R), -1 otherwise."""
    s, m1, m2, sp, sm = _s_pm(s, m1, m2)
    cc = np.asarray(cos_theta, dtype=np.float64)
    lam = sp * sm
    sign = 1.0 if (vertex, current) in (("R", "L"), ("L", "R")) else -1.0
    d = m1 * m1 - m2 * m2
    return s * (s * s - d * d - lam * cc * cc - sign * 2.0 * cc * d * np.sqrt(lam))


def trace_integrated(s, m1, m2, structure: str):
    """∫_{-1}^{1} T(c) dc in GeV^6; ``chiral`` = one chirality-projected channel."""
    s, m1, m2, sp, sm = _s_pm(s, m1, m2)
    if structure == "same":
        return 8.0 * s / 3.0 * sp * (s + 2.0 * (m1 - m2) ** 2)
    if structure == "opposite":
        return 8.0 * s / 3.0 * sm * (s + 2.0 * (m1 + m2) ** 2)
    if structure == "dirac":
        return 4.0 * s / 3.0 * (sp * (s + 2.0 * (m1 - m2) ** 2) + sm * (s + 2.0 * (m1 + m2) ** 2))
    if structure == "chiral":
        d = m1 * m1 - m2 * m2
        return 2.0 * s / 3.0 * (3.0 * s * s - 3.0 * d * d - sp * sm)
    raise ValueError(f"structure must be one of same, opposite, dirac, chiral; got {structure!r}")


def phase_space_factor(s, m1, m2, n_colours: int):
    """√λ/(32 π s² N_c) in GeV^-2 (times Σ|A|² ∫T gives σ̂ in GeV^-2); 0 below threshold."""
    s, m1, m2, sp, sm = _s_pm(s, m1, m2)
    return np.sqrt(sp * sm) / (32.0 * math.pi * s * s * n_colours)


def structure_for(majorana: bool, cp: str) -> str:
    """Trace structure of the N₁N₂ dipole vertex for Majorana (cp) or Dirac states."""
    if cp not in ("same", "opposite"):
        raise ValueError(f"cp must be 'same' or 'opposite', got {cp!r}")
    return cp if majorana else "dirac"


def sigma_hat_neutral(s, fermion: str, m1, m2, d_gamma, d_Z, structure: str,
                      alpha: float | None = None):
    """σ̂(f f̄ → γ*/Z* → χ₁χ₂) in pb for a dipole vertex (module docstring); colour-averaged
    for quarks.  ``structure`` as in :func:`trace_integrated`."""
    aL, aR = amplitudes_neutral(s, fermion, d_gamma, d_Z, alpha)
    nc = 1 if fermion in ("e", "nu") else N_COLOURS
    amp2 = np.abs(aL) ** 2 + np.abs(aR) ** 2
    return (phase_space_factor(s, m1, m2, nc) * amp2 * trace_integrated(s, m1, m2, structure)
            * c.GEV2_TO_PB)


def dsigma_dcos_neutral(s, cos_theta, fermion: str, m1, m2, d_gamma, d_Z, structure: str,
                        alpha: float | None = None):
    """dσ̂/dc in pb, c = cos θ(χ₁, incoming fermion f) in the CM frame."""
    aL, aR = amplitudes_neutral(s, fermion, d_gamma, d_Z, alpha)
    nc = 1 if fermion in ("e", "nu") else N_COLOURS
    amp2 = np.abs(aL) ** 2 + np.abs(aR) ** 2
    return (phase_space_factor(s, m1, m2, nc) * amp2 * trace(s, cos_theta, m1, m2, structure)
            * c.GEV2_TO_PB)


def g_weak() -> float:
    """SU(2) coupling in the G_F scheme, g = 2 M_W / v."""
    return c.G_WEAK


def sigma_hat_W_dipole(s, m_N, m_l, d_W, vckm: float = 1.0):
    """σ̂(u d̄ → W⁺* → ℓ⁺N) in pb through the W dipole (L ⊃ d_W ℓ̄σP_R N W⁻ + h.c.):
    A_L = (g/√2) V d_W P_W, Γ = P_L on the N line, one channel (= d ū → ℓ⁻N̄)."""
    g = g_weak()
    amp2 = 0.5 * g * g * vckm * vckm * np.abs(d_W) ** 2 * np.abs(w_propagator(s)) ** 2
    return (phase_space_factor(s, m_N, m_l, N_COLOURS) * amp2
            * trace_integrated(s, m_N, m_l, "chiral") * c.GEV2_TO_PB)


def _two_body(s, m1, m2):
    s, m1, m2, sp, sm = _s_pm(s, m1, m2)
    rs = np.sqrt(s)
    p = np.sqrt(sp * sm) / (2.0 * rs)
    E1 = (s + m1 * m1 - m2 * m2) / (2.0 * rs)
    E2 = (s + m2 * m2 - m1 * m1) / (2.0 * rs)
    return rs, p, E1, E2


def sigma_hat_W_mixing(s, m_N, m_l, U2, vckm: float = 1.0):
    """σ̂(u d̄ → W⁺* → ℓ⁺N) in pb through mixing |U|² (module docstring)."""
    g = g_weak()
    rs, p, E1, E2 = _two_body(s, m_N, m_l)
    s = np.asarray(s, dtype=np.float64)
    return (2.0 * p * rs * g ** 4 * vckm ** 2 * np.asarray(U2) * np.abs(w_propagator(s)) ** 2
            * (2.0 * E1 * E2 + 2.0 * p * p / 3.0) / (384.0 * math.pi * s) * c.GEV2_TO_PB)


def angular_W_mixing(s, cos_theta, m_N, m_l):
    """Unnormalised dσ̂/dc for u d̄ → ℓ⁺N by mixing: (E₂ + p c)(E₁ + p c), c = cos θ(N, u)."""
    rs, p, E1, E2 = _two_body(s, m_N, m_l)
    cc = np.asarray(cos_theta, dtype=np.float64)
    return (E2 + p * cc) * (E1 + p * cc)


def d_NN_from_Lambda(Lambda):
    """d_NN = 2 c_w C_NNB^12 with C_NNB^12 = 1/Λ (GeV^-1; docs/derivations/lhc_production.md):
    L ⊃ Σ_ij C^ij (N̄_i^c σ P_R N_j) B + h.c. with C antisymmetric counts the 12 term twice,
    and B = c_w A - s_w Z."""
    cw = math.sqrt(1.0 - c.SIN2_THETA_W)
    return 2.0 * cw / np.asarray(Lambda, dtype=np.float64)
