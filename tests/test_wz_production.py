"""HNLs from W → ℓN and Z → νN at the LHC into the far detectors (seed 002, 2302.02081):
widths against the crossing relation, helicity structure against explicit Dirac traces,
two-body kinematics, the table machinery against a brute-force forward Monte Carlo, and the
production switch of the n_events observables."""
import math

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.physics.forward import detectors as D
from hnlfit.physics.forward import far_detectors as fd
from hnlfit.physics.dipole import hnl_decays as dec
from hnlfit.physics.forward import wz_production as wz
from hnlfit.physics.dipole.ee_to_N_nu import gamma_Z_to_nu_N
from hnlfit.spectra import load_spectrum

RNG = np.random.default_rng(20230568)


# ---------------------------------------------------------------------------------------
# widths
# ---------------------------------------------------------------------------------------
def _monomials(m2, Q2, l2):
    return np.stack([m2 * m2, Q2 * Q2, l2 * l2, m2 * Q2, m2 * l2, Q2 * l2], -1)


def test_w_width_from_crossing_of_n_to_l_w():
    """Σ|M|² of N → ℓW (hnl_decays, spin average 1/2) is a quadratic polynomial in
    (m², M², m_ℓ²); fitted at random physical N-decay points and continued to random W-decay
    points (m_N + m_ℓ < M), minus it must be Σ|M|² of W → ℓN̄ (polarisation average 1/3)."""
    n = 60
    m = RNG.uniform(90, 400, n)
    Q = RNG.uniform(0.05, 0.9, n) * m
    ml = RNG.uniform(0, 0.9, n) * (m - Q)
    g_N = dec._two_body_reduced(m, Q * Q, ml)          # Γ(N → ℓ V)/d², Dirac N
    lam = dec.kallen_sqrt(m * m, Q, ml)
    msq_N = 2.0 * g_N * 8 * math.pi * m * m / (lam / (2 * m))    # Σ|M|² = 4 d² (...)
    coef, *_ = np.linalg.lstsq(_monomials(m * m, Q * Q, ml * ml), msq_N, rcond=None)
    assert np.allclose(_monomials(m * m, Q * Q, ml * ml) @ coef, msq_N, rtol=1e-10)
    # W decays at random points, generic W mass
    M = RNG.uniform(50, 120, n)
    mN = RNG.uniform(0, 0.9, n) * M
    mlw = RNG.uniform(0, 1, n) * (M - mN) * 0.9
    G = np.array([wz.gamma_W_to_l_N(mN[i], 1.0, mlw[i], M_W=M[i]) for i in range(n)])
    lam_w = dec.kallen_sqrt(M * M, mN, mlw)
    msq_W = 3.0 * G * 8 * math.pi * M * M / (lam_w / (2 * M))
    crossed = -(_monomials(mN * mN, M * M, mlw * mlw) @ coef)
    assert np.allclose(msq_W, crossed, rtol=1e-9)


def test_w_width_limits_and_branching_ratios():
    # m_N, m_l -> 0: d² M³/(12π); symmetric in m_N <-> m_l; zero at threshold
    assert wz.gamma_W_to_l_N(0.0, 1.0) == pytest.approx(c.M_W ** 3 / (12 * math.pi), rel=1e-12)
    assert wz.gamma_W_to_l_N(1e-4, 2e-6) == pytest.approx(4e-12 * c.M_W ** 3 / (12 * math.pi),
                                                          rel=1e-8)
    mt = c.LEPTON_MASS["tau"]
    assert wz.gamma_W_to_l_N(5.0, 1.0, mt) == pytest.approx(wz.gamma_W_to_l_N(mt, 1.0, 5.0),
                                                            rel=1e-12)
    assert wz.gamma_W_to_l_N(c.M_W - mt, 1.0, mt) == 0.0
    assert wz.gamma_W_to_l_N(c.M_W + 1.0, 1.0) == 0.0
    # the Z: same trace with m_l = 0 and M_Z (per state); BR = Γ/Γ_Z with both states
    m = np.array([0.0, 1.0, 20.0, 60.0, 91.0])
    per_state = wz.gamma_W_to_l_N(m, 1.0, 0.0, M_W=c.M_Z)
    assert np.allclose(gamma_Z_to_nu_N(m, 1.0), 2 * per_state, rtol=1e-12)
    assert np.allclose(wz.br_Z_to_nu_N(m, 3e-6) * c.GAMMA_Z, gamma_Z_to_nu_N(m, 3e-6))
    assert np.allclose(wz.br_W_to_l_N(m, 3e-6, "mu") * c.GAMMA_W,
                       wz.gamma_W_to_l_N(m, 3e-6, c.LEPTON_MASS["mu"]))
    assert wz.br_Z_to_nu_N(c.M_Z + 0.1, 1.0) == 0.0


# ---------------------------------------------------------------------------------------
# helicity structure from explicit Dirac traces
# ---------------------------------------------------------------------------------------
def _gammas():
    I2, Z2 = np.eye(2), np.zeros((2, 2))
    s = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
         np.array([[1, 0], [0, -1]], complex)]
    g = [np.block([[Z2, I2], [I2, Z2]]).astype(complex)] + [np.block([[Z2, x], [-x, Z2]])
                                                               for x in s]
    g5 = np.block([[-I2, Z2], [Z2, I2]]).astype(complex)
    return g, g5


def _msq(M, m, ml, theta, eps):
    """Σ_spins |ū(ℓ) σ^{μν} q_μ ε_ν P_R v(N)|² for a boson at rest with polarisation ε,
    ℓ along angle θ to z (N opposite)."""
    g, g5 = _gammas()
    eta = np.diag([1.0, -1, -1, -1])
    sl = lambda p: sum(eta[a, a] * p[a] * g[a] for a in range(4))         # noqa: E731
    k = float(dec.kallen_sqrt(M * M, m, ml)) / (2 * M)
    n = np.array([math.sin(theta), 0, math.cos(theta)])
    pl = np.r_[math.hypot(k, ml), k * n]
    pn = np.r_[math.hypot(k, m), -k * n]
    ql, el = eta @ np.array([M, 0, 0, 0.0]), eta @ eps
    sig = lambda a, b: 0.5j * (g[a] @ g[b] - g[b] @ g[a])                   # noqa: E731
    G = sum(sig(a, b) * ql[a] * el[b] for a in range(4) for b in range(4)) @ (np.eye(4) + g5) / 2
    Gb = g[0] @ G.conj().T @ g[0]
    return np.trace((sl(pl) + ml * np.eye(4)) @ G @ (sl(pn) - m * np.eye(4)) @ Gb).real


@pytest.mark.parametrize("m,ml", [(0.0, 0.0), (20.0, 0.0), (50.0, 1.777), (30.0, 10.0)])
def test_helicity_structure_against_dirac_traces(m, ml):
    M = c.M_W
    ep = np.array([0, -1, -1j, 0]) / math.sqrt(2)
    em = np.array([0, 1, -1j, 0]) / math.sqrt(2)
    e0 = np.array([0, 0, 0, 1.0])
    A, B = wz.helicity_weights(M, m, ml)
    BW = wz.b_w(M, m, ml)
    for th in (0.0, 0.4, 1.1, 2.0, 3.0):
        T = 0.5 * (_msq(M, m, ml, th, ep) + _msq(M, m, ml, th, em))
        L = _msq(M, m, ml, th, e0)
        ct = math.cos(th)
        assert 2 * T + L == pytest.approx(BW, rel=1e-10)      # unpolarised: B_W
        assert T == pytest.approx(A * (1 - ct * ct) + 0.5 * B * (1 + ct * ct), rel=1e-10)
    # the normalised density (symmetric under N <-> ℓ direction, so valid for N)
    # longitudinal boson: 2A cos² + B sin²
    for th in (0.0, 0.7, 1.6):
        ct = math.cos(th)
        assert _msq(M, m, ml, th, e0) == pytest.approx(2 * A * ct * ct + B * (1 - ct * ct),
                                                       rel=1e-10, abs=1e-12 * BW)
    # the normalised densities (symmetric under N <-> ℓ direction, so valid for N)
    cs = np.linspace(-1, 1, 2001)
    for ang, pT in (("transverse", 0.0), ("polarised", 40.0), ("isotropic", 0.0)):
        f = wz.angular_density(cs, M, m, ml, ang, pT)
        assert np.trapezoid(f, cs) * 2 * math.pi == pytest.approx(1.0, rel=1e-6)
        assert f.max() <= 3 / (4 * math.pi) + 1e-12


# ---------------------------------------------------------------------------------------
# kinematics
# ---------------------------------------------------------------------------------------
def test_lab_solutions_conserve_energy_momentum():
    M, mN, ml = c.M_W, 12.0, c.LEPTON_MASS["tau"]
    n = 4000
    P = RNG.normal(size=(n, 3)) * np.array([20, 20, 800])
    v = RNG.normal(size=(n, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    roots, jac = wz.lab_momenta(M, mN, ml, P, v)
    EB = np.sqrt((P ** 2).sum(1) + M * M)
    Es, ps = wz.rest_frame(M, mN, ml)
    nfound = 0
    for r in range(2):
        ok = np.isfinite(roots[r])
        nfound += ok.sum()
        p3 = roots[r][ok, None] * v[ok]
        E = np.sqrt(roots[r][ok] ** 2 + mN * mN)
        # the recoiling lepton is on shell: (P - p_N)² = m_l²
        El, pl = EB[ok] - E, P[ok] - p3
        assert np.allclose(El ** 2 - (pl ** 2).sum(1), ml * ml, atol=1e-6 * EB[ok] ** 2)
        # in the boson frame N has |p*| and the lepton is back to back
        prest = wz.boost_to_rest(p3, E, P[ok], M)
        assert np.allclose(np.linalg.norm(prest, axis=1), ps, rtol=1e-7)
        lrest = wz.boost_to_rest(pl, El, P[ok], M)
        assert np.allclose(prest + lrest, 0.0, atol=1e-6 * ps)
    assert nfound > n // 5          # fast bosons reach only a cone around their direction
    # the Collins-Soper axis of a boson along z is z
    ax = wz.collins_soper_axis(np.array([[0.0, 0.0, 300.0]]), M)
    assert np.allclose(ax, [[0, 0, 1]])


def test_jacobian_against_forward_decays():
    """dΩ*/dΩ: the fraction of isotropic decays of a fixed boson inside a lab cone equals
    ∫ J/(4π) dΩ over that cone."""
    M, mN = c.M_Z, 30.0
    P = np.array([0.0, 0.0, 400.0])
    Es, ps = wz.rest_frame(M, mN, 0.0)
    n = 2_000_000
    ct = RNG.uniform(-1, 1, n)
    st = np.sqrt(1 - ct * ct)
    g, gb = math.hypot(400.0, M) / M, 400.0 / M
    pz, pt = g * ps * ct + gb * Es, ps * st
    th = np.arctan2(pt, pz)
    lo, hi = 0.10, 0.20
    frac = np.mean((th > lo) & (th < hi))
    tt = np.linspace(lo, hi, 4001)
    v = np.stack([np.sin(tt), 0 * tt, np.cos(tt)], -1)
    roots, jac = wz.lab_momenta(M, mN, 0.0, np.broadcast_to(P, v.shape), v)
    dens = jac.sum(0) / (4 * math.pi) * 2 * math.pi * np.sin(tt)
    assert np.trapezoid(dens, tt) == pytest.approx(frac, rel=0.01)


# ---------------------------------------------------------------------------------------
# counts: table machinery against a brute-force forward Monte Carlo
# ---------------------------------------------------------------------------------------
def _brute_force(det, channel, lepton, m_N, d, width, n, seed):
    rng = np.random.default_rng(seed)
    M = c.M_W if channel == "W" else c.M_Z
    ml = c.LEPTON_MASS[lepton] if channel == "W" else 0.0
    br = wz.br_W_to_l_N(m_N, d, lepton) if channel == "W" else wz.br_Z_to_nu_N(m_N, d)
    Es, ps = wz.rest_frame(M, m_N, ml)
    kappa = m_N * width / c.HBARC_GEV_M
    total = 0.0
    for boson in wz.SPECTRA[channel]:
        spec = load_spectrum(boson, "nnlo")
        s = spec.sigma_fb.ravel()
        k = rng.choice(s.size, n, p=s / s.sum())
        it, ip = np.divmod(k, spec.sigma_fb.shape[1])
        lt, lp = spec.log10_theta_edges, spec.log10_p_edges
        th = np.minimum(10 ** rng.uniform(lt[it], lt[it + 1]), math.pi / 2)
        p = 10 ** rng.uniform(lp[ip], lp[ip + 1])
        ph = rng.uniform(0, 2 * math.pi, n)
        P = p[:, None] * np.stack([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph),
                                   np.cos(th)], -1)
        # rest-frame direction: accept-reject on the polarised density around the CS axis
        ax = wz.collins_soper_axis(P, M)
        u = rng.normal(size=(n, 3))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        cs = (u * ax).sum(1)
        pT = np.hypot(P[:, 0], P[:, 1])
        f = wz.angular_density(cs, M, m_N, ml, "polarised", pT)
        fmax = 3 / (4 * math.pi)          # bound of both the transverse and longitudinal parts
        acc = rng.random(n) * fmax < f
        u, P = u[acc], P[acc]
        # boost to the lab
        pB = np.linalg.norm(P, axis=1, keepdims=True)
        EB = np.sqrt(pB ** 2 + M * M)
        b = P / pB
        par = (u * b).sum(1, keepdims=True) * ps
        pl = ps * u + ((EB / M - 1) * par + pB / M * Es) * b
        pn = np.linalg.norm(pl, axis=1)
        thN = np.arccos(np.clip(pl[:, 2] / pn, -1, 1))
        phN = np.arctan2(pl[:, 1], pl[:, 0])
        l_in, l_out = D.path_interval(det, thN, phN)
        hit = np.isfinite(l_in) & (pn >= det.p_min)
        prob = np.exp(-kappa * l_in[hit] / pn[hit]) - np.exp(-kappa * l_out[hit] / pn[hit])
        total += spec.total_fb * prob.sum() / acc.sum()
    return total * br * det.luminosity_fb


@pytest.mark.parametrize("det,channel,lepton,m_N,d", [
    ("MAPP2", "W", "tau", 5.0, 1e-7),
    ("MAPP2", "Z", None, 2.0, 3e-7),
])
def test_count_against_brute_force(det, channel, lepton, m_N, d):
    det = D.get_detector(det)
    flav = lepton or "e"
    # a width that puts the decays in the detector region: κ = 5 per m/GeV
    width = 5.0 * c.HBARC_GEV_M / m_N
    brute = _brute_force(det, channel, lepton, m_N, d, width, 1_000_000, 7)
    kw = {"d_W": {flav: d}} if channel == "W" else {"d_Z": {flav: d}}
    got = fd.expected_events(det, m_N, {}, width, 1.0, production="bosons", disk_cache=False,
                             **kw)
    assert got > 0
    assert got == pytest.approx(brute, rel=0.05)      # MC errors: ~1% table, ~2-3% brute


def test_production_switch_and_zero_coupling():
    det = D.get_detector("FACET")
    m = np.array([0.3, 1.0, 3.0])
    point = hnlfit.make_point(m_N=m, d_gamma_tau=1e-7, a=-3.0)
    width = dec.total_width(point)
    brg = dec.br_nu_gamma(point)
    kw = dict(normalise="seed003_heavy", d_Z={"tau": point["d_Z_tau"]},
              d_W={"tau": point["d_W_tau"]})
    mes = fd.expected_events(det, m, {"tau": point["d_gamma_tau"]}, width, brg, **kw)
    mes0 = fd.expected_events(det, m, {"tau": point["d_gamma_tau"]}, width, brg,
                              normalise="seed003_heavy")        # the pre-W/Z call
    bos = fd.expected_events(det, m, {"tau": point["d_gamma_tau"]}, width, brg,
                             production="bosons", **kw)
    alln = fd.expected_events(det, m, {"tau": point["d_gamma_tau"]}, width, brg,
                              production="all", **kw)
    assert np.array_equal(mes, mes0)
    assert np.all(bos > 0)
    assert np.allclose(alln, mes + bos, rtol=1e-10)
    # observables: production="mesons" equals the meson-only physics call; "all" is default
    obs_m = hnlfit.predict("n_events_FACET", point, production="mesons")
    assert np.array_equal(obs_m, fd.expected_events_point(det, point, normalise="seed003_heavy"))
    assert np.allclose(hnlfit.predict("n_events_FACET", point), alln, rtol=1e-10)
    # zero couplings -> zero events, also with only the boson channels
    zero = fd.expected_events(det, m, {"tau": 0.0}, width, brg, production="all",
                              d_Z={"tau": 0.0}, d_W={"tau": 0.0})
    assert np.all(zero == 0.0)
    a_zero = fd.expected_events(det, m, {"tau": 1e-5}, width, brg, production="bosons",
                                d_Z={"tau": 0.0}, d_W={"tau": 0.0})
    assert np.all(a_zero == 0.0)
    # above M_Z no boson channel is open
    heavy = fd.expected_events(det, 95.0, {}, 1e-20, 1.0, production="bosons",
                               d_Z={"tau": 1e-6}, d_W={"tau": 1e-6})
    assert heavy == 0.0
    with pytest.raises(ValueError):
        fd.expected_events(det, m, {"tau": 1e-5}, width, brg, production="photons")
