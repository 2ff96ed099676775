"""HNLs from meson decays at far detectors: kinematics, spectra tables, event counts.

* decay kinematics: two-body momentum, energy-momentum conservation and invariant masses of
  the three-body construction, the rest-frame energy distribution against a direct double
  integral, the boost against an explicit Lorentz transformation;
* the expected count against a brute-force Monte Carlo (decay points along each ray tested
  with the detector's point-in-volume function), its d⁴ / exponential limits, the conjugate
  factor, and Δχ² = 0 at d = 0 for the likelihood terms.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

import hnlfit
from hnlfit import constants as c
from hnlfit.physics.forward import detectors as D
from hnlfit.physics.forward import far_detectors as fd
from hnlfit.physics.forward import meson_decays as md
from hnlfit.spectra import load_spectrum

RNG = np.random.default_rng(20231003)


def minkowski(p):
    return p[..., 0] ** 2 - (p[..., 1:] ** 2).sum(-1)


# ---------------------------------------------------------------------------------------
# rest-frame kinematics
# ---------------------------------------------------------------------------------------
def test_two_body_rest_frame():
    for name in md.VECTOR:
        v = md.get_meson(name)
        m_N = 0.37 * v.mass
        E, w = fd.rest_frame_energies(v, m_N)
        p = fd.two_body_momentum(v.mass, m_N, 0.0)
        assert w.tolist() == [1.0]
        assert p == pytest.approx((v.mass ** 2 - m_N ** 2) / (2 * v.mass), rel=1e-14)
        assert E[0] ** 2 - p ** 2 == pytest.approx(m_N ** 2, rel=1e-12)
        assert E[0] + p == pytest.approx(v.mass, rel=1e-14)          # ν takes E = p
    assert len(fd.rest_frame_energies(md.get_meson("rho0"), 0.8)[0]) == 0


@pytest.mark.parametrize("m_P,m_X,m_N", [(0.135, 0.0, 0.05), (0.494, c.M_MU, 0.2),
                                          (1.97, c.M_TAU, 0.1), (5.28, c.M_E, 2.0)])
def test_three_body_conservation(m_P, m_X, m_N):
    n = 200
    q2 = RNG.uniform(m_N ** 2, (m_P - m_X) ** 2, n)
    ct = RNG.uniform(-1, 1, n)
    phi = RNG.uniform(0, 2 * np.pi, n)
    X, N, K = fd.three_body_momenta(m_P, m_X, m_N, q2, ct, phi)
    tot = X + N + K
    assert np.allclose(tot[:, 0], m_P, rtol=1e-12)
    assert np.allclose(tot[:, 1:], 0.0, atol=1e-12 * m_P)
    assert np.allclose(minkowski(X), m_X ** 2, atol=1e-10 * m_P ** 2)
    assert np.allclose(minkowski(N), m_N ** 2, atol=1e-10 * m_P ** 2)
    assert np.allclose(minkowski(K), 0.0, atol=1e-10 * m_P ** 2)
    assert np.allclose(minkowski(N + K), q2, rtol=1e-10)
    assert np.allclose(N[:, 0], fd.three_body_energy(m_P, m_X, m_N, q2, ct), rtol=1e-12)
    # θ is the angle between N and X in the q rest frame: boost X and N there
    Q = N + K
    b = Q[:, 1:] / Q[:, :1]
    g = 1 / np.sqrt(1 - (b ** 2).sum(1))

    def to_q(p):
        bp = (b * p[:, 1:]).sum(1)
        vec = p[:, 1:] + ((g - 1) * bp / (b ** 2).sum(1) - g * p[:, 0])[:, None] * b
        return vec
    xn, nn = to_q(X), to_q(N)
    cos = (xn * nn).sum(1) / np.linalg.norm(xn, axis=1) / np.linalg.norm(nn, axis=1)
    assert np.allclose(cos, ct, atol=1e-9)


@pytest.mark.parametrize("meson,lepton,m_N", [("pi0", None, 0.06), ("eta", None, 0.3),
                                               ("K", "e", 0.25), ("D", "mu", 0.9),
                                               ("B", "tau", 1.5)])
def test_rest_frame_energy_distribution_moments(meson, lepton, m_N):
    """<E*> and <E*²> of the tabulated nodes against a direct double integral of
    E*(q², cosθ) d²Γ/dq² dcosθ, and the sampled distribution against the same."""
    mes = md.get_meson(meson)
    m_X = 0.0 if lepton is None else c.LEPTON_MASS[lepton]
    E, w = fd.rest_frame_energies(mes, m_N, lepton)

    def dens(ct, q2):
        if lepton is None:
            return float(md.d2width_neutral(mes, m_N, q2, ct))
        return float(md.d2width_charged(mes, lepton, m_N, q2, ct))

    lo, hi = m_N ** 2, (mes.mass - m_X) ** 2
    norm = integrate.dblquad(dens, lo, hi, -1, 1, epsrel=1e-8)[0]
    for k in (1, 2):
        mom = integrate.dblquad(
            lambda ct, q2: dens(ct, q2) * fd.three_body_energy(mes.mass, m_X, m_N, q2, ct) ** k,
            lo, hi, -1, 1, epsrel=1e-8)[0] / norm
        assert (w * E ** k).sum() == pytest.approx(mom, rel=2e-5)
        u = (np.arange(20000) + 0.5) / 20000
        assert np.mean(fd.sample_energies(E, w, u) ** k) == pytest.approx(mom, rel=3e-3)
    # the total of the node weights before normalisation is the width (eq. 2.14 / 2.18)
    assert norm == pytest.approx(float(md.width(meson, m_N, 1.0, lepton)), rel=1e-6)
    assert E.min() >= m_N and E.max() <= (mes.mass ** 2 + m_N ** 2 - m_X ** 2) / (2 * mes.mass)


def test_boost_against_explicit_lorentz_transformation():
    n = 500
    m_M, m_N = 0.775, 0.2
    p_M = 10 ** RNG.uniform(0, 3.5, n)
    th_M = 10 ** RNG.uniform(-5, -0.5, n)
    E_s = RNG.uniform(m_N, 0.5, n)
    ca = RNG.uniform(-1, 1, n)
    beta = RNG.uniform(0, 2 * np.pi, n)
    p, th = fd.boost_to_lab(p_M, th_M, m_M, E_s, m_N, ca, beta)
    # explicit: N in the meson frame along (α, β) about the meson axis, then boost
    ps = np.sqrt(E_s ** 2 - m_N ** 2)
    nM = np.stack([np.sin(th_M), np.zeros(n), np.cos(th_M)], 1)
    e1 = np.stack([np.cos(th_M), np.zeros(n), -np.sin(th_M)], 1)
    e2 = np.stack([np.zeros(n), np.ones(n), np.zeros(n)], 1)
    sa = np.sqrt(1 - ca ** 2)
    vec = ps[:, None] * (ca[:, None] * nM + sa[:, None] * (np.cos(beta)[:, None] * e1
                                                           + np.sin(beta)[:, None] * e2))
    bvec = (p_M / np.sqrt(p_M ** 2 + m_M ** 2))[:, None] * nM
    b2 = (bvec ** 2).sum(1)
    g = np.sqrt(p_M ** 2 + m_M ** 2) / m_M         # not 1/√(1-β²): that loses digits
    bp = (bvec * vec).sum(1)
    lab = vec + ((g - 1) * bp / b2 + g * E_s)[:, None] * bvec
    E_lab = g * (E_s + bp)
    assert np.allclose(p, np.linalg.norm(lab, axis=1), rtol=1e-9)
    assert np.allclose(th, np.arccos(np.clip(lab[:, 2] / np.linalg.norm(lab, axis=1), -1, 1)),
                       rtol=1e-5, atol=1e-7)
    assert np.allclose(E_lab ** 2 - p ** 2, m_N ** 2, rtol=1e-6)


def test_detector_angular_ranges():
    f2 = D.get_detector("FASER2")
    assert fd.angular_range(f2) == pytest.approx((0.0, math.atan(1 / 475)))
    fc = D.get_detector("FACET")
    assert fd.angular_range(fc) == pytest.approx((math.atan(0.18 / 119), math.atan(0.5 / 101)))
    mp = D.get_detector("MAPP2")
    lo, hi = fd.azimuth_range(mp)
    assert (lo, hi) == pytest.approx((math.atan2(-2, 3), math.atan2(1, 3)))
    assert fd.azimuth_range(f2) is None


# ---------------------------------------------------------------------------------------
# event counts
# ---------------------------------------------------------------------------------------
def _brute_force(det, meson, lepton, m_N, d, n, seed, normalise="none", conj=True):
    """Independent estimate: mesons anywhere within 0.05 rad of the acceptance, p > p_min/2,
    random azimuth,
    decays in the meson frame, explicit boost, exponential decay point, point-in-volume."""
    rng = np.random.default_rng(seed)
    mes = md.get_meson(meson)
    s = load_spectrum(meson, normalise)
    lt, lp = s.log10_theta_edges, s.log10_p_edges
    th_max = fd.angular_range(det)[1] + 0.05
    sel = (10 ** lt[:-1] <= th_max)[:, None] & (10 ** lp[1:] >= det.p_min / 2)[None, :]
    sig = s.sigma_fb * sel
    prob = sig.ravel() / sig.sum()
    k = rng.choice(prob.size, n, p=prob)
    it, ip = np.divmod(k, sig.shape[1])
    th_M = 10 ** (lt[it] + 0.05 * rng.random(n))
    p_M = 10 ** (lp[ip] + 0.05 * rng.random(n))
    ph_M = rng.uniform(0, 2 * np.pi, n)
    nM = np.stack([np.sin(th_M) * np.cos(ph_M), np.sin(th_M) * np.sin(ph_M), np.cos(th_M)], 1)
    if mes.kind == "vector":
        E_s = np.full(n, (mes.mass ** 2 + m_N ** 2) / (2 * mes.mass))
    else:   # accept-reject in (q², cosθ)
        m_X = 0.0 if lepton is None else c.LEPTON_MASS[lepton]
        lo, hi = m_N ** 2, (mes.mass - m_X) ** 2

        def dens(q2, ct):
            if lepton is None:
                return md.d2width_neutral(mes, m_N, q2, ct)
            return md.d2width_charged(mes, lepton, m_N, q2, ct)
        q2g, ctg = np.meshgrid(np.linspace(lo, hi, 400), np.linspace(-1, 1, 41))
        fmax = 1.2 * dens(q2g, ctg).max()
        out = []
        while sum(len(o) for o in out) < n:
            q2 = rng.uniform(lo, hi, 4 * n)
            ct = rng.uniform(-1, 1, 4 * n)
            ok = rng.random(4 * n) * fmax < dens(q2, ct)
            out.append(fd.three_body_energy(mes.mass, m_X, m_N, q2[ok], ct[ok]))
        E_s = np.concatenate(out)[:n]
    ps = np.sqrt(E_s ** 2 - m_N ** 2)
    u = rng.normal(size=(n, 3))
    vec = ps[:, None] * u / np.linalg.norm(u, axis=1)[:, None]
    bvec = (p_M / np.sqrt(p_M ** 2 + mes.mass ** 2))[:, None] * nM
    b2 = (bvec ** 2).sum(1)
    g = np.sqrt(p_M ** 2 + mes.mass ** 2) / mes.mass
    bp = (bvec * vec).sum(1)
    lab = vec + ((g - 1) * bp / b2 + g * E_s)[:, None] * bvec
    p_N = np.linalg.norm(lab, axis=1)
    width = float(d) ** 2 * m_N ** 3 / (4 * np.pi)
    lam = p_N / m_N * c.HBARC_GEV_M / width
    ell = -lam * np.log(rng.random(n))
    pos = lab / p_N[:, None] * ell[:, None]
    inside = det.contains(pos[:, 0], pos[:, 1], pos[:, 2]) & (p_N >= det.p_min)
    w = sig.sum() / n
    br = float(md.branching_ratio(meson, m_N, d, lepton, include_conjugate=conj))
    counts = inside * w * br * det.luminosity_fb
    return counts.sum(), math.sqrt((counts ** 2).sum())


@pytest.mark.parametrize("det,meson,lepton,m_N,d,n", [
    ("FACET", "rho0", None, 0.3, 1e-6, 400_000),
    ("FASER2", "omega", None, 0.12, 4e-6, 400_000),
    ("FACET", "eta", None, 0.15, 3e-6, 300_000),
    ("BOX", "phi", None, 0.5, 1e-7, 400_000),
])
def test_count_against_brute_force_monte_carlo(det, meson, lepton, m_N, d, n):
    if det == "BOX":    # MAPP2's box with a 5 GeV cut (p_N > 100 GeV leaves no events there)
        doc = {"name": "BOX", "shape": "box", "luminosity_fb": 300, "p_min_GeV": 5.0,
               "dimensions": D.get_detector("MAPP2").dimensions,
               "references": [{"citation": "test"}]}
        det = D.detector_from_dict(doc)
    else:
        det = D.get_detector(det)
    ref, err = _brute_force(det, meson, lepton, m_N, d, n, seed=hash((meson, m_N)) % 2**32)
    smp = fd.channel_samples(meson, lepton, m_N, det, n=60000)
    lam_c = c.HBARC_GEV_M / (d ** 2 * m_N ** 3 / (4 * np.pi)) / m_N      # λ = c_λ p
    P = np.exp(-smp["l_in"] / (lam_c * smp["p"])) - np.exp(-smp["l_out"] / (lam_c * smp["p"]))
    br = float(md.branching_ratio(meson, m_N, d, lepton, include_conjugate=True))
    ours = (smp["w"] * P).sum() * br * det.luminosity_fb
    assert ref > 10 * err                                   # the reference is meaningful
    assert ours == pytest.approx(ref, rel=4 * err / ref + 0.03)


def test_binned_tables_reproduce_the_samples():
    """The per-mass table (log-c binning, set merging) against the unbinned samples."""
    det = D.get_detector("FASER2")
    m_N = 0.14
    ns = {"neutral": 4000, "charged": 2000}
    tab = fd.build_mass_table(m_N, det, n_samples=ns)
    for d in (1e-7, 3e-6, 2e-5, 6e-5):
        width = d * d * m_N ** 3 / (4 * np.pi)
        kappa = m_N * width / c.HBARC_GEV_M
        direct = 0.0
        for meson, lep, wset in fd.channels():
            if wset not in ("neutral", "e"):
                continue
            smp = fd.channel_samples(meson, lep, m_N, det, n=ns["charged" if lep else
                                                                  "neutral"])
            if smp is None:
                continue
            br = float(md.branching_ratio(meson, m_N, d, lep, include_conjugate=True))
            direct += br * (smp["w"] * (np.exp(-kappa * smp["l_in"] / smp["p"])
                                        - np.exp(-kappa * smp["l_out"] / smp["p"]))).sum()
        direct *= det.luminosity_fb
        got = fd.expected_events(det, m_N, {"e": d}, width, 1.0, n_samples=ns,
                                 disk_cache=False)
        assert float(got) == pytest.approx(direct, rel=2e-4)


def test_count_limits_and_options():
    det = D.get_detector("FACET")
    m = 0.2
    ds = np.array([1e-9, 2e-9, 1e-3])
    kw = dict(n_samples={"neutral": 3000, "charged": 1000})
    n = fd.expected_events(det, m, {"tau": ds}, ds ** 2 * m ** 3 / (4 * np.pi), 1.0, **kw)
    assert n[1] / n[0] == pytest.approx(16.0, rel=1e-6)     # long-lived: ∝ d² × d²
    assert n[2] == 0.0                                       # decays before the detector
    zero = fd.expected_events(det, m, {"tau": 0.0}, 0.0, 0.0, **kw)
    assert zero == 0.0
    one = fd.expected_events(det, m, {"tau": 3e-6}, 9e-12 * m ** 3 / (4 * np.pi), 1.0,
                             include_conjugate=False, **kw)
    two = fd.expected_events(det, m, {"tau": 3e-6}, 9e-12 * m ** 3 / (4 * np.pi), 1.0, **kw)
    # above the charged-meson thresholds that matter, only neutral mesons contribute
    assert 1.6 < two / one <= 2.0 + 1e-9
    with pytest.raises(ValueError, match="charged_light"):
        fd.expected_events(det, m, {"e": 1e-6}, 1e-20, 1.0, charged_light="far")


def test_observables_and_zero_coupling():
    kw = dict(m_N=np.array([0.05, 0.14, 0.3]), d_gamma_e=3e-6)
    n2 = hnlfit.predict("n_events_FASER2", **kw)
    nf = hnlfit.predict("n_events_FACET", **kw)
    assert n2.shape == (3,) and np.all(n2 > 0) and np.all(nf > 0)
    gen = hnlfit.predict("n_events_far_detector", detector="FASER2", **kw)
    assert np.allclose(gen, n2)
    half = hnlfit.predict("n_events_FASER2", luminosity_fb=1500.0, **kw)
    assert np.allclose(half, 0.5 * n2)
    assert np.all(hnlfit.predict("n_events_MAPP2", m_N=0.14, d_gamma_mu=0.0) == 0.0)


# ---------------------------------------------------------------------------------------
# the seed's quoted sensitivities (2308.16608 Sec. 3, Figs. 3-5)
# ---------------------------------------------------------------------------------------
SEED_CONVENTIONS = dict(normalise="seed003_heavy", include_conjugate=False)


@pytest.mark.parametrize("det,flavour,m_N,d,charged_light", [
    ("FASER2", "tau", 0.12, 3.5e-6, "ip"),       # "d_tau ~ 3.5e-6 for m_N <~ 0.12 GeV"
    ("FASER2", "e", 0.14, 3.5e-6, "exclude"),    # "d_e ~ 3.5e-6 at m_N ~ 0.14 GeV"
    ("FACET", "e", 0.30, 9.4e-7, "ip"),          # "9.4e-7 at m_N ~ 0.3 GeV"
])
def test_seed_quoted_sensitivities(det, flavour, m_N, d, charged_light):
    """At the seed's quoted (m_N, d) the seed's conventions give N_S = 3 within a factor 2
    (about ±19% in d, since N_S ∝ d⁴ on the long-lifetime edge): our Pythia light-meson
    spectra against FORESEE's EPOS-LHC ones, and the J/ψ share (1/3 to 1/2 of the events)
    whose spectrum shape is Pythia's.  Measured: 3.0, 2.6, 3.5.  For FASER2 and the electron
    the seed's number is met only without π±/K± decaying at the IP (with them: 5.6 events,
    K± alone 3.0), so the seed did not count them there."""
    n = hnlfit.predict(f"n_events_{det}", m_N=m_N, **{f"d_gamma_{flavour}": d},
                       charged_light=charged_light, **SEED_CONVENTIONS)
    assert 1.5 < float(n) < 6.0


def test_facet_mass_reach_as_the_seed():
    """FACET is sensitive up to m_N ≈ 0.4 GeV (seed Sec. 3); FASER2 only below ≈ 0.2 GeV."""
    d = np.geomspace(1e-8, 1e-4, 300)[None, :]
    m = np.array([0.3, 0.33, 0.45])[:, None]
    facet = hnlfit.predict("n_events_FACET", m_N=m, d_gamma_e=d, charged_light="ip",
                           **SEED_CONVENTIONS).max(axis=1)
    faser2 = hnlfit.predict("n_events_FASER2", m_N=m, d_gamma_e=d, charged_light="ip",
                            **SEED_CONVENTIONS).max(axis=1)
    assert facet[0] > 3 and facet[1] > 3 and facet[2] < 3
    assert np.all(faser2 < 3)


# ---------------------------------------------------------------------------------------
# the rewritten count kernel (issue 8): same numbers as before, and no less precise
# ---------------------------------------------------------------------------------------
def _reference_cases():
    import json
    from pathlib import Path
    doc = json.loads((Path(__file__).parent / "data" / "far_detector_reference.json").read_text())
    return doc["cases"]


@pytest.mark.parametrize("case", _reference_cases(), ids=lambda c: c["observable"])
def test_counts_agree_with_the_kernel_before_the_rewrite(case):
    """Counts from commit ca0e9d7 (both exp and expm1 on the whole matrix, all 8 weight sets)
    at random points: the rewrite agrees to 1e-11 relative.  (Where they differ beyond 1e-12,
    the old sum was the less precise one: see the extended-precision test below.)"""
    kw = {k: np.asarray(v) if isinstance(v, list) else v for k, v in case.items()
          if k not in ("observable", "expected")}
    got = hnlfit.predict(case["observable"], **kw)
    np.testing.assert_allclose(got, case["expected"], rtol=1e-11, atol=1e-300)


def _mpmath_kernel(kappa, c_j, W_j, set_j, active, coef, chunk):
    """The count sum of :func:`fd._decays_in_volume` in 30-digit arithmetic (mpmath): for
    κ c_min ≤ 1 the form Σ W (-expm1(-κc)), otherwise -Σ W exp(-κc) (equal when Σ W = 0 per
    set, which holds for the physics but not bit for bit for the binned table)."""
    import mpmath
    out = np.empty(kappa.size)
    use = active[set_j]
    c_j, W_j, set_j = c_j[use], W_j[use], set_j[use]
    with mpmath.workdps(30):
        for i, k in enumerate(kappa):
            late = k * c_j.min() <= 1.0
            k = mpmath.mpf(float(k))
            f = (lambda x: -mpmath.expm1(-x)) if late else (lambda x: -mpmath.exp(-x))
            terms = [mpmath.mpf(float(coef[s, i])) * mpmath.mpf(float(w))
                     * f(k * mpmath.mpf(float(cc))) for cc, w, s in zip(c_j, W_j, set_j)]
            out[i] = float(mpmath.fsum(terms))
    return out


def test_count_kernel_against_high_precision(monkeypatch):
    """Where most N decay before the detector, the sum cancels; the rewritten kernel stays
    within 1e-13 of a 30-digit evaluation (the old one was off by up to 4e-12)."""
    m = np.array([0.336, 0.0563, 0.12, 1.1])
    d = np.array([1.48e-6, 1.26e-4, 3e-5, 2e-7])
    fast = hnlfit.predict("n_events_FASER2", m_N=m, d_gamma_e=d)
    monkeypatch.setattr(fd, "_decays_in_volume", _mpmath_kernel)
    exact = hnlfit.predict("n_events_FASER2", m_N=m, d_gamma_e=d)
    np.testing.assert_allclose(fast, exact, rtol=1e-13)


def test_sample_frames_reproduce_the_boost():
    """The precomputed (mass-independent) trigonometry gives the boost bit for bit."""
    n = 50
    p_M, th_M = 10 ** RNG.uniform(1, 3.5, n), 10 ** RNG.uniform(-5, -1, n)
    ca, beta = RNG.uniform(-1, 1, n), RNG.uniform(0, 2 * np.pi, n)
    E_s, m_N, m_M = RNG.uniform(0.3, 0.38, n), 0.2, 0.77
    frames = fd.sample_frames(p_M, th_M, m_M, ca, beta)
    p1, t1 = fd._boost(frames, E_s, m_N)
    p_star = np.sqrt(E_s ** 2 - m_N ** 2)
    g, gb = np.sqrt(p_M ** 2 + m_M ** 2) / m_M, p_M / m_M
    p_par = g * p_star * ca + gb * E_s
    p_perp = p_star * np.sqrt(1 - ca ** 2)
    x = p_par * np.sin(th_M) + p_perp * np.cos(beta) * np.cos(th_M)
    y = p_perp * np.sin(beta)
    z = p_par * np.cos(th_M) - p_perp * np.cos(beta) * np.sin(th_M)
    np.testing.assert_array_equal(p1, np.sqrt(p_par ** 2 + p_perp ** 2))
    np.testing.assert_array_equal(t1, np.arctan2(np.hypot(x, y), z))
