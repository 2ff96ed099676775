"""HNLs from meson (and W/Z) decays at forward far detectors: N spectra and signal counts.

Implements 2308.16608 eq. 3.3 with the project's own Pythia spectra (:mod:`hnlfit.spectra`),
the meson → N branching ratios of :mod:`hnlfit.physics.meson_decays`, the exact decay-volume
geometry of :mod:`hnlfit.physics.detectors` and the HNL width of
:mod:`hnlfit.physics.hnl_decays`::

    N_S = L_int Σ_M ∫ dσ_M × BR(M → N) × P_decay(θ_N, p_N, λ_N) × Θ(p_N > p_min) × BR(N → νγ)

Kinematics (meson rest frame, then boosted with the meson's (θ, p))
------------------------------------------------------------------
* V⁰ → ν N̄ (eq. 2.10): E*_N = (m_V² + m_N²)/(2 m_V), p* = (m_V² - m_N²)/(2 m_V); an
  unpolarised V decays isotropically.
* P⁰ → γ ν N̄ and P⁻ → γ ℓ⁻ N̄ (eqs. 2.13-2.14, 2.17-2.18): X = γ resp. ℓ recoils against the
  virtual q (γ*, resp. ν*) with E_q = (m_P² + q² - m_X²)/(2 m_P), |q| = λ^{1/2}(m_P², q², m_X²)
  /(2 m_P).  In the q rest frame N has E' = (q² + m_N²)/(2√q²), p' = (q² - m_N²)/(2√q²) at the
  angle θ from the direction of X (which is -q̂), so in the meson frame
  E*_N = (E_q E' - |q| p' cosθ)/√q².  (q², cosθ) are distributed as d²Γ/dq²dcosθ; the
  distribution of E*_N is tabulated on a Gauss-Legendre grid (64 × 16 nodes) and sampled by
  inverting its cumulative distribution.  The meson has spin 0, so the N direction in its
  rest frame is isotropic.
* Boost: with γ = E_M/m_M, γβ = p_M/m_M and α the rest-frame angle to the meson direction,
  p_∥ = γ p* cosα + γβ E*, p_⊥ = p* sinα; the lab polar angle follows from the meson direction
  (θ_M) and the azimuth of p_⊥ around it.

Production is azimuthally symmetric, so only (θ_N, p_N) of each N matter: for the coaxial
cylinders (FASER, FASER2, FACET) the path interval does not depend on φ; for a box (MAPP2) φ
is drawn uniformly over the box's azimuthal range with the weight Δφ/2π.

Counting, and why a contour takes about a second
------------------------------------------------
For an N on a ray that crosses the volume between path lengths ℓ_in and ℓ_out,
P = exp(-κ c_in) - exp(-κ c_out) with c = ℓ/p_N (m/GeV) and κ = m_N Γ_N / ħc (GeV/m), since
the lab decay length is λ = (p_N/m_N) ħc/Γ_N.  For a given m_N every N sample is thus summarised
by (c_in, c_out) and a weight (σ × decay fraction); all dependence on the couplings is in κ
and in the branching ratios, which are d² times mass-only factors.  So per m_N the samples of
every meson channel are histogrammed once on a fine grid in log c (0.002 decades, weighted
mean c per bin; the error this makes is O((κ δc)²) ≈ 1e-5 relative where κ c ≲ 30) into four
weight sets — the neutral mesons (BR ∝ Σ_α d_α²) and the charged mesons for ℓ = e, μ, τ (BR
∝ d_α²) — with the branching ratio at d = 1 folded in.  Then, for all couplings at once,

    N_S(m_N, d) = L BR(N→νγ) Σ_j [Σ_α d_α² S_{n,j} + Σ_α d_α² S_{α,j}] (-expm1(-κ c_j)),

where the c_out entries carry +weight and the c_in entries -weight
(exp(-κa) - exp(-κb) = expm1(-κb)·(-1) + expm1(-κa)... written with expm1 so that the long-
lifetime limit κ → 0 keeps full precision).  The tables are cached on disk
(:func:`hnlfit.cache.cached_table`) per (detector, m_N, options) and in memory.

W and Z production (seed 002, 2302.02081)
----------------------------------------
On-shell W → ℓN (d_W) and Z → νN (d_Z) are built by :mod:`hnlfit.physics.wz_production` into
the same kind of per-mass table with four more weight sets, W_e, W_mu, W_tau (∝ d_W^α²) and
Z (∝ Σ_α d_Z^α²), so :data:`SETS` has eight entries and the count stays one matrix product.
``expected_events(..., production=)`` selects "mesons" (the default of this function, and
bit-for-bit the meson-only result), "bosons" or "all"; the boson channels are open up to
m_N < M_Z (W: M_W - m_ℓ), the meson channels up to the Υ mass.

Choices (documented, and options where it matters)
--------------------------------------------------
* Dirac N.  A self-conjugate neutral meson decays to ν N̄ and to ν̄ N with the same rate (the
  h.c. term of eq. 2.1); both N and N̄ decay to (anti)neutrino + photon, so the signal has
  twice the rate of the one channel of eqs. 2.10/2.14: ``include_conjugate=True`` (default).
  Seed 003 quotes the single-channel width and, as far as its text says, did not double it;
  ``include_conjugate=False`` reproduces that.  Charged mesons: the spectra hold both charge
  states (P⁻ → γ ℓ⁻ N̄ and P⁺ → γ ℓ⁺ N), so no factor is needed.
* Charged pions and kaons (cτ = 7.8 m, 3.7 m) do not decay at the IP: a 1 TeV π± has a decay
  length of 55 km, and the forward ones are absorbed in the TAS/TAN or bent by the separation
  dipoles within ~20-140 m, so ≲ 1e-3 of them decay before that, somewhere along the beam
  line, not at the IP.  ``charged_light="exclude"`` (default) drops them; ``"ip"`` treats
  them as decaying at the IP (an upper bound, the convention of tools that decay every meson
  at the IP); a number L (metres) weights each π/K by its probability to decay within L of
  the IP (N still taken from the IP).
* D, D_s, B decay promptly (cτ ≤ 0.5 mm) and are treated as decaying at the IP.
"""
from __future__ import annotations

import math
import zlib
from functools import lru_cache

import numpy as np

from ... import constants as c
from ...cache import cached_table
from . import detectors as det_mod
from .detectors import (angular_range, azimuth_range, detector_from_key, detector_key,
                        sample_seed)
from ..numerics import gauss_legendre, two_body_momentum
from .tables import LOGC_MIN, LOGC_MAX, LOGC_STEP, N_LOGC, SETS, accumulate, compress_table  # noqa: F401
from . import meson_decays as md

TABLE_VERSION = "far_detector_counts/1"
#: weight sets: meson channels (neutral: Σ_α d_γ^α², charged with lepton α: d_γ^α²) and
#: boson channels (:mod:`hnlfit.physics.wz_production`; W_α: d_W^α², Z: Σ_α d_Z^α²)
N_MESON_SETS = 4
PRODUCTION = ("mesons", "bosons", "all")
CHARGED_LIGHT = ("pi", "K")
NORMALISE = ("none", "seed003", "seed003_heavy")
HEAVY = ("D", "Ds", "B", "jpsi", "upsilon1s")
DEFAULT_SAMPLES = {"neutral": 12000, "charged": 5000}


# ---------------------------------------------------------------------------------------
# rest-frame kinematics
# ---------------------------------------------------------------------------------------
def three_body_energy(m_P, m_X, m_N, q2, cos_theta):
    """E*_N in the P rest frame for P → X q*(→ N + massless), θ = angle(N, X) in the q frame."""
    q2 = np.asarray(q2, float)
    sq = np.sqrt(q2)
    E_q = (m_P ** 2 + q2 - m_X ** 2) / (2.0 * m_P)
    pq = two_body_momentum(m_P, sq, m_X)
    E1 = (q2 + m_N ** 2) / (2.0 * sq)
    p1 = (q2 - m_N ** 2) / (2.0 * sq)
    return (E_q * E1 - pq * p1 * np.asarray(cos_theta, float)) / sq


def three_body_momenta(m_P, m_X, m_N, q2, cos_theta, phi=0.0):
    """Four-momenta (E, px, py, pz) of X, N and the massless particle in the P rest frame,
    with q along +z; for tests of the construction (energy-momentum conservation)."""
    q2 = np.asarray(q2, float)
    ct = np.asarray(cos_theta, float)
    st = np.sqrt(np.maximum(1.0 - ct * ct, 0.0))
    sq = np.sqrt(q2)
    E_q = (m_P ** 2 + q2 - m_X ** 2) / (2.0 * m_P)
    pq = two_body_momentum(m_P, sq, m_X)
    zero = np.zeros_like(q2 * ct)
    X = np.stack([m_P - E_q + zero, zero, zero, -pq + zero], -1)
    E1 = (q2 + m_N ** 2) / (2.0 * sq)
    p1 = (q2 - m_N ** 2) / (2.0 * sq)
    g, gb = E_q / sq, pq / sq
    # in the q frame N is at angle θ from -z (the X direction), the massless one opposite
    nz, nx, ny = -p1 * ct, p1 * st * np.cos(phi), p1 * st * np.sin(phi)
    N = np.stack([g * E1 + gb * nz, nx, ny, gb * E1 + g * nz], -1)
    K = np.stack([g * p1 - gb * nz, -nx, -ny, gb * p1 - g * nz], -1)
    return X, N, K


def rest_frame_energies(meson: md.Meson, m_N: float, lepton: str | None = None,
                        n_q: int = 64, n_c: int = 16, p0_norm: str = "gammagamma"):
    """(E*_N, weight) nodes of the N energy distribution in the meson rest frame (Σw = 1);
    empty arrays when the channel is closed."""
    if meson.kind == "vector":
        if m_N >= meson.mass:
            return np.empty(0), np.empty(0)
        return np.array([(meson.mass ** 2 + m_N ** 2) / (2 * meson.mass)]), np.ones(1)
    m_X = 0.0 if meson.kind == "neutral_pseudoscalar" else c.LEPTON_MASS[lepton]
    q2_max = (meson.mass - m_X) ** 2
    if m_N ** 2 >= q2_max:
        return np.empty(0), np.empty(0)
    q2, wq = gauss_legendre(n_q, m_N ** 2, q2_max)
    ct, wc = gauss_legendre(n_c, -1.0, 1.0)
    Q2, CT = np.meshgrid(q2, ct, indexing="ij")
    if meson.kind == "neutral_pseudoscalar":
        dens = md.d2width_neutral(meson, m_N, Q2, CT, p0_norm=p0_norm)
    else:
        dens = md.d2width_charged(meson, lepton, m_N, Q2, CT)
    w = (dens * wq[:, None] * wc[None, :]).ravel()
    E = three_body_energy(meson.mass, m_X, m_N, Q2, CT).ravel()
    ok = w > 0
    E, w = E[ok], w[ok]
    if w.sum() <= 0:
        return np.empty(0), np.empty(0)
    return E, w / w.sum()


def sample_energies(E, w, u):
    """Inverse-CDF sampling of the tabulated E* distribution at uniforms ``u``."""
    if len(E) == 1:
        return np.full_like(u, E[0])
    order = np.argsort(E)
    E, w = E[order], w[order]
    cdf = np.concatenate([[0.0], np.cumsum(w)])
    cdf /= cdf[-1]
    # piecewise-linear CDF through the atoms (midpoints between neighbouring nodes)
    mids = np.concatenate([[E[0]], 0.5 * (E[1:] + E[:-1]), [E[-1]]])
    return np.interp(u, cdf, mids)


def boost_to_lab(p_M, theta_M, m_M, E_star, m_N, cos_alpha, beta):
    """(p_N, θ_N) in the lab of an N with rest-frame energy E* at angle α to the meson's
    direction of flight (θ_M from the beam axis) and azimuth β around it."""
    return _boost(sample_frames(p_M, theta_M, m_M, cos_alpha, beta), E_star, m_N)


def sample_frames(p_M, theta_M, m_M, cos_alpha, beta) -> dict[str, np.ndarray]:
    """The mass-independent part of :func:`boost_to_lab`: the meson's γ, γβ and the sines and
    cosines of θ_M, α and β (computed once per meson sample, not once per m_N)."""
    return {"g": np.sqrt(p_M ** 2 + m_M ** 2) / m_M, "gb": p_M / m_M,
            "cos_alpha": cos_alpha, "sin_alpha": np.sqrt(np.maximum(1.0 - cos_alpha ** 2, 0.0)),
            "st": np.sin(theta_M), "ct": np.cos(theta_M), "cb": np.cos(beta),
            "sb": np.sin(beta)}


def _boost(f: dict, E_star, m_N):
    """p_∥ = γ p* cosα + γβ E*, p_⊥ = p* sinα, rotated from the meson direction (θ_M) to the
    beam frame with the azimuth β of p_⊥ around the meson direction."""
    p_star = np.sqrt(np.maximum(E_star ** 2 - m_N ** 2, 0.0))
    p_par = f["g"] * p_star * f["cos_alpha"] + f["gb"] * E_star
    p_perp = p_star * f["sin_alpha"]
    x = p_par * f["st"] + p_perp * f["cb"] * f["ct"]
    y = p_perp * f["sb"]
    z = p_par * f["ct"] - p_perp * f["cb"] * f["st"]
    return np.sqrt(p_par ** 2 + p_perp ** 2), np.arctan2(np.hypot(x, y), z)


# ---------------------------------------------------------------------------------------
# meson samples (mass independent, cached)
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def meson_samples(meson_name: str, detector_key: tuple, normalise: str, n: int,
                  spectra_folder: str | None = None):
    """Weighted meson samples (p_M, θ_M, w [fb]) from the part of the spectrum whose decays
    can reach the detector with p_N > p_min for any m_N; plus the uniforms for the decays."""
    from ...spectra import load_spectrum

    det = detector_from_key(detector_key)
    mes = md.get_meson(meson_name)
    norm = normalise
    if normalise == "seed003_heavy":
        norm = "seed003" if meson_name in HEAVY else "none"
    spec = load_spectrum(meson_name, norm, spectra_folder)
    lt, lp = spec.log10_theta_edges, spec.log10_p_edges
    th_lo, th_hi = 10 ** lt[:-1], 10 ** lt[1:]
    p_lo, p_hi = 10 ** lp[:-1], 10 ** lp[1:]
    tmin, tmax = angular_range(det)
    p_star_max = mes.mass / 2          # bound on the N momentum in the meson frame
    psi = math.asin(min(1.0, p_star_max / det.p_min)) if det.p_min > 0 else math.pi
    p_need = math.sqrt(max(det.p_min ** 2 - mes.mass ** 2, 0.0))
    rel_t = (th_lo <= tmax + psi) & (th_hi >= tmin - psi)
    rel_p = p_hi >= p_need
    sig = spec.sigma_fb * rel_t[:, None] * rel_p[None, :]
    rng = np.random.default_rng(sample_seed(meson_name, detector_key, normalise, n))
    if sig.sum() <= 0:
        return None
    # proposal: σ_bin, de-weighted at angles well outside the acceptance
    tc = np.sqrt(th_lo * th_hi)
    prop = sig * np.minimum(1.0, (max(tmax, 1e-6) / tc) ** 2)[:, None]
    pflat, sflat = prop.ravel(), sig.ravel()
    cdf = np.cumsum(pflat)
    cdf /= cdf[-1]
    u = (np.arange(n) + rng.random(n)) / n                         # stratified
    k = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)
    it, ip = np.divmod(k, len(p_lo))
    q = pflat[k] / pflat.sum()
    w = sflat[k] / (n * q)
    log_t = lt[it] + (lt[it + 1] - lt[it]) * rng.random(n)
    log_p = lp[ip] + (lp[ip + 1] - lp[ip]) * rng.random(n)
    theta = np.minimum(10 ** log_t, 0.5 * math.pi)
    # decay uniforms: E* quantile, cos α, β, φ (for boxes)
    perm = rng.permutation(n)
    uE = ((np.arange(n) + rng.random(n)) / n)[perm]
    ca = 2 * ((np.arange(n) + rng.random(n)) / n)[rng.permutation(n)] - 1
    beta = 2 * math.pi * rng.random(n)
    uphi = rng.random(n)
    p = 10 ** log_p
    return {"p": p, "theta": theta, "w": w, "uE": uE, "cos_alpha": ca,
            "beta": beta, "uphi": uphi, "mass": mes.mass, "ctau": _ctau(mes),
            "frames": sample_frames(p, theta, mes.mass, ca, beta)}


def _ctau(mes: md.Meson) -> float:
    return c.HBARC_GEV_M / mes.width if mes.width > 0 else math.inf


# ---------------------------------------------------------------------------------------
# N samples for one channel at one mass
# ---------------------------------------------------------------------------------------
def channel_samples(meson_name: str, lepton: str | None, m_N: float, det: det_mod.Detector,
                    normalise: str = "none", n: int | None = None,
                    p0_norm: str = "gammagamma", charged_light="exclude",
                    spectra_folder: str | None = None):
    """N that cross the detector with p_N ≥ p_min: dict of p, θ, φ, ℓ_in, ℓ_out and weight
    w (fb per unit BR(meson → N), per hemisphere), or None when nothing reaches it."""
    mes = md.get_meson(meson_name)
    if n is None:
        n = DEFAULT_SAMPLES["charged" if mes.kind == "charged_pseudoscalar" else "neutral"]
    E_nodes, w_nodes = rest_frame_energies(mes, m_N, lepton, p0_norm=p0_norm)
    if len(E_nodes) == 0:
        return None
    ms = meson_samples(meson_name, detector_key(det), normalise, int(n), spectra_folder)
    if ms is None:
        return None
    E_star = sample_energies(E_nodes, w_nodes, ms["uE"])
    p_N, th_N = _boost(ms["frames"], E_star, m_N)
    w = ms["w"].copy()
    if meson_name in CHARGED_LIGHT and charged_light != "ip":
        L = float(charged_light)     # "exclude" never gets here (see channels())
        w = w * -np.expm1(-L * ms["mass"] / (ms["p"] * ms["ctau"]))
    keep = p_N >= det.p_min
    p_N, th_N, w, uphi = p_N[keep], th_N[keep], w[keep], ms["uphi"][keep]
    az = azimuth_range(det)
    if az is None:
        phi = np.zeros_like(th_N)
    else:
        phi = az[0] + (az[1] - az[0]) * uphi
        w = w * (az[1] - az[0]) / (2 * math.pi)
    l_in, l_out = det_mod.path_interval(det, th_N, phi)
    hit = np.isfinite(l_in)
    return {"p": p_N[hit], "theta": th_N[hit], "phi": phi[hit], "l_in": l_in[hit],
            "l_out": l_out[hit], "w": w[hit]}


def channels(charged_light="exclude") -> list[tuple[str, str | None, str]]:
    """(meson, lepton, weight set) of every production channel."""
    out = [(m, None, "neutral") for m in md.VECTOR + md.NEUTRAL_PSEUDOSCALAR]
    for m in md.CHARGED_PSEUDOSCALAR:
        if m in CHARGED_LIGHT and charged_light == "exclude":
            continue
        for lep in md.LEPTONS:
            out.append((m, lep, lep))
    return out


def _check_options(normalise, charged_light, p0_norm):
    if normalise not in NORMALISE:
        raise ValueError(f"normalise must be one of {NORMALISE}, got {normalise!r}")
    if p0_norm not in md.P0_NORMS:
        raise ValueError(f"p0_norm must be one of {md.P0_NORMS}, got {p0_norm!r}")
    if charged_light not in ("exclude", "ip"):
        try:
            if not float(charged_light) > 0:
                raise ValueError
        except (TypeError, ValueError):
            raise ValueError("charged_light must be 'exclude', 'ip' or a decay distance in "
                             f"metres > 0, got {charged_light!r}") from None


def build_mass_table(m_N: float, det: det_mod.Detector, normalise: str = "none",
                     include_conjugate: bool = True, charged_light="exclude",
                     p0_norm: str = "gammagamma", n_samples: dict | None = None,
                     spectra_folder: str | None = None) -> dict[str, np.ndarray]:
    """Per-mass table of the detector: entries ``c`` (m/GeV), signed weights ``W`` (fb per
    unit d², BR(meson → N) at d = 1 folded in; + for exit points, - for entry points) and
    ``set`` (index into :data:`SETS`), so that for one set s

        G_s(κ) = Σ_{j in s} W_j (-expm1(-κ c_j)) = Σ_N w_N [exp(-κ c_in) - exp(-κ c_out)].

    Each (set, entry/exit) is binned separately with the weighted mean c per bin, so the
    linear (long-lifetime) regime is exact and the binning error is second order."""
    _check_options(normalise, charged_light, p0_norm)
    ns = {**DEFAULT_SAMPLES, **(n_samples or {})}
    W = np.zeros((N_MESON_SETS, 2, N_LOGC))
    WC = np.zeros((N_MESON_SETS, 2, N_LOGC))
    for meson, lep, wset in channels(charged_light):
        mes = md.get_meson(meson)
        n = ns["charged" if mes.kind == "charged_pseudoscalar" else "neutral"]
        br = float(md.branching_ratio(meson, m_N, 1.0, lepton=lep, p0_norm=p0_norm,
                                      include_conjugate=include_conjugate))
        if br <= 0:
            continue
        smp = channel_samples(meson, lep, m_N, det, normalise, n, p0_norm, charged_light,
                              spectra_folder)
        if smp is None or len(smp["w"]) == 0:
            continue
        accumulate(W, WC, SETS.index(wset), smp, br)
    return compress_table(W, WC)


def table_description(m_N, det, normalise, include_conjugate, charged_light, p0_norm,
                      n_samples, spectra_folder) -> dict:
    from ...spectra import content_hash
    return {"version": TABLE_VERSION, "m_N": float(m_N), "detector": detector_key(det),
            "normalise": normalise, "include_conjugate": bool(include_conjugate),
            "charged_light": str(charged_light), "p0_norm": p0_norm,
            "n_samples": {**DEFAULT_SAMPLES, **(n_samples or {})},
            "spectra": content_hash("mesons", spectra_folder),
            "meson_data": md.TABLE_VERSION, "grid": [LOGC_MIN, LOGC_MAX, LOGC_STEP]}


@lru_cache(maxsize=4096)
def mass_table(m_N: float, det_key: tuple, normalise: str = "none",
               include_conjugate: bool = True, charged_light="exclude",
               p0_norm: str = "gammagamma", n_samples: tuple = (),
               spectra_folder: str | None = None, disk_cache: bool = True):
    """:func:`build_mass_table`, cached in memory and (by content hash) on disk."""
    det = detector_from_key(det_key)
    ns = dict(n_samples)

    def compute():
        return build_mass_table(m_N, det, normalise, include_conjugate, charged_light,
                                p0_norm, ns, spectra_folder)
    if not disk_cache:
        return compute()
    desc = table_description(m_N, det, normalise, include_conjugate, charged_light, p0_norm,
                             ns, spectra_folder)
    return cached_table("far_detector_table", desc, compute)


# ---------------------------------------------------------------------------------------
# expected counts
# ---------------------------------------------------------------------------------------
def coefficients(d_gamma: dict, d_Z: dict | None = None, d_W: dict | None = None
                 ) -> np.ndarray:
    """(8, ...) coefficients of the weight sets :data:`SETS`: Σ_α d_γ^α² for the neutral
    mesons, d_γ^α² for the charged mesons with lepton α, d_W^α² for W → ℓ_α N and
    Σ_α d_Z^α² for Z → ν N."""
    d_Z, d_W = d_Z or {}, d_W or {}
    g2 = [np.asarray(d_gamma.get(f, 0.0), float) ** 2 for f in md.LEPTONS]
    w2 = [np.asarray(d_W.get(f, 0.0), float) ** 2 for f in md.LEPTONS]
    z2 = sum(np.asarray(d_Z.get(f, 0.0), float) ** 2 for f in md.LEPTONS)
    return np.stack(np.broadcast_arrays(sum(g2), *g2, *w2, z2))


def _check_production(production: str) -> None:
    if production not in PRODUCTION:
        raise ValueError(f"production must be one of {PRODUCTION}, got {production!r}")


def expected_events(det: det_mod.Detector | str, m_N, d_gamma: dict, total_width,
                    br_nu_gamma, luminosity_fb: float | None = None,
                    normalise: str = "none", include_conjugate: bool = True,
                    charged_light="exclude", p0_norm: str = "gammagamma",
                    n_samples: dict | None = None, spectra_folder: str | None = None,
                    disk_cache: bool = True, chunk: int = 2_000_000,
                    production: str = "mesons", d_Z: dict | None = None,
                    d_W: dict | None = None, boson_normalise: str = "nnlo",
                    angular: str = "polarised", n_boson: int | None = None):
    """Expected N → νγ decays inside ``det`` (eq. 3.3), vectorized over all arrays.

    ``d_gamma`` (and ``d_Z``, ``d_W`` for the boson channels) map flavour → dipole (GeV⁻¹);
    ``total_width`` (GeV) and ``br_nu_gamma`` are the HNL's, broadcast with m_N.
    ``production``: "mesons" (meson decays only, the default here), "bosons" (on-shell
    W → ℓN, Z → νN, :mod:`hnlfit.physics.wz_production`, with ``boson_normalise``,
    ``angular``, ``n_boson``) or "all".  Tables are built (or read) once per distinct m_N."""
    from . import wz_production as wz

    _check_production(production)
    det = det if isinstance(det, det_mod.Detector) else det_mod.get_detector(det)
    lum = det.luminosity_fb if luminosity_fb is None else float(luminosity_fb)
    use_mesons = production in ("mesons", "all")
    use_bosons = production in ("bosons", "all")
    coef = coefficients(d_gamma, d_Z, d_W)
    nsets = len(SETS)
    # the production not asked for gets zero coefficients (its tables are then not built)
    if not use_mesons:
        coef = np.concatenate([np.zeros_like(coef[:N_MESON_SETS]), coef[N_MESON_SETS:]])
    if not use_bosons:
        coef = np.concatenate([coef[:N_MESON_SETS], np.zeros_like(coef[N_MESON_SETS:])])
    m, width, brg = np.broadcast_arrays(np.asarray(m_N, float), np.asarray(total_width, float),
                                        np.asarray(br_nu_gamma, float))
    shape = np.broadcast_shapes(m.shape, coef.shape[1:])
    m, width, brg = (np.broadcast_to(a, shape).ravel() for a in (m, width, brg))
    # couplings of lower rank than m_N (e.g. scalars): align their axes from the right
    coef = coef.reshape((nsets,) + (1,) * (len(shape) + 1 - coef.ndim) + coef.shape[1:])
    coef = np.broadcast_to(coef, (nsets,) + shape).reshape(nsets, -1)
    out = np.zeros(m.size)
    kappa = m * width / c.HBARC_GEV_M
    key = detector_key(det)
    ns = tuple(sorted((n_samples or {}).items()))
    active = np.any(coef > 0, axis=1)
    masses, inverse = np.unique(m, return_inverse=True)
    m_open_mesons = max(mes.mass for mes in md.mesons().values())   # heaviest meson
    m_open_bosons = max(c.M_W, c.M_Z)                                # W → ℓN, Z → νN
    if use_bosons:
        wz._check(boson_normalise, angular)
    nb = int(n_boson or wz.DEFAULT_BOSON_SAMPLES)
    # only the boson channels whose couplings are non-zero somewhere are built
    boson_sets = tuple(SETS[i] for i in range(N_MESON_SETS, nsets) if active[i])
    # the points of each distinct mass, grouped once (not one full comparison per mass)
    order = np.argsort(inverse, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(inverse, minlength=masses.size))[:-1])
    useful = np.any(coef > 0, axis=0) & (brg > 0)
    for iu, mu in enumerate(masses):
        mesons_open = use_mesons and mu < m_open_mesons and active[:N_MESON_SETS].any()
        bosons_open = use_bosons and mu < m_open_bosons and active[N_MESON_SETS:].any()
        if not (mesons_open or bosons_open):
            continue
        sel = groups[iu][useful[groups[iu]]]
        if sel.size == 0:
            continue
        parts = []
        if mesons_open:
            parts.append(mass_table(float(mu), key, normalise, bool(include_conjugate),
                                    charged_light, p0_norm, ns, spectra_folder, disk_cache))
        if bosons_open:
            parts.append(wz.boson_mass_table(float(mu), key, boson_normalise, angular, nb,
                                             spectra_folder, disk_cache, boson_sets))
        tab = {k: np.concatenate([t[k] for t in parts]) for k in ("c", "W", "set")}
        use = active[tab["set"]]
        cj, Wj, sj = tab["c"][use], tab["W"][use], tab["set"][use]
        if cj.size == 0:
            continue
        out[sel] = _decays_in_volume(kappa[sel], cj, Wj, sj, active, coef[:, sel],
                                     chunk) * brg[sel] * lum
    return np.maximum(out, 0.0).reshape(shape)


#: exp(-x) is exactly 0 and -expm1(-x) exactly 1 in double precision beyond this x
_X_SATURATED = 746.0


def _decays_in_volume(kappa, c_j, W_j, set_j, active, coef, chunk: int) -> np.ndarray:
    """Σ_s coef_s Σ_{j in s} W_j (-expm1(-κ c_j)) for every κ (one m_N, many couplings).

    Only the active weight sets enter (a one-hot matrix of their columns).  Entries are sorted
    by c, so for each κ the entries with κ c > 746 form a tail whose exponential is exactly
    0 (their -expm1 exactly 1, i.e. the tail's Σ W): each row computes one exponential, and
    only on the entries where it is not saturated.  Σ_j W_j = 0 within each set (every N
    enters and leaves), so Σ W (-expm1(-x)) = -Σ W exp(-x): the first form keeps the
    long-lifetime limit exact (rows with κ c_min ≤ 1), the second avoids 1 - 1 cancellations
    once every N decays early."""
    cols = np.flatnonzero(active)
    order = np.argsort(c_j, kind="stable")
    c_j, W_j, set_j = c_j[order], W_j[order], set_j[order]
    onehot = (set_j[:, None] == cols[None, :]) * W_j[:, None]          # (n_j, n_active)
    tail = np.vstack([np.cumsum(onehot[::-1], axis=0)[::-1], np.zeros((1, cols.size))])
    n_keep = np.searchsorted(c_j, _X_SATURATED / np.maximum(kappa, 1e-300), side="right")
    late = kappa * c_j[0] <= 1.0                                         # expm1 rows
    G = np.empty((kappa.size, cols.size))
    rows = np.argsort(n_keep, kind="stable")
    block = 32
    for a in range(0, rows.size, block):
        r = rows[a:a + block]
        k = int(n_keep[r].max())
        if k == 0:
            G[r] = np.where(late[r, None], tail[0], 0.0)
            continue
        step = max(1, chunk // k)
        for b in range(0, r.size, step):
            rr = r[b:b + step]
            x = kappa[rr, None] * c_j[None, :k]
            lin, sat = late[rr], ~late[rr]
            if lin.any():
                G[rr[lin]] = (-np.expm1(-x[lin])) @ onehot[:k] + tail[n_keep[rr[lin]]]
            if sat.any():
                G[rr[sat]] = -(np.exp(-x[sat]) @ onehot[:k])
    return np.einsum("ns,sn->n", G, coef[cols])


def expected_events_point(det, point, majorana: bool = False, **kw):
    """:func:`expected_events` at a :class:`hnlfit.params.Point` (width and BR(N→νγ) from
    :mod:`hnlfit.physics.hnl_decays`, all dipoles of the point)."""
    from ..dipole import hnl_decays as dec
    width = dec.total_width(point, majorana=majorana)
    brg = dec.br_nu_gamma(point, majorana=majorana)
    dg = {f: point[f"d_gamma_{f}"] for f in md.LEPTONS}
    if kw.get("production", "mesons") != "mesons":
        kw.setdefault("d_Z", {f: point[f"d_Z_{f}"] for f in md.LEPTONS
                              if point.has(f"d_Z_{f}")})
        kw.setdefault("d_W", {f: point[f"d_W_{f}"] for f in md.LEPTONS
                              if point.has(f"d_W_{f}")})
    return expected_events(det, point["m_N"], dg, width, brg, **kw)
