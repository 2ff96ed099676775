"""Decays of the two heavy neutrinos N2 -> N1 gamma (Z) and of N1 through mixing and dipoles.

Derivations: docs/derivations/lhc_decays.md.  Widths in GeV, vectorized in masses and couplings.

Sterile-sterile transition (2405.08877; issue 11 item 1).  With L ⊃ C^ij O_NNB^ij + h.c.,
O_NNB = (N-bar_R^c sigma_{mu nu} N_R) B^{mu nu}, C antisymmetric, the N1-N2 vertex carries
2 C^12 and B = c_w A - s_w Z, so d_NN = 2 c_w C_NNB^12 and d_NNZ = -tan(theta_w) d_NN.
d_NN is normalised such that, for Majorana N1, N2::

    Gamma(N2 -> N1 V) = |d_V|^2 lambda^(1/2)(m2^2, m1^2, M^2)
                        [2 (m2^2 - m1^2)^2 - M^2 (m2^2 + m1^2) - M^4 -+ 6 M^2 m1 m2] / (4 pi m2^3)

(Dirac: half), i.e. Gamma(N2 -> N1 gamma) = |d_NN|^2 (m2^2 - m1^2)^3 / (2 pi m2^3).  The bracket
is the spin sum of u-bar_1 sigma^{mu nu} q_nu (1 or gamma5) u_2 (explicit trace, test):
"-" for the pure-sigma (magnetic-type) structure, which vanishes at M = m2 - m1 and whose
crossed production q q-bar -> N1 N2 rises as beta^3 at threshold; "+" for sigma gamma5
(electric-type), S-wave.  For Majorana pairs the relative CP parity picks one: ``cp="same"``
(beta^3 production, issue 11) is the "-" sign, ``cp="opposite"`` the "+".  For the photon
(M = 0) both agree.  At m1 -> 0 the Majorana width tends to 2 x the Dirac Gamma(N -> nu gamma)
of 2308.16608 eq. 2.19 with d_gamma = d_NN: a massless Majorana N1 is nu + nu-bar.

N1 decays through active-sterile mixing U_alpha (Bondarenko et al., 1805.08567, Sec. 3 and
App. A; Atre et al. 0901.3589 for the two-body W, Z, h channels).  Every W- and Z-mediated
channel is the factorised three-body width (exact at tree level for a conserved fermion
current on the pair side; the same construction as hnlfit.physics.dipole.hnl_decays)::

    dGamma/dq^2 = (1/pi) Gamma_2(N -> f V[q^2]) sqrt(q^2) Gamma(V[q^2] -> f f') / |q^2 - M^2 + i M Gamma_V|^2
    Gamma_2(N -> f V)  = g_N^2 lambda^(1/2)(m^2, q^2, m_f^2) [(m^2 - m_f^2)^2 + q^2 (m^2 + m_f^2) - 2 q^4]
                         / (32 pi q^2 m^3),   g_N = g U / sqrt2 (W), g U / (2 c_w) (Z)

which equals G_F^2 m^5 / (192 pi^3) per massless channel far below M_W (test) and the
on-shell N -> l W, nu Z widths far above.  N -> nu h is added on shell above m_h,
G_F m^3 |U|^2 (1 - m_h^2/m^2)^2 / (16 sqrt2 pi).  Quark pairs carry the QCD factor
1 + Delta_QCD, Delta_QCD = a + 5.2 a^2 + 26.4 a^3, a = alpha_s(m_N)/pi (1805.08567 Sec. 3.3,
the tau-decay series) for m_N >= M_HADRONIC = 2 GeV.  Below 2 GeV quark pairs are replaced
by the single-meson channels N -> l pi, l K, nu pi0 (1805.08567 eqs. 3.5-3.6); rho, eta,
omega and multi-meson final states are not included (so hadronic widths between ~0.8 and
2 GeV are underestimated, by up to a factor ~2 near 1.5 GeV; none of the LHC planes depends
on this range).  Fermion masses are kept in every pair width; CKM is taken diagonal (rows u,
c are unitary to 1e-5, the mass differences are neglected).

Interference terms: in N -> nu_a l_a+ l_a- the W and Z amplitudes interfere, and in
N -> nu_a nu_a nu-bar_a the two identical neutrinos do.  They are included with their
Fermi-theory values (1805.08567 eqs. 3.3-3.4: C1, C2 of the full minus the separate W and Z
pieces) for m_N <= M_W / 2, ramped linearly to zero at m_N = M_W (above, W and Z are on
shell at different pair masses and do not interfere); they are a few per cent of the
total width.

Dirac or Majorana: the formulas above are for one charge state (N -> l^- ..., N -> nu ...);
a Majorana N decays to both conjugate final states, doubling every width (``majorana=True``,
the default of this sector); branching ratios are unchanged.
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c
from ...cache import cached_table
from ...errors import ParameterError
from ..dipole import hnl_decays as dip
from ..forward.meson_decays import get_meson
from ..numerics import gauss_legendre, kallen_sqrt

FLAVOURS = ("e", "mu", "tau")
CP_CHOICES = ("same", "opposite")
M_HADRONIC = 2.0          # GeV: quark pairs above, single mesons below
TAN_THETA_W = math.sqrt(c.SIN2_THETA_W / (1.0 - c.SIN2_THETA_W))
_TABLE_VERSION = "lhc-mixing-2"


def _factor(majorana: bool) -> float:
    return 2.0 if majorana else 1.0


def _check_cp(cp: str) -> float:
    if cp not in CP_CHOICES:
        raise ParameterError(f"cp must be one of {CP_CHOICES} (relative CP parity of N1, N2), "
                             f"got {cp!r}")
    return -1.0 if cp == "same" else 1.0


def _check_masses(m_N1, m_N2):
    m1 = np.asarray(m_N1, dtype=np.float64)
    m2 = np.asarray(m_N2, dtype=np.float64)
    if np.any(m1 < 0) or np.any(m2 <= 0) or np.any(m1 >= m2):
        raise ParameterError("masses must satisfy 0 <= m_N1 < m_N2 (GeV) for N2 -> N1 decays; "
                             f"got m_N1 = {np.ravel(m1)[:3]}, m_N2 = {np.ravel(m2)[:3]}")
    return m1, m2


# ----------------------------------------------------------------------------------------
# N2 -> N1 gamma, N2 -> N1 Z


def transition_width(m_N1, m_N2, d, M, cp: str = "same", majorana: bool = True):
    """Gamma(N2 -> N1 V) for a transition dipole d (GeV^-1) to a vector of mass M (GeV).

    lambda^(1/2)(m2^2, m1^2, M^2) [2 (m2^2 - m1^2)^2 - M^2 (m2^2 + m1^2) - M^4 -+ 6 M^2 m1 m2]
    |d|^2 / (4 pi m2^3) for Majorana (sign: cp="same" -, "opposite" +), half for Dirac;
    0 below threshold.
    """
    sign = _check_cp(cp)
    m1, m2 = _check_masses(m_N1, m_N2)
    lam = kallen_sqrt(m2 * m2, m1, M)
    br = (2.0 * (m2 * m2 - m1 * m1) ** 2 - M * M * (m2 * m2 + m1 * m1) - M ** 4
          + sign * 6.0 * M * M * m1 * m2)
    width = np.abs(d) ** 2 * lam * np.maximum(br, 0.0) / (4.0 * math.pi * m2 ** 3)
    return 0.5 * _factor(majorana) * np.where(m2 > m1 + M, width, 0.0)


def gamma_N2_to_N1_gamma(m_N1, m_N2, d_NN, majorana: bool = True):
    """Gamma(N2 -> N1 gamma) = |d_NN|^2 (m2^2 - m1^2)^3 / (2 pi m2^3) (Majorana; Dirac half),
    issue 11 item 1 / 2405.08877."""
    m1, m2 = _check_masses(m_N1, m_N2)
    return 0.5 * _factor(majorana) * np.abs(d_NN) ** 2 * (m2 * m2 - m1 * m1) ** 3 / (
        2.0 * math.pi * m2 ** 3)


def gamma_N2_to_N1_Z(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same"):
    """On-shell Gamma(N2 -> N1 Z) with d_NNZ = -tan(theta_w) d_NN (O_NNB couples to
    hypercharge only); 0 for m_N2 <= m_N1 + M_Z.  The off-shell N2 -> N1 Z* -> N1 f f-bar and
    N2 -> N1 gamma* -> N1 f f-bar are O(alpha) corrections and are not included."""
    return transition_width(m_N1, m_N2, TAN_THETA_W * np.abs(d_NN), c.M_Z, cp, majorana)


def n2_widths(m_N1, m_N2, d_NN, majorana: bool = True, cp: str = "same") -> dict:
    """Partial widths of N2 when C_NNB is its only coupling: ``N1_gamma`` and ``N1_Z``."""
    return {"N1_gamma": gamma_N2_to_N1_gamma(m_N1, m_N2, d_NN, majorana),
            "N1_Z": gamma_N2_to_N1_Z(m_N1, m_N2, d_NN, majorana, cp)}


def br_N2_to_N1_gamma(m_N1, m_N2, majorana: bool = True, cp: str = "same"):
    """BR(N2 -> N1 gamma) = Gamma_gamma / (Gamma_gamma + Gamma_Z): a function of the masses
    only (both widths scale as d_NN^2); 1 below the N1 Z threshold, tan^-2-weighted above
    (-> 1/(1 + tan^2 theta_w) = c_w^2 far above)."""
    w = n2_widths(m_N1, m_N2, 1.0, majorana, cp)
    return w["N1_gamma"] / (w["N1_gamma"] + w["N1_Z"])


# ----------------------------------------------------------------------------------------
# alpha_s and the QCD factor


def alpha_s(mu):
    """Two-loop MSbar alpha_s(mu) from alpha_s(M_Z) (constants), n_f = 5 above m_b, 4 above
    m_c, 3 below (continuous at the thresholds); exact solution of the two-loop RGE by
    Newton iteration on the implicit form (vectorized)."""
    mu = np.asarray(mu, dtype=np.float64)
    m_b, m_c = dip._mass(5), dip._mass(4)

    def run(a0, mu0, mu1, nf):
        b0 = (33.0 - 2.0 * nf) / (12.0 * math.pi)
        b1 = (153.0 - 19.0 * nf) / (24.0 * math.pi ** 2)
        t = np.log(mu1 * mu1 / (mu0 * mu0))
        # implicit two-loop solution: 1/a - 1/a0 + (b1/b0) ln(a (b0 + b1 a0) / (a0 (b0 + b1 a)))
        #   = b0 t ; start from the one-loop value and iterate Newton
        a = a0 / (1.0 + a0 * b0 * t)
        for _ in range(30):
            f = (1.0 / a - 1.0 / a0 + b1 / b0 * np.log(a * (b0 + b1 * a0) / (a0 * (b0 + b1 * a)))
                 - b0 * t)
            df = -1.0 / a ** 2 + b1 / b0 * (1.0 / a - b1 / (b0 + b1 * a))
            a = a - f / df
        return a

    a_b = run(c.ALPHA_S_MZ, c.M_Z, m_b, 5)
    a_c = run(a_b, m_b, m_c, 4)
    with np.errstate(all="ignore"):
        out = np.where(mu >= m_b, run(c.ALPHA_S_MZ, c.M_Z, np.maximum(mu, m_b), 5),
                       np.where(mu >= m_c, run(a_b, m_b, np.clip(mu, m_c, m_b), 4),
                                run(a_c, m_c, np.clip(mu, 0.8, m_c), 3)))
    return out


def qcd_factor(m_N):
    """1 + Delta_QCD(m_N) = 1 + a + 5.2 a^2 + 26.4 a^3, a = alpha_s(m_N)/pi (1805.08567)."""
    a = alpha_s(np.maximum(np.asarray(m_N, dtype=np.float64), M_HADRONIC)) / math.pi
    return 1.0 + a + 5.2 * a * a + 26.4 * a ** 3


# ----------------------------------------------------------------------------------------
# factorised W*/Z*-mediated widths (mass-only integrals, tabulated)


def _two_body_mixing(m, q2, m_f=0.0):
    """Gamma_2(N -> f V[q^2]) / g_N^2 (Dirac): lambda^(1/2) [(m^2 - m_f^2)^2 + q^2 (m^2 + m_f^2)
    - 2 q^4] / (32 pi q^2 m^3)."""
    m = np.asarray(m, dtype=np.float64)
    lam = kallen_sqrt(m * m, np.sqrt(np.clip(q2, 0.0, None)), m_f)
    mf2 = m_f * m_f
    br = (m * m - mf2) ** 2 + q2 * (m * m + mf2) - 2.0 * q2 * q2
    with np.errstate(divide="ignore", invalid="ignore"):
        out = lam * br / (32.0 * math.pi * q2 * m ** 3)
    return np.where((lam > 0) & (q2 > 0), out, 0.0)


def _propagated(m, m_f, M, Gamma_V, pair_width, qmin, n_gl: int = 48):
    """(1/pi) int dq^2 Gamma_2(m, q^2)/g_N^2 sqrt(q^2) Gamma_pair(q^2) / |q^2 - M^2 + i M G|^2
    from qmin^2 to (m - m_f)^2, m a 1-d array.  Pieces: below M^2/2 in ln q^2, up to M^2 - w
    in ln(M^2 - q^2), +-w in arctan (flat Breit-Wigner), above in ln(q^2 - M^2); w = 12 M G."""
    m = np.atleast_1d(np.asarray(m, dtype=np.float64))
    lo = np.full_like(m, max(qmin, 1e-9) ** 2)
    hi = np.clip(m - m_f, 0.0, None) ** 2
    M2, MG = M * M, M * Gamma_V
    w = min(12.0 * MG, 0.25 * M2)

    def integrand(q2, msub):
        return (_two_body_mixing(msub[:, None], q2, m_f) * np.sqrt(q2) * pair_width(q2)
                / ((q2 - M2) ** 2 + MG * MG))

    total = np.zeros_like(m)
    cuts = [(lo, np.minimum(hi, 0.5 * M2), "log"),
            (np.maximum(lo, 0.5 * M2), np.minimum(hi, M2 - w), "below"),
            (np.maximum(lo, M2 - w), np.minimum(hi, M2 + w), "theta"),
            (np.maximum(lo, M2 + w), hi, "above")]
    for a, b, kind in cuts:
        ok = b > a
        if not np.any(ok):
            continue
        a, b, ms = a[ok], b[ok], m[ok]
        if kind == "log":
            y, wy = gauss_legendre(n_gl, np.log(a), np.log(b))
            q2 = np.exp(y)
            total[ok] += np.sum(wy * q2 * integrand(q2, ms), axis=-1)
        elif kind == "below":
            y, wy = gauss_legendre(n_gl, np.log(M2 - b), np.log(M2 - a))
            q2 = M2 - np.exp(y)
            total[ok] += np.sum(wy * np.exp(y) * integrand(q2, ms), axis=-1)
        elif kind == "theta":
            th, wt = gauss_legendre(n_gl, np.arctan((a - M2) / MG), np.arctan((b - M2) / MG))
            q2 = M2 + MG * np.tan(th)
            total[ok] += np.sum(wt * integrand(q2, ms) * ((q2 - M2) ** 2 + MG * MG) / MG,
                                axis=-1)
        else:
            y, wy = gauss_legendre(n_gl, np.log(a - M2), np.log(b - M2))
            q2 = M2 + np.exp(y)
            total[ok] += np.sum(wy * np.exp(y) * integrand(q2, ms), axis=-1)
    return total / math.pi


def _scalar_piece(m, m_l, M, pair_scalar, qmin, n_gl: int = 64):
    """The q_mu q_nu part of the unitary-gauge propagator that the factorised form misses
    when the pair fermions are massive (module docstring; docs/derivations/lhc_decays.md):
    (1/pi) int dq^2 sqrt(q^2) Gamma_N^S(q^2) Gamma_f^S(q^2) / (M^4 q^4), per unit N-side
    coupling g_N^2, with Gamma_N^S = |p| S_N / (16 pi m^2), S_N = (m^2 + m_l^2)(m^2 + m_l^2 - q^2)
    - 4 m^2 m_l^2, and ``pair_scalar(q2)`` = Gamma_f^S = |p_f| S_f / (8 pi q^2) (couplings
    included).  No resonance: the propagator pole cancels in this piece."""
    m = np.atleast_1d(np.asarray(m, dtype=np.float64))
    lo = np.full_like(m, max(qmin, 1e-9) ** 2)
    hi = np.clip(m - m_l, 0.0, None) ** 2
    ok = hi > lo
    out = np.zeros_like(m)
    if not np.any(ok):
        return out
    y, wy = gauss_legendre(n_gl, np.log(lo[ok]), np.log(hi[ok]))
    q2 = np.exp(y)
    ms = m[ok][:, None]
    ml2 = m_l * m_l
    pN = kallen_sqrt(ms * ms, np.sqrt(q2), m_l) / (2.0 * ms)
    S_N = (ms * ms + ml2) * (ms * ms + ml2 - q2) - 4.0 * ms * ms * ml2
    G_N = pN * np.maximum(S_N, 0.0) / (16.0 * math.pi * ms * ms)
    f = np.sqrt(q2) * G_N * pair_scalar(q2) / (M ** 4 * q2 * q2)
    out[ok] = np.sum(wy * q2 * f, axis=-1) / math.pi
    return out


def _w_pair_scalar(ch, g2):
    """Gamma_f^S of W* -> f1 f2-bar: N_c (g^2/2) |p_f| [(m1^2 + m2^2)(q^2 - m1^2 - m2^2)
    + 4 m1^2 m2^2] / (8 pi q^2)."""
    nc, m1, m2, qmin = ch

    def f(q2):
        pf = kallen_sqrt(q2, m1, m2) / (2.0 * np.sqrt(q2))
        S = (m1 * m1 + m2 * m2) * (q2 - m1 * m1 - m2 * m2) + 4.0 * m1 * m1 * m2 * m2
        return np.where(np.sqrt(q2) > qmin, nc * 0.5 * g2 * pf * S / (8.0 * math.pi * q2), 0.0)
    return f


def _z_pair_scalar(ch, gz2):
    """Gamma_f^S of Z* -> f f-bar: N_c (g/c_w)^2 (g_L - g_R)^2 |p_f| 2 m_f^2 q^2 / (8 pi q^2)."""
    nc, gl, gr, mf, qmin = ch

    def f(q2):
        pf = kallen_sqrt(q2, mf, mf) / (2.0 * np.sqrt(q2))
        return np.where(np.sqrt(q2) > qmin,
                        nc * gz2 * (gl - gr) ** 2 * pf * 2.0 * mf * mf / (8.0 * math.pi), 0.0)
    return f


_GRID = (1e-2, 2e4, 120)     # GeV, nodes per decade


def _grid() -> np.ndarray:
    lo, hi, per = _GRID
    return np.logspace(math.log10(lo), math.log10(hi), int(round(math.log10(hi / lo) * per)) + 1)


def _gw2() -> float:
    return 4.0 * math.sqrt(2.0) * c.G_FERMI * c.M_W ** 2      # g^2 (G_F scheme)


def _compute_mixing_tables() -> dict[str, np.ndarray]:
    """Reduced widths Gamma / |U_alpha|^2 (Dirac, no QCD factor) on the mass grid:
    ``cc_<a>_<b>`` N -> l_a W* -> l_a l_b nu_b; ``cc_<a>_had`` N -> l_a W* -> l_a q q-bar';
    ``nc_nu`` N -> nu Z* -> nu nu nu-bar (3 flavours, no identical-particle term);
    ``nc_<b>`` N -> nu Z* -> nu l_b l_b; ``nc_had`` N -> nu Z* -> nu q q-bar."""
    m = _grid()
    zch, wch = dip._channels()
    gz_tot, gw_tot = dip.z_width_tree(), dip.w_width_tree()
    gw2 = _gw2()
    gz2 = dip._gz2()           # (g / c_w)^2, the normalisation of the Z pair widths
    out = {"m": m}
    lept_w = wch[:3]
    quark_w = [ch for ch in wch if ch[0] == 3.0 and ch[1] < 100.0]   # ud, cs (tb below)
    top_w = [ch for ch in wch if ch[0] == 3.0 and ch[1] > 100.0]
    for a, ml in zip(FLAVOURS, (c.M_E, c.M_MU, c.M_TAU)):
        for b, ch in zip(FLAVOURS, lept_w):
            out[f"cc_{a}_{b}"] = 0.5 * gw2 * (
                _propagated(m, ml, c.M_W, gw_tot,
                            lambda q2, ch=ch: dip._w_channel_width(q2, ch), ch[3])
                + _scalar_piece(m, ml, c.M_W, _w_pair_scalar(ch, gw2), ch[3]))
        had = np.zeros_like(m)
        for ch in quark_w + top_w:
            had += 0.5 * gw2 * (
                _propagated(m, ml, c.M_W, gw_tot,
                            lambda q2, ch=ch: dip._w_channel_width(q2, ch), ch[3])
                + _scalar_piece(m, ml, c.M_W, _w_pair_scalar(ch, gw2), ch[3]))
        out[f"cc_{a}_had"] = had
    zg = 0.25 * gz2

    def z_star(ch):
        return zg * (_propagated(m, 0.0, c.M_Z, gz_tot,
                                 lambda q2: dip._z_channel_width(q2, ch), ch[4])
                     + _scalar_piece(m, 0.0, c.M_Z, _z_pair_scalar(ch, gz2), ch[4]))

    nus, leps, quarks = zch[:3], zch[3:6], zch[6:]
    out["nc_nu"] = sum(z_star(ch) for ch in nus)
    for b, ch in zip(FLAVOURS, leps):
        out[f"nc_{b}"] = z_star(ch)
    out["nc_had"] = sum(z_star(ch) for ch in quarks)
    return out


_TABLES: dict | None = None


def mixing_tables() -> dict[str, np.ndarray]:
    """The reduced mixing widths (see :func:`_compute_mixing_tables`), cached on disk."""
    global _TABLES
    if _TABLES is None:
        z, w = dip._channels()
        _TABLES = cached_table("lhc_mixing_widths", {
            "grid": list(_GRID), "M_W": c.M_W, "M_Z": c.M_Z, "G_F": c.G_FERMI,
            "sw2": c.SIN2_THETA_W, "z": z, "w": w, "version": _TABLE_VERSION},
            _compute_mixing_tables)
    return _TABLES


def _interp(m_N, key: str):
    """log-log linear interpolation of a mixing table; 0 where the table is 0 (closed)."""
    t = mixing_tables()
    grid, val = t["m"], t[key]
    m = np.asarray(m_N, dtype=np.float64)
    lm = np.log(np.clip(m, grid[0], grid[-1]))
    lv = np.log(np.where(val > 0, val, 1e-300))
    out = np.exp(np.interp(lm, np.log(grid), lv))
    # above the grid: two-body growth m^3
    out = np.where(m > grid[-1], out * (m / grid[-1]) ** 3, out)
    return np.where(out > 1e-290, out, 0.0)


# ----------------------------------------------------------------------------------------
# Fermi-theory pieces: interference terms, single mesons


def _nc_shape(x):
    """Bondarenko et al. eq. 3.4 shape functions (f1, f2) of N -> nu f f-bar, x = m_f/m_N."""
    x = np.asarray(x, dtype=np.float64)
    x2 = x * x
    s = np.sqrt(np.clip(1.0 - 4.0 * x2, 0.0, None))
    big = x2 > 1e-7          # below, the x^4 L terms are < 1e-12 and the log cancels badly
    xb = np.where(big, x2, 0.1)
    sb = np.sqrt(np.clip(1.0 - 4.0 * xb, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.log((1.0 - 3.0 * xb - (1.0 - xb) * sb) / (xb * (1.0 + sb)))
    L = np.where(big & np.isfinite(L), L, 0.0)
    f1 = (1.0 - 14.0 * x2 - 2.0 * x2 ** 2 - 12.0 * x2 ** 3) * s + 12.0 * x2 ** 2 * (x2 ** 2 - 1.0) * L
    f2 = x2 * (2.0 + 10.0 * x2 - 12.0 * x2 ** 2) * s + 6.0 * x2 ** 2 * (1.0 - 2.0 * x2 + 2.0 * x2 ** 2) * L
    ok = x < 0.5
    return np.where(ok, f1, 0.0), np.where(ok, f2, 0.0)


def _interference_ramp(m):
    return np.clip(2.0 - 2.0 * np.asarray(m, dtype=np.float64) / c.M_W, 0.0, 1.0)


def interference_widths(m_N, flavour: str):
    """Fermi-theory interference widths / |U_a|^2 (Dirac) times the ramp (module docstring):
    ``l`` for N -> nu_a l_a l_a (W-Z), ``nu`` for N -> nu_a nu_a nu-bar_a (identical nu)."""
    m = np.asarray(m_N, dtype=np.float64)
    sw2 = c.SIN2_THETA_W
    g = c.G_FERMI ** 2 * m ** 5 / (192.0 * math.pi ** 3)
    f1, f2 = _nc_shape(c.LEPTON_MASS[flavour] / m)
    # (C1, C2) full minus Z-only minus W-only (W-only in this form: C1 = 1, C2 = 0)
    dC1 = 0.25 * (1 + 4 * sw2 + 8 * sw2 ** 2) - 0.25 * (1 - 4 * sw2 + 8 * sw2 ** 2) - 1.0
    dC2 = 0.5 * sw2 * (2 * sw2 + 1) - 0.5 * sw2 * (2 * sw2 - 1)
    ramp = _interference_ramp(m)
    return {"l": ramp * g * (dC1 * f1 + 4.0 * dC2 * f2), "nu": ramp * g * 0.25}


def _meson_widths(m_N, flavour: str):
    """Single-meson widths / |U_a|^2 below M_HADRONIC (Dirac; 1805.08567 eqs. 3.5, 3.6):
    N -> l_a^- P^+ (pi, K) and N -> nu_a pi0 (f_pi0 = f_pi, isospin)."""
    m = np.asarray(m_N, dtype=np.float64)
    ml = c.LEPTON_MASS[flavour]
    cc = np.zeros_like(m)
    for name in ("pi", "K"):
        P = get_meson(name)
        xl, xp = ml / m, P.mass / m
        lam = kallen_sqrt(1.0, xp, xl)
        w = (c.G_FERMI ** 2 * P.f ** 2 * P.ckm ** 2 * m ** 3 / (16.0 * math.pi)
             * ((1.0 - xl ** 2) ** 2 - xp ** 2 * (1.0 + xl ** 2)) * lam)
        cc += np.where(m > ml + P.mass, w, 0.0)
    f_pi = get_meson("pi").f
    xp0 = c.M_PI0 / m
    nc = np.where(m > c.M_PI0, c.G_FERMI ** 2 * f_pi ** 2 * m ** 3 / (32.0 * math.pi)
                  * (1.0 - xp0 ** 2) ** 2, 0.0)
    below = m < M_HADRONIC
    return np.where(below, cc, 0.0), np.where(below, nc, 0.0)


# ----------------------------------------------------------------------------------------
# N1 widths


def mixing_widths(m_N, U: dict, majorana: bool = True) -> dict:
    """Partial widths (GeV) of N through the mixings ``U`` = {flavour: |U_a|} (missing: 0).

    Keys per flavour a: ``l_had_<a>`` (N -> l_a + hadrons via W*, i.e. l_a j j; QCD factor
    above 2 GeV, single mesons below), ``l_lnu_<a>`` (N -> l_a l_b nu_b, b != a, W*),
    ``nu_ll_<a>`` (N -> nu_a l_b l_b via Z*, plus W* for b = a and the interference),
    ``nu_had_<a>`` (N -> nu_a q q-bar via Z*), ``nu_nunu_<a>`` (N -> nu_a nu nu-bar),
    ``nu_h_<a>`` (N -> nu_a h, on shell).
    """
    m = np.asarray(m_N, dtype=np.float64)
    F = _factor(majorana)
    quark_on = m >= M_HADRONIC
    K = qcd_factor(m)
    out = {}
    for a in FLAVOURS:
        U2 = np.abs(np.asarray(U.get(a, 0.0), dtype=np.float64)) ** 2
        mes_cc, mes_nc = _meson_widths(m, a)
        had_cc = np.where(quark_on, K * _interp(m, f"cc_{a}_had"), mes_cc)
        had_nc = np.where(quark_on, K * _interp(m, "nc_had"), mes_nc)
        inter = interference_widths(m, a)
        same = _interp(m, f"cc_{a}_{a}")      # W*: l_a l_a nu_a (the same final state as Z*)
        other = sum(_interp(m, f"cc_{a}_{b}") for b in FLAVOURS if b != a)
        nc_l = sum(_interp(m, f"nc_{b}") for b in FLAVOURS)
        r_h = (c.M_H / np.where(m > 0, m, 1.0)) ** 2
        nu_h = np.where(m > c.M_H, c.G_FERMI * m ** 3 * (1 - r_h) ** 2
                        / (16.0 * math.sqrt(2.0) * math.pi), 0.0)
        out[f"l_had_{a}"] = F * U2 * had_cc
        out[f"l_lnu_{a}"] = F * U2 * other
        out[f"nu_ll_{a}"] = F * U2 * np.maximum(nc_l + same + inter["l"], 0.0)
        out[f"nu_had_{a}"] = F * U2 * had_nc
        out[f"nu_nunu_{a}"] = F * U2 * (_interp(m, "nc_nu") + inter["nu"])
        out[f"nu_h_{a}"] = F * U2 * nu_h
    return out


def n1_widths(point, majorana: bool = True) -> dict:
    """All partial widths (GeV) of N1 at a Point: the dipole-portal channels of
    hnlfit.physics.dipole.hnl_decays (nu gamma, nu Z*, l W*) at m = m_N1 and the mixing
    channels of :func:`mixing_widths` with U_<a>."""
    m = point["m_N1"]
    dg = {f: point[f"d_gamma_{f}"] for f in FLAVOURS}
    dz = {f: point[f"d_Z_{f}"] for f in FLAVOURS}
    dw = {f: point[f"d_W_{f}"] for f in FLAVOURS}
    out = dict(dip.partial_widths(m, dg, dz, dw, majorana))
    out.update(mixing_widths(m, {f: point[f"U_{f}"] for f in FLAVOURS}, majorana))
    return {k: np.broadcast_to(v, point.shape) * 1.0 for k, v in out.items()}


def _ratio(num, tot):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, num / np.where(tot > 0, tot, 1.0), 0.0)


def n1_total_width(point, majorana: bool = True):
    """Total N1 width (GeV); 0 at the no-HNL point (N1 stable)."""
    return sum(n1_widths(point, majorana).values())


def br_N1_to_nu_gamma(point, majorana: bool = True):
    """BR(N1 -> nu gamma), summed over neutrino flavours (0 where N1 is stable)."""
    w = n1_widths(point, majorana)
    return _ratio(sum(w[f"nu_gamma_{f}"] for f in FLAVOURS), sum(w.values()))


def br_N1_to_e_jj(point, majorana: bool = True):
    """BR(N1 -> e j j) = BR(N1 -> e + hadrons via W*) (both charges for Majorana)."""
    w = n1_widths(point, majorana)
    return _ratio(w["l_had_e"], sum(w.values()))


def proper_decay_length(width):
    """c tau = hbar c / Gamma in metres; +inf where the width is 0."""
    width = np.asarray(width, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(width > 0, c.HBARC_GEV_M / np.where(width > 0, width, 1.0), np.inf)
