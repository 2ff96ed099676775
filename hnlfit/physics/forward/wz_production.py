"""HNLs from on-shell W and Z decays at the 14 TeV LHC, into the forward far detectors.

Seed 002 (Liu & Zhang, arXiv:2302.02081, EPJC 83 (2023) 568) adds to the meson channels of
:mod:`hnlfit.physics.forward.far_detectors` the production W → ℓ N through d_W and Z → ν N through
d_Z (broken-phase Lagrangian of 2308.16608 eq. 2.3)::

    L ⊃ d_W^α ℓ̄_αL σ^{μν} N_R W⁻_{μν} + d_Z^α ν̄_αL σ^{μν} N_R Z_{μν} + h.c.

Widths (derivation)
-------------------
With W⁻_{μν} → -i(q_μ ε_ν - q_ν ε_μ) for an incoming W⁻ of momentum q, the vertex is
2 d_W σ^{μν} q_μ ε_ν P_R between ū_ℓ and v_N (W⁻ → ℓ⁻ N̄), and

    Σ_spins,pol |M|² = 4 d_W² Tr[(k̸ + m_ℓ) σ^{μν}q_μ P_R (p̸ - m) P_L σ^{αβ}q_α] (-g_νβ)
                     = 4 d_W² B_W,
    B_W = M_W⁴ + M_W² (m_N² + m_ℓ²) - 2 (m_N² - m_ℓ²)²

(the q_ν q_β part of the polarisation sum drops since σ^{μν} q_μ q_ν = 0).  This is the
crossing (p_N → -p_N, q → -q, one fermion crossed: overall sign -1) of the N → ℓ W squared
amplitude of :mod:`hnlfit.physics.hnl_decays`, 4 d² [2(m² - m_ℓ²)² - M²(m² + m_ℓ²) - M⁴]
= -4 d² B_W.  Averaging over the three W polarisations and with the two-body phase space
|k|/(8π M_W²), |k| = λ^{1/2}(M_W², m_N², m_ℓ²)/(2 M_W)::

    Γ(W⁻ → ℓ⁻ N̄) = (1/3) 4 d_W² B_W λ^{1/2}/(16π M_W³)
                 = d_W² λ^{1/2}(M_W², m_N², m_ℓ²) B_W / (12 π M_W³)

(N → ℓW averages over 2 spins instead: Γ_N = d² λ^{1/2} (-B_W) / (8π m_N³).)  Limits:
m_N, m_ℓ → 0 gives d_W² M_W³/(12π); it vanishes at m_N = M_W - m_ℓ.  B_W is symmetric in
m_N ↔ m_ℓ.  The same trace with m_ℓ = 0 gives Γ(Z → ν N̄) = d_Z² (M_Z² - m²)² (M_Z² + 2m²)
/(12π M_Z³), which :func:`hnlfit.physics.ee_to_N_nu.gamma_Z_to_nu_N` already provides (times
2 for ν N̄ + ν̄ N) and is reused here.

Dirac convention.  W⁻ → ℓ⁻ N̄ and W⁺ → ℓ⁺ N (the h.c. term) have the same width; the W⁺ and
W⁻ spectra are both used, each with :func:`gamma_W_to_l_N`.  For the Z both ν N̄ and ν̄ N
are counted (factor 2 in gamma_Z_to_nu_N).  N and N̄ both decay to (anti)neutrino + photon.
Branching ratios use Γ_W, Γ_Z of the ``particle`` package (:mod:`hnlfit.constants`); the new
channel's own contribution to Γ_W is negligible (d² M³ ≪ Γ_W for any d of interest).

Angular distribution in the boson rest frame
--------------------------------------------
In qq̄ → W/Z the boson is transversely polarised along the qq̄ axis (J_z = ±1; at LO and for
p_T ≪ M the Collins-Soper axis, see below).  The same traces with a fixed polarisation vector
(checked numerically against explicit Dirac matrices in tests/test_wz_production.py) give,
for the average of J_z = +1 and -1 and θ* the angle of N to the axis::

    dΓ/dΩ* ∝ A sin²θ* + B (1 + cos²θ*)/2,
    B = M²(m_N² + m_ℓ²) - (m_N² - m_ℓ²)²,   A = B_W/2 - B.

For m_N → 0 only A survives: the dipole flips chirality, so ℓ⁻ (helicity -½) and N̄ (helicity
-½) are back to back with total helicity 0 along the decay axis and the transverse boson
decays as sin²θ* — N is emitted preferentially *perpendicular* to the beam in the boson
frame, which suppresses the very forward N (FASER2, FACET) relative to an isotropic decay.
A longitudinal boson (J_z = 0) decays as 2A cos²θ* + B sin²θ*, i.e. *along* the axis, so even
a small longitudinal fraction matters for the forward detectors.  It arises at O(α_s) from
the boson p_T (ISR): ρ₀₀ = A₀/2 with A₀ = p_T²/(M² + p_T²) for qq̄ → Vg in the Collins-Soper
frame (Lam-Tung; qg → Vq gives 5p_T²/(M² + 5p_T²), so this is a lower estimate).

``angular="polarised"`` (default): (1 - ρ₀₀(p_T)) transverse + ρ₀₀(p_T) longitudinal, p_T
per boson from the Pythia spectra; ``"transverse"``: ρ₀₀ = 0; ``"isotropic"``: flat, for
comparison.  Effect (tests/notes): MAPP-2 sits at θ ~ 0.1 rad and sees the decays at all θ*,
so the three agree within ~5%; FASER2 and FACET need N along the beam in the boson frame and
get several to ~15 times fewer events than with an isotropic decay for m_N ≲ 10 GeV.
Neglected: the J_z = +1 vs -1 imbalance, which adds a ±cosθ* term only to the B
(helicity-flip, ∝ m²/M²) part, with opposite signs for W⁺ → ℓ⁺N and W⁻ → ℓ⁻N̄ and for the two
beam directions of the quark, so it largely averages out in the W⁺ + W⁻ sum and in the
hemisphere-folded tables; the p_T dependence of A₀ beyond O(α_s).  The axis: the
Collins-Soper axis, the bisector of the two beam directions in the boson rest frame.

Kinematics: from the detector backwards
---------------------------------------
A forward detector subtends a tiny solid angle (FASER2: 1.4e-5 sr), so forward decays with
random rest-frame directions would almost never hit it.  Instead, for each boson sample
(θ_B, p_B, azimuth φ_B uniform) an N *direction* n̂ is drawn uniformly in the detector's
window (cosθ, φ), and the lab momenta p with P·p_N = M E*, E* = (M² + m_N² - m_ℓ²)/(2M), are
solved for (the quadratic (E_B² - p_B² c²) p² - 2 M E* p_B c p + E_B² m_N² - M² E*² = 0,
c = b̂·n̂; 0, 1 or 2 roots).  From d³p/E δ((P - p_N)² - m_ℓ²) in both frames the Jacobian is

    dΩ*/dΩ = M p² / (p* |E_B p - p_B c E|),

so each root carries the weight σ_B × f(cosθ*) dΩ*/dΩ × ΔΩ_window / n, f the normalised
rest-frame density.  The (c_in, c_out) of the rays then enter the per-mass tables of
:mod:`hnlfit.physics.forward.far_detectors` exactly like the meson channels (weight sets W_e, W_mu,
W_tau ∝ d_W^α², Z ∝ Σ_α d_Z^α²), so a coupling grid is still one matrix product.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ... import constants as c
from ...cache import cached_table
from . import detectors as det_mod
from . import tables
from ..dipole.ee_to_N_nu import gamma_Z_to_nu_N
from ..numerics import kallen_sqrt

TABLE_VERSION = "far_detector_boson_counts/1"
LEPTONS = ("e", "mu", "tau")
ANGULAR = ("polarised", "transverse", "isotropic")
BOSON_NORMALISE = ("nnlo", "none")
DEFAULT_BOSON_SAMPLES = 60000
#: spectra tables per channel: the W channel uses both charge states
SPECTRA = {"W": ("Wplus", "Wminus"), "Z": ("Z",)}


# ---------------------------------------------------------------------------------------
# widths and branching ratios
# ---------------------------------------------------------------------------------------
def b_w(M, m_N, m_l):
    """B_W = M⁴ + M²(m_N² + m_ℓ²) - 2(m_N² - m_ℓ²)² (Σ|M|² = 4 d² B_W, module notes)."""
    M2, m2, l2 = M * M, np.asarray(m_N, float) ** 2, m_l * m_l
    return M2 * M2 + M2 * (m2 + l2) - 2.0 * (m2 - l2) ** 2


def gamma_W_to_l_N(m_N, d_W, m_l: float = 0.0, M_W: float = c.M_W):
    """Γ(W⁻ → ℓ⁻ N̄) = Γ(W⁺ → ℓ⁺ N) in GeV; d_W² λ^{1/2}(M_W², m_N², m_ℓ²) B_W/(12π M_W³),
    0 for m_N ≥ M_W - m_ℓ (module notes; seed 002 / 2302.02081 production channel)."""
    m = np.asarray(m_N, float)
    lam = kallen_sqrt(M_W * M_W, m, m_l)
    out = np.abs(d_W) ** 2 * lam * b_w(M_W, m, m_l) / (12.0 * math.pi * M_W ** 3)
    return np.where(lam > 0, out, 0.0)


def br_W_to_l_N(m_N, d_W, lepton: str):
    """BR(W⁻ → ℓ⁻ N̄) (= BR(W⁺ → ℓ⁺ N)) with Γ_W of the ``particle`` package."""
    return gamma_W_to_l_N(m_N, d_W, c.LEPTON_MASS[lepton]) / c.GAMMA_W


def br_Z_to_nu_N(m_N, d_Z):
    """BR(Z → ν N̄ + ν̄ N) for one flavour (Dirac N, both states), Γ_Z from ``particle``."""
    return gamma_Z_to_nu_N(m_N, d_Z) / c.GAMMA_Z


def helicity_weights(M, m_N, m_l):
    """(A, B) of dΓ/dΩ* ∝ A sin²θ* + B (1 + cos²θ*)/2 for a transverse boson (module notes);
    A + B = B_W/2."""
    m2, l2 = np.asarray(m_N, float) ** 2, m_l * m_l
    B = M * M * (m2 + l2) - (m2 - l2) ** 2
    return 0.5 * b_w(M, m_N, m_l) - B, B


def rho00(M, pT):
    """Longitudinal fraction ρ₀₀ = A₀/2 of a boson of transverse momentum p_T in the
    Collins-Soper frame, with the O(α_s) qq̄ → Vg value A₀ = p_T²/(M² + p_T²) (Lam-Tung;
    the qg → Vq value 5p_T²/(M² + 5p_T²) is larger, so this is the lower estimate)."""
    pT2 = np.asarray(pT, float) ** 2
    return 0.5 * pT2 / (M * M + pT2)


def angular_density(cos_star, M, m_N, m_l, angular: str = "polarised", pT=0.0):
    """Normalised rest-frame density f(cosθ*) per unit solid angle (∫ f dΩ* = 1) of N
    relative to the Collins-Soper axis.

    "transverse": (3/8π)[A sin²θ* + B(1 + cos²θ*)/2]/(A + B) (J_z = ±1 averaged);
    "polarised": (1 - ρ₀₀) × transverse + ρ₀₀ (3/8π)[2A cos²θ* + B sin²θ*]/(A + B), the
    longitudinal part of :func:`rho00` at the boson's p_T (helicity amplitudes
    |H_0|² = 2A, |H_+|² + |H_-|² = 2B, module notes); "isotropic": 1/4π."""
    cs = np.asarray(cos_star, float)
    if angular == "isotropic":
        return np.full_like(cs, 1.0 / (4.0 * math.pi))
    if angular not in ANGULAR:
        raise ValueError(f"angular must be one of {ANGULAR}, got {angular!r}")
    A, B = helicity_weights(M, m_N, m_l)
    c2 = cs * cs
    # ∫ sin² dΩ = ∫ (1 + cos²)/2 dΩ = 8π/3, ∫ cos² dΩ = 4π/3
    ft = 3.0 / (8.0 * math.pi) * (A * (1.0 - c2) + 0.5 * B * (1.0 + c2)) / (A + B)
    if angular == "transverse":
        return ft
    fl = 3.0 / (8.0 * math.pi) * (2.0 * A * c2 + B * (1.0 - c2)) / (A + B)
    r = rho00(M, pT)
    return (1.0 - r) * ft + r * fl


# ---------------------------------------------------------------------------------------
# two-body kinematics, lab → rest frame
# ---------------------------------------------------------------------------------------
def rest_frame(M, m_N, m_l):
    """(E*, p*) of N in the boson rest frame."""
    E = (M * M + m_N * m_N - m_l * m_l) / (2.0 * M)
    p = float(kallen_sqrt(M * M, m_N, m_l)) / (2.0 * M)
    return E, p


def lab_momenta(M, m_N, m_l, boson_p3, n_hat):
    """Lab momenta |p| of N along the unit vectors ``n_hat`` (..., 3) from bosons of mass M
    and momenta ``boson_p3`` (..., 3): returns (p, jac) of shape (2, ...), the two roots of
    P·p_N = M E* (NaN where absent) and dΩ*/dΩ_lab for each."""
    P = np.asarray(boson_p3, float)
    n = np.asarray(n_hat, float)
    pB = np.linalg.norm(P, axis=-1)
    EB = np.sqrt(pB * pB + M * M)
    with np.errstate(invalid="ignore", divide="ignore"):
        cth = np.einsum("...i,...i->...", P, n) / pB
    cth = np.where(pB > 0, cth, 0.0)
    Es, ps = rest_frame(M, m_N, m_l)
    a = EB * EB - (pB * cth) ** 2
    b = M * Es * pB * cth
    disc = b * b - a * (EB * EB * m_N * m_N - (M * Es) ** 2)
    sq = np.sqrt(np.maximum(disc, 0.0))
    roots = np.stack([(b + sq) / a, (b - sq) / a])
    E = np.sqrt(roots ** 2 + m_N * m_N)
    ok = (disc >= 0) & (roots > 0) & (np.abs(EB * E - pB * cth * roots - M * Es)
                                       <= 1e-9 * EB * E + 1e-12)
    # m_N = 0, forward: one root only (the other is the spurious p = 0 / negative one)
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = M * roots ** 2 / (ps * np.abs(EB * roots - pB * cth * E))
    return np.where(ok, roots, np.nan), np.where(ok, jac, 0.0)


def boost_to_rest(p3, E, boson_p3, M):
    """Three-momenta (..., 3) in the rest frame of a boson of mass M and momentum
    ``boson_p3`` (..., 3), for lab momenta ``p3`` with energies ``E``."""
    P = np.asarray(boson_p3, float)
    pB = np.linalg.norm(P, axis=-1, keepdims=True)
    EB = np.sqrt(pB * pB + M * M)
    with np.errstate(invalid="ignore", divide="ignore"):
        b = np.where(pB > 0, P / pB, 0.0)
    g, gb = EB / M, pB / M
    par = np.einsum("...i,...i->...", p3, b)[..., None]
    return p3 + ((g - 1.0) * par - gb * np.asarray(E, float)[..., None]) * b


def collins_soper_axis(boson_p3, M):
    """Unit vector of the Collins-Soper axis in the boson rest frame (the bisector of the
    directions of beam 1 (+z) and minus beam 2 (-z))."""
    P = np.asarray(boson_p3, float)
    z = np.zeros_like(P)
    z[..., 2] = 1.0
    one = np.ones(P.shape[:-1])
    a1 = boost_to_rest(z, one, P, M)
    a2 = boost_to_rest(-z, one, P, M)
    a1 /= np.linalg.norm(a1, axis=-1, keepdims=True)
    a2 /= np.linalg.norm(a2, axis=-1, keepdims=True)
    ax = a1 - a2
    return ax / np.linalg.norm(ax, axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------
# boson samples and N rays through the detector
# ---------------------------------------------------------------------------------------
def _boson_mass(channel: str) -> float:
    return c.M_W if channel == "W" else c.M_Z


@lru_cache(maxsize=64)
def boson_samples(boson: str, normalise: str, n: int, p_min: float,
                  spectra_folder: str | None = None):
    """Weighted samples (p3 (n, 3), w [fb], per hemisphere) of ``boson`` (Wplus, Wminus, Z)
    from the bins of its spectrum that can give p_N ≥ p_min (p_N ≤ E_B), stratified with
    probability ∝ σ_bin; the azimuth is uniform."""
    from ...spectra import load_spectrum

    spec = load_spectrum(boson, normalise, spectra_folder)
    M = c.M_W if boson.startswith("W") else c.M_Z
    lt, lp = spec.log10_theta_edges, spec.log10_p_edges
    p_hi = 10 ** lp[1:]
    rel = np.sqrt(p_hi ** 2 + M * M) >= p_min
    sig = spec.sigma_fb * rel[None, :]
    rng = np.random.default_rng(det_mod.sample_seed("boson", boson, normalise, n, p_min))
    flat = sig.ravel()
    cdf = np.cumsum(flat)
    cdf /= cdf[-1]
    u = (np.arange(n) + rng.random(n)) / n
    k = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)
    it, ip = np.divmod(k, len(p_hi))
    w = np.full(n, flat.sum() / n)
    theta = np.minimum(10 ** (lt[it] + (lt[it + 1] - lt[it]) * rng.random(n)), 0.5 * math.pi)
    p = 10 ** (lp[ip] + (lp[ip + 1] - lp[ip]) * rng.random(n))
    phi = 2 * math.pi * rng.random(n)
    st = np.sin(theta)
    p3 = p[:, None] * np.stack([st * np.cos(phi), st * np.sin(phi), np.cos(theta)], -1)
    return {"p3": p3, "w": w, "u_theta": rng.random(n), "u_phi": rng.random(n)}


def detector_window(det: det_mod.Detector):
    """(θ_min, θ_max, φ_lo, φ_hi) of the N directions that can cross the volume."""
    tmin, tmax = det_mod.angular_range(det)
    az = det_mod.azimuth_range(det)
    return (tmin, tmax) + ((0.0, 2 * math.pi) if az is None else az)


def channel_rays(channel: str, lepton: str | None, m_N: float, det: det_mod.Detector,
                 normalise: str = "nnlo", angular: str = "polarised",
                 n: int = DEFAULT_BOSON_SAMPLES, spectra_folder: str | None = None):
    """N rays from W → ℓN (``channel="W"``, both charges) or Z → νN that cross ``det`` with
    p_N ≥ p_min: dict of p, θ, φ, ℓ_in, ℓ_out and weight w (fb per unit BR, per hemisphere),
    or None when the channel is closed."""
    M = _boson_mass(channel)
    m_l = c.LEPTON_MASS[lepton] if channel == "W" else 0.0
    if m_N >= M - m_l:
        return None
    tmin, tmax, plo, phi_hi = detector_window(det)
    c1, c2 = math.cos(tmin), math.cos(tmax)
    d_omega = (c1 - c2) * (phi_hi - plo)
    out = []
    for boson in SPECTRA[channel]:
        bs = boson_samples(boson, normalise, int(n), float(det.p_min), spectra_folder)
        ct = c1 - (c1 - c2) * bs["u_theta"]
        th = np.arccos(ct)
        ph = plo + (phi_hi - plo) * bs["u_phi"]
        st = np.sin(th)
        nh = np.stack([st * np.cos(ph), st * np.sin(ph), ct], -1)
        roots, jac = lab_momenta(M, m_N, m_l, bs["p3"], nh)
        for r in range(2):
            p = roots[r]
            keep = np.isfinite(p) & (p >= det.p_min) & (jac[r] > 0)
            if not keep.any():
                continue
            pk, nk, P = p[keep], nh[keep], bs["p3"][keep]
            E = np.sqrt(pk * pk + m_N * m_N)
            prest = boost_to_rest(pk[:, None] * nk, E, P, M)
            axis = collins_soper_axis(P, M)
            cs = np.einsum("ij,ij->i", prest, axis) / np.linalg.norm(prest, axis=-1)
            f = angular_density(cs, M, m_N, m_l, angular, np.hypot(P[:, 0], P[:, 1]))
            w = bs["w"][keep] * f * jac[r][keep] * d_omega
            l_in, l_out = det_mod.path_interval(det, th[keep], ph[keep])
            hit = np.isfinite(l_in)
            out.append({"p": pk[hit], "theta": th[keep][hit], "phi": ph[keep][hit],
                        "l_in": l_in[hit], "l_out": l_out[hit], "w": w[hit]})
    if not out:
        return None
    return {k: np.concatenate([o[k] for o in out]) for k in out[0]}


def boson_channels():
    """(channel, lepton, weight set) of the boson production channels."""
    return [("W", lep, f"W_{lep}") for lep in LEPTONS] + [("Z", None, "Z")]


def _check(normalise, angular):
    if normalise not in BOSON_NORMALISE:
        raise ValueError(f"boson_normalise must be one of {BOSON_NORMALISE}, got {normalise!r}")
    if angular not in ANGULAR:
        raise ValueError(f"angular must be one of {ANGULAR}, got {angular!r}")


def build_boson_table(m_N: float, det: det_mod.Detector, normalise: str = "nnlo",
                      angular: str = "polarised", n: int = DEFAULT_BOSON_SAMPLES,
                      spectra_folder: str | None = None, sets: tuple | None = None
                      ) -> dict[str, np.ndarray]:
    """Per-mass table of the boson channels, in the format of
    :func:`hnlfit.physics.forward.far_detectors.build_mass_table` (``set`` indexes
    :data:`hnlfit.physics.forward.tables.SETS`, BR at d = 1 folded in); ``sets`` restricts
    it to those weight sets (default: all of W_e, W_mu, W_tau, Z)."""

    _check(normalise, angular)
    W = np.zeros((len(tables.SETS), 2, tables.N_LOGC))
    WC = np.zeros_like(W)
    for channel, lep, wset in boson_channels():
        if sets is not None and wset not in sets:
            continue
        br = float(br_W_to_l_N(m_N, 1.0, lep) if channel == "W" else br_Z_to_nu_N(m_N, 1.0))
        if br <= 0:
            continue
        smp = channel_rays(channel, lep, m_N, det, normalise, angular, n, spectra_folder)
        if smp is None or len(smp["w"]) == 0:
            continue
        tables.accumulate(W, WC, tables.SETS.index(wset), smp, br)
    return tables.compress_table(W, WC)


@lru_cache(maxsize=4096)
def boson_mass_table(m_N: float, det_key: tuple, normalise: str = "nnlo",
                     angular: str = "polarised", n: int = DEFAULT_BOSON_SAMPLES,
                     spectra_folder: str | None = None, disk_cache: bool = True,
                     sets: tuple | None = None):
    """:func:`build_boson_table`, cached in memory and (by content hash, per set of weight
    sets) on disk."""
    from ...spectra import boson_xsec_data, content_hash

    det = det_mod.detector_from_key(det_key)

    def compute():
        return build_boson_table(m_N, det, normalise, angular, n, spectra_folder, sets)
    if not disk_cache:
        return compute()
    desc = {"version": TABLE_VERSION, "m_N": float(m_N), "detector": det_key,
            "normalise": normalise, "angular": angular, "n": int(n),
            "sets": None if sets is None else sorted(sets),
            "spectra": content_hash("bosons", spectra_folder), "xsec": boson_xsec_data()["bosons"],
            "masses": [c.M_W, c.M_Z, c.GAMMA_W, c.GAMMA_Z]}
    return cached_table("far_detector_boson_table", desc, compute)
