"""Hadronic LO cross sections and event samplers for heavy neutrinos at the LHC (issue 11).

σ(pp → X) = Σ_pairs ∫ dτ dL_pair/dτ(τ, μ_F = √ŝ) σ̂_pair(τ s)  (the seed's HNL-production formula,
2405.08877 slides "HNL Production", with the luminosities of :mod:`.luminosity`), σ̂ from
:mod:`.partonic`.  Processes:

* ``sigma_pp_to_N1N2``: q q̄ → γ*/Z* → N₁N₂ through the sterile–sterile dipole d_NN
  (L ⊃ d_NN N̄₁^c σ^{μν} P_R N₂ F_{μν} + h.c. for Majorana states, d_NN N̄₁σ^{μν}P_R N₂ F_{μν}
  + h.c. for Dirac; d_NNZ = -tan θ_w d_NN; d_NN = 2 c_w C_NNB^12, docs/derivations/
  lhc_production.md).  Majorana: ``cp="same"`` (σ ∝ β³ at threshold) or ``"opposite"`` (β);
  Dirac: the sum of N₁N̄₂ and N̄₁N₂.
* ``sigma_pp_to_N_nu``: q q̄ → γ*/Z* → N ν̄_α + N̄ ν_α through d_γ^α, d_Z^α (one flavour).
* ``sigma_pp_to_l_N_dipole``: q q̄′ → W*± → ℓ±N through d_W^α (W⁺ and W⁻ summed).
* ``sigma_pp_to_l_N_mixing``: q q̄′ → W*± → ℓ±N through |U_α|² (W⁺ and W⁻ summed; the same
  for Dirac and Majorana N).

Couplings: α(M_Z) (MSbar) and s_w² for γ and Z, g = 2M_W/v for the W; fixed-width
Breit–Wigner propagators.  LO, no K-factor, parton level.

Integration.  ∫ dŝ in three pieces, below, across (M ± 25 Γ, in arctan of the Breit–Wigner)
and above the Z (or W) pole, each with Gauss–Legendre nodes in w, variable = a + w²(b - a),
which makes the β and β³ threshold behaviour smooth in w.  Vectorized over any broadcast
shape of masses: a 100 × 100 plane is one array operation with ~120 nodes per point.

EFT validity: :func:`fraction_above` gives the fraction of σ from √ŝ above a scale (e.g. Λ
of C_NNB = 1/Λ); the operator expansion is not to be trusted where that fraction is large.

Samplers (``sample_*``): parton-level LO events in the lab frame: (ŝ, flavour) from dσ/dŝ,
the rapidity of the q q̄ system from the shipped F_ab(τ, y) tables, cos θ* from the matrix
element, φ uniform; unit weights.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ... import constants as c
from ...errors import ParameterError
from ..dipole.ee_to_N_nu import gauge_couplings
from ..numerics import kallen, leggauss
from . import luminosity as lum
from . import partonic as pt

UP = ("u", "c")
DOWN = ("d", "s", "b")
QUARKS = ("d", "u", "s", "c", "b")
FLAVOURS = ("e", "mu", "tau")

PIECE_NODES = (32, 40, 64)       # below the pole, across it, above it
POLE_WIDTHS = 25.0


# --- the ŝ integral ---------------------------------------------------------------------
def shat_nodes(shat_low, sqrt_s: float, pole: tuple[float, float],
               n: tuple[int, int, int] = PIECE_NODES, rule: str = "gauss"):
    """Nodes ŝ and weights for ∫_{ŝ_low}^{ŝ_max} f(ŝ) dŝ ≈ Σ w f(ŝ); shapes (..., N).

    ŝ_max is the top of the luminosity table; an empty range gives zero weights.
    ``rule="midpoint"``: equal cells in w instead of Gauss–Legendre (for the samplers)."""
    M, G = pole
    lo_tab, hi_tab = lum.sqrt_shat_range(sqrt_s)
    smax = hi_tab * hi_tab
    lo = np.clip(np.asarray(shat_low, dtype=np.float64), lo_tab * lo_tab, smax)[..., None]
    e1 = np.clip(max(M - POLE_WIDTHS * G, lo_tab) ** 2, lo, smax)
    e2 = np.clip((M + POLE_WIDTHS * G) ** 2, lo, smax)
    nodes, weights = [], []
    for (a, b, kind), k in zip(((lo, e1, "log"), (e1, e2, "bw"), (e2, smax, "log")), n):
        if rule == "gauss":
            x, wg = leggauss(k)
            w, ww = 0.5 * (x + 1.0), 0.5 * wg
        else:
            w, ww = (np.arange(k) + 0.5) / k, np.full(k, 1.0 / k)
        if kind == "log":
            ta, tb = np.log(a), np.log(b)
        else:
            ta, tb = np.arctan((a - M * M) / (M * G)), np.arctan((b - M * M) / (M * G))
        t = ta + w * w * (tb - ta)
        jac = 2.0 * w * (tb - ta) * ww
        if kind == "log":
            sh = np.exp(t)
            nodes.append(sh)
            weights.append(jac * sh)
        else:
            tn = np.tan(t)
            nodes.append(M * M + M * G * tn)
            weights.append(jac * M * G * (1.0 + tn * tn))
    return np.concatenate(nodes, axis=-1), np.concatenate(weights, axis=-1)


def _threshold(m1, m2):
    return (np.asarray(m1, dtype=np.float64) + np.asarray(m2, dtype=np.float64)) ** 2


# --- neutral current (γ*, Z*) --------------------------------------------------------------
@lru_cache(maxsize=None)
def _neutral_coefficients(alpha: float):
    """Per-pair weights of Σ_X|A_X|² = d_γ² Λγγ/ŝ² + d_γ d_Z Λ_γZ Re P_Z/ŝ + d_Z² Λ_ZZ |P_Z|²."""
    e, g, gz, sw, cw = gauge_couplings(alpha)
    gg, gZ, ZZ = {}, {}, {}
    for q in QUARKS:
        Q, gl, gr = pt.chiral_couplings(q)
        pair = f"{q}{q}bar"
        gg[pair] = 2.0 * e * e * Q * Q
        gZ[pair] = 2.0 * e * Q * gz * (gl + gr)
        ZZ[pair] = gz * gz * (gl * gl + gr * gr)
    return gg, gZ, ZZ


def neutral_integrals(m1, m2, structure: str, sqrt_s: float = 14000.0,
                      scale: str = "nominal", sqrt_shat_min=None, alpha: float | None = None):
    """(I_γγ, I_γZ, I_ZZ) in pb per unit coupling² (GeV^-2 couplings): σ(pp → χ₁χ₂ via
    γ*/Z*) = d_γ² I_γγ + d_γ d_Z I_γZ + d_Z² I_ZZ.  Optional lower cut √ŝ > sqrt_shat_min.
    Computed once per distinct (m₁, m₂, cut): a plane in (mass, coupling) costs its masses."""
    alpha = pt.alpha_mz() if alpha is None else alpha
    low = _threshold(m1, m2)
    if sqrt_shat_min is not None:
        low = np.maximum(low, np.asarray(sqrt_shat_min, dtype=np.float64) ** 2)
    m1, m2, low = np.broadcast_arrays(np.asarray(m1, dtype=np.float64),
                                      np.asarray(m2, dtype=np.float64), low)
    shape = low.shape
    keys, inv = np.unique(np.stack([m1.ravel(), m2.ravel(), low.ravel()], axis=1), axis=0,
                          return_inverse=True)
    u1, u2, ulow = keys[:, 0:1], keys[:, 1:2], keys[:, 2]
    sh, w = shat_nodes(ulow, sqrt_s, (c.M_Z, c.GAMMA_Z))
    s = sqrt_s * sqrt_s
    kin = (w / s * pt.phase_space_factor(sh, u1, u2, pt.N_COLOURS)
           * pt.trace_integrated(sh, u1, u2, structure) * c.GEV2_TO_PB)
    pz = pt.z_propagator(sh)
    L = lum.combined_dL_dtau_many(_neutral_coefficients(alpha), np.sqrt(sh), sqrt_s, scale)
    out = []
    for k, f in enumerate((1.0 / (sh * sh), pz.real / sh, np.abs(pz) ** 2)):
        out.append(np.sum(kin * f * L[..., k], axis=-1)[inv.ravel()].reshape(shape))
    return tuple(out)


def _check_masses(**m):
    for name, v in m.items():
        arr = np.asarray(v, dtype=np.float64)
        if np.any(~np.isfinite(arr)) or np.any(arr < 0):
            raise ParameterError(f"{name} must be a finite mass >= 0 GeV, got {v!r}")


def sigma_pp_to_N1N2(m_N1, m_N2, d_NN, sqrt_s: float = 14000.0, majorana: bool = True,
                     cp: str = "same", scale: str = "nominal", sqrt_shat_min=None):
    """σ(pp → N₁N₂) in pb through the sterile–sterile dipole d_NN (GeV^-1) via γ* and Z*
    (d_NNZ = -tan θ_w d_NN).  Majorana (``cp`` 'same' or 'opposite') or Dirac (N₁N̄₂ + N̄₁N₂).
    ``scale``: μ_F = √ŝ × 1 ('nominal'), ½ ('down'), 2 ('up').  σ ∝ |d_NN|²."""
    _check_masses(m_N1=m_N1, m_N2=m_N2)
    st = pt.structure_for(majorana, cp)
    Igg, IgZ, IZZ = neutral_integrals(m_N1, m_N2, st, sqrt_s, scale, sqrt_shat_min)
    t = pt.tan_theta_w()
    d2 = np.abs(np.asarray(d_NN, dtype=np.float64)) ** 2
    return d2 * (Igg - t * IgZ + t * t * IZZ)


def fraction_above(sqrt_shat_cut, m_N1, m_N2, sqrt_s: float = 14000.0, majorana: bool = True,
                   cp: str = "same", scale: str = "nominal"):
    """Fraction of σ(pp → N₁N₂) from √ŝ > sqrt_shat_cut (EFT validity: use Λ); 0 where no
    cross section."""
    tot = sigma_pp_to_N1N2(m_N1, m_N2, 1.0, sqrt_s, majorana, cp, scale)
    hi = sigma_pp_to_N1N2(m_N1, m_N2, 1.0, sqrt_s, majorana, cp, scale, sqrt_shat_cut)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, hi / np.where(tot > 0, tot, 1.0), 0.0)


def sigma_pp_to_N_nu(m_N, d_gamma, d_Z, sqrt_s: float = 14000.0, scale: str = "nominal"):
    """σ(pp → N ν̄_α + N̄ ν_α) in pb through d_γ^α, d_Z^α (GeV^-1) of one flavour (the same
    for a Majorana N, whose channels are N ν̄ and N ν)."""
    _check_masses(m_N=m_N)
    m = np.asarray(m_N, dtype=np.float64)
    Igg, IgZ, IZZ = neutral_integrals(m, np.zeros_like(m), "dirac", sqrt_s, scale)
    dg = np.asarray(d_gamma, dtype=np.float64)
    dz = np.asarray(d_Z, dtype=np.float64)
    return dg * dg * Igg + dg * dz * IgZ + dz * dz * IZZ


# --- charged current (W*) ------------------------------------------------------------------
def _w_coefficients(charge: int) -> dict[str, float]:
    """|V_ij|² per parton pair: W⁺ from u_i d̄_j, W⁻ from d_j ū_i."""
    out = {}
    for u in UP:
        for d in DOWN:
            pair = f"{u}{d}bar" if charge > 0 else f"{d}{u}bar"
            out[pair] = pt.ckm_abs(u, d) ** 2
    return out


def _charged_integral(sigma_hat, low, sqrt_s, scale, charges=(1, -1)):
    sh, w = shat_nodes(low, sqrt_s, (c.M_W, c.GAMMA_W))
    s = sqrt_s * sqrt_s
    coefs: dict[str, float] = {}
    for q in charges:
        coefs.update(_w_coefficients(q))
    L = lum.combined_dL_dtau(coefs, np.sqrt(sh), sqrt_s, scale)
    return np.sum(w / s * L * sigma_hat(sh), axis=-1)


def _per_unique_mass(m_N, unit_sigma):
    """unit_sigma(m[:, None]) evaluated once per distinct mass, spread to m_N's shape."""
    m = np.asarray(m_N, dtype=np.float64)
    u, inv = np.unique(m.ravel(), return_inverse=True)
    return unit_sigma(u[:, None])[inv.ravel()].reshape(m.shape)


def sigma_pp_to_l_N_dipole(m_N, d_W, m_l: float = 0.0, sqrt_s: float = 14000.0,
                           scale: str = "nominal"):
    """σ(pp → ℓ⁺N + ℓ⁻N̄) in pb through the W dipole d_W^α (GeV^-1) of one flavour."""
    _check_masses(m_N=m_N)
    unit = _per_unique_mass(m_N, lambda m: _charged_integral(
        lambda sh: pt.sigma_hat_W_dipole(sh, m, m_l, 1.0), _threshold(m[:, 0], m_l), sqrt_s,
        scale))
    return np.abs(np.asarray(d_W, dtype=np.float64)) ** 2 * unit


def sigma_pp_to_l_N_mixing(m_N, U2, m_l: float = 0.0, sqrt_s: float = 14000.0,
                           scale: str = "nominal"):
    """σ(pp → W*± → ℓ±N) in pb through mixing |U_α|² (W⁺ and W⁻ summed)."""
    _check_masses(m_N=m_N)
    unit = _per_unique_mass(m_N, lambda m: _charged_integral(
        lambda sh: pt.sigma_hat_W_mixing(sh, m, m_l, 1.0), _threshold(m[:, 0], m_l), sqrt_s,
        scale))
    return np.asarray(U2, dtype=np.float64) * unit


# --- point-level sums over flavours ----------------------------------------------------------
def sigma_N_nu_point(point, sqrt_s: float = 14000.0, scale: str = "nominal"):
    """σ(pp → N ν + c.c.) in pb summed over flavours (d_gamma_<l>, d_Z_<l>; m_N)."""
    return sum(sigma_pp_to_N_nu(point["m_N"], point[f"d_gamma_{f}"], point[f"d_Z_{f}"],
                                sqrt_s, scale) for f in FLAVOURS)


def sigma_l_N_dipole_point(point, sqrt_s: float = 14000.0, scale: str = "nominal"):
    """σ(pp → ℓ±N) in pb through d_W_<l>, summed over flavours."""
    return sum(sigma_pp_to_l_N_dipole(point["m_N"], point[f"d_W_{f}"], c.LEPTON_MASS[f],
                                      sqrt_s, scale) for f in FLAVOURS)


def sigma_l_N_mixing_point(point, sqrt_s: float = 14000.0, scale: str = "nominal"):
    """σ(pp → W → ℓ±N) in pb through U_<l>, summed over flavours."""
    return sum(sigma_pp_to_l_N_mixing(point["m_N"], point[f"U_{f}"] ** 2, c.LEPTON_MASS[f],
                                      sqrt_s, scale) for f in FLAVOURS)


# --- event sampling ---------------------------------------------------------------------------
N_SAMPLING_CELLS = 4000


def _sample_shat(rng, n, density, low, sqrt_s, pole):
    """ŝ drawn from density(ŝ) (unnormalised dσ/dŝ) on [low, ŝ_max]: fine cells in the
    integration variables of :func:`shat_nodes`, piecewise-constant within a cell."""
    k = N_SAMPLING_CELLS // 3
    sh, w = shat_nodes(low, sqrt_s, pole, n=(k, k, k), rule="midpoint")
    sh, w = np.ravel(sh), np.ravel(w)
    p = np.clip(w * density(sh), 0.0, None)
    if not np.any(p > 0):
        raise ParameterError("no phase space: the masses are above the kinematic reach")
    order = np.argsort(sh)
    sh, p = sh[order], p[order]
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    r = rng.random(n)
    i = np.minimum(np.searchsorted(cdf, r), len(sh) - 1)
    # spread uniformly (in ln ŝ) over the cell of node i, between the neighbouring midpoints
    lsh = np.log(sh)
    left = 0.5 * (lsh[np.maximum(i - 1, 0)] + lsh[i])
    right = 0.5 * (lsh[np.minimum(i + 1, len(sh) - 1)] + lsh[i])
    out = np.exp(left + rng.random(n) * (right - left))
    return np.clip(out, low, sh[-1])


def _sample_rapidity(rng, rs_hat, pair, sqrt_s):
    """y of the parton pair and whether parton a of ``pair`` came from beam 1."""
    grid, u, F = lum.rapidity_table(pair, sqrt_s)
    x = np.log(grid)
    lx = np.clip(np.log(rs_hat), x[0], x[-1])
    j = np.clip(np.searchsorted(x, lx) - 1, 0, len(x) - 2)
    f = ((lx - x[j]) / (x[j + 1] - x[j]))[:, None]
    row = (1.0 - f) * F[j] + f * F[j + 1]                  # (n, n_u): F_ab(τ, u)
    G = row + row[:, ::-1]
    cell = 0.5 * (G[:, 1:] + G[:, :-1])
    cdf = np.cumsum(cell, axis=1)
    cdf = cdf / cdf[:, -1:]
    r = rng.random(len(rs_hat))[:, None]
    k = np.minimum((cdf < r).sum(axis=1), len(u) - 2)
    uu = u[k] + rng.random(len(rs_hat)) * (u[k + 1] - u[k])
    tau = rs_hat ** 2 / sqrt_s ** 2
    y = uu * (-0.5 * np.log(tau))
    Fa = _row_interp(uu, u, row)
    Gy = Fa + _row_interp(-uu, u, row)
    a_from_1 = rng.random(len(rs_hat)) * np.where(Gy > 0, Gy, 1.0) < Fa
    return y, a_from_1


def _row_interp(x, grid, rows):
    """Linear interpolation of each row of ``rows`` (n, m) on ``grid`` at x (n,)."""
    k = np.clip(np.searchsorted(grid, x) - 1, 0, len(grid) - 2)
    f = (x - grid[k]) / (grid[k + 1] - grid[k])
    idx = np.arange(len(x))
    return (1.0 - f) * rows[idx, k] + f * rows[idx, k + 1]


def _sample_cos(rng, density, n, bound):
    """cos θ from an unnormalised density(c, mask) ≤ bound by rejection (vectorized)."""
    out = np.empty(n)
    todo = np.arange(n)
    for _ in range(200):
        cc = rng.uniform(-1.0, 1.0, len(todo))
        acc = rng.random(len(todo)) * bound[todo] <= density(cc, todo)
        out[todo[acc]] = cc[acc]
        todo = todo[~acc]
        if len(todo) == 0:
            return out
    raise RuntimeError("angular rejection sampling did not converge")


def _lab_momenta(rs_hat, y, cos_theta, phi, m1, m2):
    """Four-momenta (E, px, py, pz) of the two final particles: CM decay, boost along z."""
    s = rs_hat ** 2
    p = np.sqrt(np.clip(kallen(s, m1 * m1, m2 * m2), 0.0, None)) / (2.0 * rs_hat)
    E1 = (s + m1 * m1 - m2 * m2) / (2.0 * rs_hat)
    E2 = (s + m2 * m2 - m1 * m1) / (2.0 * rs_hat)
    st = np.sqrt(np.clip(1.0 - cos_theta ** 2, 0.0, None))
    px, py, pz = p * st * np.cos(phi), p * st * np.sin(phi), p * cos_theta
    ch, sh = np.cosh(y), np.sinh(y)
    p1 = np.stack([E1 * ch + pz * sh, px, py, pz * ch + E1 * sh], axis=-1)
    p2 = np.stack([E2 * ch - pz * sh, -px, -py, -pz * ch + E2 * sh], axis=-1)
    return p1, p2


def _draw_pairs(rng, rs_hat, weights: dict[str, np.ndarray]):
    names = list(weights)
    W = np.stack([weights[k] for k in names], axis=-1)
    W = W / W.sum(axis=-1, keepdims=True)
    cdf = np.cumsum(W, axis=-1)
    r = rng.random(len(rs_hat))[:, None]
    idx = np.minimum((cdf < r).sum(axis=-1), len(names) - 1)
    return np.array(names)[idx]


def _events(rng, n, m1, m2, sqrt_s, low, pole, density, pair_weights, angular, bound):
    """Generic sampler: ŝ, parton pair, rapidity, cos θ* (w.r.t. the parton a of the pair),
    φ; returns (p1, p2, pair, a_from_beam1)."""
    sh = _sample_shat(rng, n, density, low, sqrt_s, pole)
    rs = np.sqrt(sh)
    pairs = _draw_pairs(rng, rs, pair_weights(sh))
    y = np.empty(n)
    a1 = np.empty(n, dtype=bool)
    for pair in np.unique(pairs):
        sel = pairs == pair
        y[sel], a1[sel] = _sample_rapidity(rng, rs[sel], str(pair), sqrt_s)
    cos_a = _sample_cos(rng, lambda cc, i: angular(sh[i], cc, pairs[i]), n, bound(sh))
    cos_lab = np.where(a1, cos_a, -cos_a)        # θ* is measured from parton a's direction
    phi = rng.uniform(0.0, 2.0 * math.pi, n)
    p1, p2 = _lab_momenta(rs, y, cos_lab, phi, m1, m2)
    return p1, p2, pairs, a1


def _scalar_mass(name, v):
    arr = np.asarray(v, dtype=np.float64)
    if arr.ndim != 0:
        raise ParameterError(f"{name}: the samplers take one mass value, got shape {arr.shape}")
    _check_masses(**{name: arr})
    return float(arr)


def sample_pp_to_N1N2(m_N1, m_N2, n: int, sqrt_s: float = 14000.0, majorana: bool = True,
                      cp: str = "same", seed: int = 0, scale: str = "nominal"):
    """LO events pp → N₁N₂ through the dipole (γ* + Z*): dict with ``p_N1``, ``p_N2``
    ((n, 4) lab four-momenta (E, px, py, pz) in GeV, z along beam 1), ``weight`` (ones),
    ``sqrt_shat`` (GeV), ``pair`` (q q̄ flavour) and ``sigma_pb_per_dNN2`` (σ at d_NN = 1)."""
    m1, m2 = _scalar_mass("m_N1", m_N1), _scalar_mass("m_N2", m_N2)
    st = pt.structure_for(majorana, cp)
    rng = np.random.default_rng(seed)
    t = pt.tan_theta_w()
    low = np.float64((m1 + m2) ** 2)

    def amp2(sh, q):
        aL, aR = pt.amplitudes_neutral(sh, q, 1.0, -t)
        return np.abs(aL) ** 2 + np.abs(aR) ** 2

    def pair_weights(sh):
        rs = np.sqrt(sh)
        return {f"{q}{q}bar": lum.dL_dtau(f"{q}{q}bar", rs, sqrt_s, scale) * amp2(sh, q)
                for q in QUARKS}

    def density(sh):
        return (sum(pair_weights(sh).values()) * pt.phase_space_factor(sh, m1, m2, 3)
                * pt.trace_integrated(sh, m1, m2, st))

    def angular(sh, cc, pairs):
        return pt.trace(sh, cc, m1, m2, st)

    def bound(sh):
        return 1.001 * np.maximum(np.abs(pt.trace(sh, 0.0, m1, m2, st)),
                                  np.abs(pt.trace(sh, 1.0, m1, m2, st)))

    p1, p2, pairs, _ = _events(rng, int(n), m1, m2, sqrt_s, low, (c.M_Z, c.GAMMA_Z), density,
                               pair_weights, angular, bound)
    sigma = float(sigma_pp_to_N1N2(m1, m2, 1.0, sqrt_s, majorana, cp, scale))
    return {"p_N1": p1, "p_N2": p2, "weight": np.ones(len(p1)),
            "sqrt_shat": np.sqrt(np.maximum(0.0, _minkowski2(p1 + p2))), "pair": pairs,
            "sigma_pb_per_dNN2": sigma}


def _minkowski2(p):
    return p[..., 0] ** 2 - p[..., 1] ** 2 - p[..., 2] ** 2 - p[..., 3] ** 2


def sample_pp_to_N_nu(m_N, d_gamma, d_Z, n: int, sqrt_s: float = 14000.0, seed: int = 0,
                      scale: str = "nominal"):
    """LO events pp → N ν̄ + N̄ ν (one flavour's d_γ, d_Z): ``p_N``, ``p_nu``, ``weight``."""
    m = _scalar_mass("m_N", m_N)
    dg, dz = float(d_gamma), float(d_Z)
    rng = np.random.default_rng(seed)

    def pair_weights(sh):
        rs = np.sqrt(sh)
        out = {}
        for q in QUARKS:
            aL, aR = pt.amplitudes_neutral(sh, q, dg, dz)
            out[f"{q}{q}bar"] = lum.dL_dtau(f"{q}{q}bar", rs, sqrt_s, scale) * (
                np.abs(aL) ** 2 + np.abs(aR) ** 2)
        return out

    def density(sh):
        return (sum(pair_weights(sh).values()) * pt.phase_space_factor(sh, m, 0.0, 3)
                * pt.trace_integrated(sh, m, 0.0, "dirac"))

    p1, p2, pairs, _ = _events(
        rng, int(n), m, 0.0, sqrt_s, np.float64(m * m), (c.M_Z, c.GAMMA_Z), density,
        pair_weights, lambda sh, cc, pr: pt.trace(sh, cc, m, 0.0, "dirac"),
        lambda sh: 1.001 * np.maximum(pt.trace(sh, 0.0, m, 0.0, "dirac"),
                                      pt.trace(sh, 1.0, m, 0.0, "dirac")))
    return {"p_N": p1, "p_nu": p2, "weight": np.ones(len(p1)), "pair": pairs}


def sample_pp_to_l_N(m_N, n: int, coupling: str = "mixing", m_l: float = 0.0,
                     sqrt_s: float = 14000.0, seed: int = 0, scale: str = "nominal"):
    """LO events pp → W*± → ℓ±N through ``coupling`` 'mixing' (|U|²) or 'dipole' (d_W):
    ``p_N``, ``p_l``, ``charge`` (+1: ℓ⁺N from W⁺, -1: ℓ⁻N̄ or ℓ⁻N), ``weight``."""
    m = _scalar_mass("m_N", m_N)
    if coupling not in ("mixing", "dipole"):
        raise ValueError(f"coupling must be 'mixing' or 'dipole', got {coupling!r}")
    rng = np.random.default_rng(seed)
    plus, minus = _w_coefficients(1), _w_coefficients(-1)

    def sig_hat(sh):
        if coupling == "mixing":
            return pt.sigma_hat_W_mixing(sh, m, m_l, 1.0)
        return pt.sigma_hat_W_dipole(sh, m, m_l, 1.0)

    def pair_weights(sh):
        rs = np.sqrt(sh)
        return {p: v * lum.dL_dtau(p, rs, sqrt_s, scale) for p, v in {**plus, **minus}.items()}

    def density(sh):
        return sum(pair_weights(sh).values()) * sig_hat(sh)

    def angular(sh, cc, pairs):
        # θ* from parton a: the quark for W+ (u d̄, N follows u), the d-type quark for W-
        # (N̄ follows ū, i.e. c -> -c)
        sign = np.where(np.isin(pairs, list(plus)), 1.0, -1.0)
        if coupling == "mixing":
            return pt.angular_W_mixing(sh, sign * cc, m, m_l)
        return pt.trace_chiral(sh, sign * cc, m, m_l, "L", "L")

    def bound(sh):
        if coupling == "mixing":
            return 1.001 * pt.angular_W_mixing(sh, 1.0, m, m_l)
        return 1.001 * sh ** 3          # T_chiral <= s [s² - d² + d²] = s³

    p1, p2, pairs, _ = _events(rng, int(n), m, m_l, sqrt_s, np.float64((m + m_l) ** 2),
                               (c.M_W, c.GAMMA_W), density, pair_weights, angular, bound)
    charge = np.where(np.isin(pairs, list(plus)), 1, -1)
    return {"p_N": p1, "p_l": p2, "charge": charge, "weight": np.ones(len(p1)), "pair": pairs}


# --- the production row of the benchmark matrix (issue 11, item 8) ---------------------------
PRODUCTION_COUPLINGS = ("C_NNB", "C_NB", "V_lN")


def production_by_coupling(m_N1, m_N2, d_NN=0.0, d_gamma=0.0, a=0.0, U2=0.0,
                           lepton: str = "e", sqrt_s: float = 14000.0,
                           majorana: bool = True, cp: str = "same") -> dict:
    """σ in pb of the three production modes of the seed's 3 × 3 matrix (2405.08877), for a
    heavy state produced with N₁ or alone:

    ``C_NNB``: pp → N₁N₂ through d_NN;
    ``C_NB``:  pp → N₂ν + ℓN₂ through the active–sterile dipole of N₂ (d_γ of flavour
               ``lepton`` with d_Z, d_W from ``a``, 2308.16608 eq. 2.6);
    ``V_lN``:  pp → W* → ℓN₂ through the mixing |U_ℓN₂|² = ``U2``;
    plus the same two single-production modes for N₁ (``C_NB_N1``, ``V_lN_N1``, with the
    same couplings), which is how N₁ is produced in B7/B8-like settings.  Arrays broadcast.
    """
    from ...params import dipoles_from_ratio
    m_l = c.LEPTON_MASS[lepton]
    d_Z, d_W = dipoles_from_ratio(np.asarray(d_gamma, dtype=np.float64),
                                  np.asarray(a, dtype=np.float64))
    d_W = np.nan_to_num(d_W)
    d_Z = np.nan_to_num(d_Z)
    out = {"C_NNB": sigma_pp_to_N1N2(m_N1, m_N2, d_NN, sqrt_s, majorana, cp)}
    for tag, m in (("", m_N2), ("_N1", m_N1)):
        out[f"C_NB{tag}"] = (sigma_pp_to_N_nu(m, d_gamma, d_Z, sqrt_s)
                             + sigma_pp_to_l_N_dipole(m, d_W, m_l, sqrt_s))
        out[f"V_lN{tag}"] = sigma_pp_to_l_N_mixing(m, U2, m_l, sqrt_s)
    return out
