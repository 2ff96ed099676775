"""e+e- -> N nu (+ c.c.) and Z -> nu N: closed forms against independent evaluations.

The independent evaluation builds the amplitudes from the Feynman rules with explicit 4x4
Dirac matrices (Dirac representation) and spinors, sums |M|^2 over all 16 helicity
combinations, and never uses a trace identity.  Unitary-gauge propagators are kept in full
(their q_mu q_nu parts must drop out).
"""
import math

import numpy as np
import pytest

from hnlfit import constants as c
from hnlfit import make_point, predict
from hnlfit.physics.dipole import ee_to_N_nu as ee

# ---------------------------------------------------------------------------------------
# explicit Dirac algebra (Dirac representation)

from dirac import ETA, G0, G5, GAM, I2, ONE, PAULI, PL, PR, SIG, Z2, slash  # noqa: F401  (tests/dirac.py)


def lower(p):
    return ETA @ np.asarray(p)


def u_spinors(p, m):
    E, vec = p[0], np.asarray(p[1:])
    sp = sum(vec[i] * PAULI[i] for i in range(3))
    out = []
    for chi in (np.array([1, 0], complex), np.array([0, 1], complex)):
        out.append(np.concatenate([math.sqrt(E + m) * chi, sp @ chi / math.sqrt(E + m)]))
    return out


def v_spinors(p, m):
    E, vec = p[0], np.asarray(p[1:])
    sp = sum(vec[i] * PAULI[i] for i in range(3))
    out = []
    for eta in (np.array([1, 0], complex), np.array([0, 1], complex)):
        out.append(np.concatenate([sp @ eta / math.sqrt(E + m), math.sqrt(E + m) * eta]))
    return out


def bar(sp):
    return sp.conj() @ G0


def dipole_vertex(d, q, chir):
    """i L with L = d fbar sigma^{mu nu} chir f F_{mu nu}, F -> -i (q_mu A_nu - q_nu A_mu),
    q flowing into the vertex: the coefficient of A_nu (upper index nu), unsimplified."""
    ql = lower(q)
    out = []
    for nu in range(4):
        acc = np.zeros((4, 4), complex)
        for mu in range(4):
            # sigma^{mu nu} q_mu A_nu  -  sigma^{nu mu} q_mu A_nu   (the two terms of F)
            acc += SIG[mu][nu] * ql[mu] - SIG[nu][mu] * ql[mu]
        out.append(1j * d * (-1j) * acc @ chir)
    return out


def vector_vertex(coupling_L, coupling_R):
    return [1j * GAM[m] @ (coupling_L * PL + coupling_R * PR) for m in range(4)]


def propagator(q, M, width):
    """-i (g_{mu nu} - q_mu q_nu / M^2)/(q^2 - M^2 + i M Gamma), lower indices (M = 0: photon)."""
    ql = lower(q)
    q2 = q @ ETA @ q
    num = ETA - (np.outer(ql, ql) / M ** 2 if M > 0 else 0.0)
    return -1j * num / (q2 - M * M + 1j * M * width)


def current(a, vertex, b):
    return np.array([a @ vertex[m] @ b for m in range(4)])


def contract(j1, prop, j2):
    return j1 @ prop @ j2


def kinematics(s, m, cth, phi):
    rs = math.sqrt(s)
    E = rs / 2
    k = (s - m * m) / (2 * rs)
    sth = math.sqrt(1 - cth * cth)
    n = np.array([sth * math.cos(phi), sth * math.sin(phi), cth])
    p1 = np.array([E, 0, 0, E])
    p2 = np.array([E, 0, 0, -E])
    k1 = np.concatenate([[math.sqrt(k * k + m * m)], k * n])
    k2 = np.concatenate([[k], -k * n])
    return p1, p2, k1, k2


def couplings(alpha=c.ALPHA_EM):
    e, g, gz, sw, cw = ee.gauge_couplings(alpha)
    return e, g, gz


def msq_dipole_numeric(s, m, cth, phi, dg, dz, dw, channel="N_nubar"):
    """sum over spins |M|^2 for e-(p1) e+(p2) -> N(k1) nu-bar(k2) (or N-bar(k1) nu(k2))."""
    e, g, gz = couplings()
    gl, gr = -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W
    p1, p2, k1, k2 = kinematics(s, m, cth, phi)
    q = p1 + p2
    v_gam = vector_vertex(-e, -e)
    v_z = vector_vertex(gz * gl, gz * gr)
    v_w = vector_vertex(g / math.sqrt(2), 0.0)
    P_gam, P_z = propagator(q, 0.0, 0.0), propagator(q, c.M_Z, c.GAMMA_Z)
    total = 0.0
    if channel == "N_nubar":
        qt = k1 - p1                       # into the dipole vertex on the e- -> N line
        D_gam, D_z = dipole_vertex(dg, q, PL), dipole_vertex(dz, q, PL)
        D_w = dipole_vertex(dw, qt, PL)
        P_w = propagator(qt, c.M_W, 0.0)
        for u1 in u_spinors(p1, 0.0):
            for v2 in v_spinors(p2, 0.0):
                je_g = current(bar(v2), v_gam, u1)
                je_z = current(bar(v2), v_z, u1)
                for uN in u_spinors(k1, m):
                    for vn in v_spinors(k2, 0.0):
                        jn_g = current(bar(uN), D_gam, vn)
                        jn_z = current(bar(uN), D_z, vn)
                        amp_s = contract(je_g, P_gam, jn_g) + contract(je_z, P_z, jn_z)
                        amp_t = contract(current(bar(uN), D_w, u1), P_w,
                                         current(bar(v2), v_w, vn))
                        total += abs(amp_s - amp_t) ** 2
    else:
        qt = k1 - p2                       # into the dipole vertex on the e+ -> N-bar line
        D_gam, D_z = dipole_vertex(dg, q, PR), dipole_vertex(dz, q, PR)
        D_w = dipole_vertex(dw, qt, PR)
        P_w = propagator(qt, c.M_W, 0.0)
        for u1 in u_spinors(p1, 0.0):
            for v2 in v_spinors(p2, 0.0):
                je_g = current(bar(v2), v_gam, u1)
                je_z = current(bar(v2), v_z, u1)
                for un in u_spinors(k2, 0.0):
                    for vN in v_spinors(k1, m):
                        amp_s = (contract(je_g, P_gam, current(bar(un), D_gam, vN))
                                 + contract(je_z, P_z, current(bar(un), D_z, vN)))
                        amp_t = contract(current(bar(un), v_w, u1), P_w,
                                         current(bar(v2), D_w, vN))
                        total += abs(amp_s - amp_t) ** 2
    return total


# ---------------------------------------------------------------------------------------


def test_spinor_completeness():
    rng = np.random.default_rng(0)
    for m in (0.0, 3.7):
        p3 = rng.normal(size=3) * 10
        p = np.concatenate([[math.sqrt(p3 @ p3 + m * m)], p3])
        su = sum(np.outer(x, bar(x)) for x in u_spinors(p, m))
        sv = sum(np.outer(x, bar(x)) for x in v_spinors(p, m))
        assert np.allclose(su, slash(p) + m * ONE, atol=1e-10)
        assert np.allclose(sv, slash(p) - m * ONE, atol=1e-10)


@pytest.mark.parametrize("case", ["gamma", "Z", "W", "gammaZ", "all"])
def test_trace_formula_matches_explicit_spinors(case):
    rng = np.random.default_rng(hash(case) % 2**32)
    for _ in range(6):
        rs = rng.uniform(5.0, 400.0)
        m = rng.uniform(0.0, 0.95) * rs
        s = rs * rs
        cth, phi = rng.uniform(-1, 1), rng.uniform(0, 2 * math.pi)
        dg, dz, dw = rng.normal(size=3) * 1e-3
        dg, dz, dw = {"gamma": (dg, 0, 0), "Z": (0, dz, 0), "W": (0, 0, dw),
                      "gammaZ": (dg, dz, 0), "all": (dg, dz, dw)}[case]
        num = msq_dipole_numeric(s, m, cth, phi, dg, dz, dw)
        ana = ee.squared_amplitude(s, cth, m, dg, dz, dw)
        assert ana == pytest.approx(num, rel=1e-9)
        # the N-bar nu channel is the CP mirror (theta -> pi - theta)
        num_bar = msq_dipole_numeric(s, m, cth, phi, dg, dz, dw, channel="Nbar_nu")
        assert ee.squared_amplitude(s, -cth, m, dg, dz, dw) == pytest.approx(num_bar, rel=1e-9)


def test_differential_normalisation_and_channels():
    rs, m, cth = 180.0, 60.0, 0.3
    dg, dz, dw = 1e-5, -2e-5, 3e-5
    s = rs * rs
    msq = msq_dipole_numeric(s, m, cth, 0.0, dg, dz, dw)
    expect = (s - m * m) / (128 * math.pi * s * s) * msq * c.GEV2_TO_PB
    assert ee.dsigma_dcos(rs, cth, m, dg, dz, dw, channel="N_nubar") == pytest.approx(expect)
    both = ee.dsigma_dcos(rs, cth, m, dg, dz, dw)
    assert both == pytest.approx(ee.dsigma_dcos(rs, cth, m, dg, dz, dw, channel="N_nubar")
                                 + ee.dsigma_dcos(rs, cth, m, dg, dz, dw, channel="Nbar_nu"))
    assert both == pytest.approx(ee.dsigma_dcos(rs, -cth, m, dg, dz, dw))  # FB symmetric
    with pytest.raises(ValueError):
        ee.dsigma_dcos(rs, cth, m, dg, dz, dw, channel="bogus")


def test_integrated_differential_equals_closed_form_at_random_points():
    x, w = np.polynomial.legendre.leggauss(200)
    rng = np.random.default_rng(11)
    rs = rng.uniform(0.5, 1000.0, size=40)
    m = rng.uniform(0.0, 0.99, size=40) * rs
    d = rng.normal(size=(3, 40)) * 1e-6
    num = np.sum(w[:, None] * ee.dsigma_dcos(rs[None], x[:, None], m[None], *d[:, None]),
                 axis=0)
    ana = ee.sigma(rs, m, *d)
    assert np.allclose(num, ana, rtol=1e-10, atol=0)
    for ch in ("N_nubar", "Nbar_nu"):
        one = np.sum(w[:, None] * ee.dsigma_dcos(rs[None], x[:, None], m[None], *d[:, None],
                                                 channel=ch), axis=0)
        assert np.allclose(one, ana / 2, rtol=1e-10)


def test_sm_nue_sign_of_s_t_interference():
    """e+e- -> nu_e nu-bar_e (Z s-channel + W t-channel) with the same Feynman rules and the
    same relative minus sign reproduces g_L -> g_L + 1 (nu_e e scattering, Fierz)."""
    e, g, gz = couplings()
    gl, gr = -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W

    def msq(s, cth, with_w):
        p1, p2, k1, k2 = kinematics(s, 0.0, cth, 0.4)
        q = p1 + p2
        Pz = propagator(q, c.M_Z, c.GAMMA_Z)
        Pw = propagator(k1 - p1, c.M_W, 0.0)
        vz_e, vz_n = vector_vertex(gz * gl, gz * gr), vector_vertex(gz * 0.5, 0.0)
        vw = vector_vertex(g / math.sqrt(2), 0.0)
        tot = 0.0
        for u1 in u_spinors(p1, 0):
            for v2 in v_spinors(p2, 0):
                for un in u_spinors(k1, 0):
                    for vn in v_spinors(k2, 0):
                        a_s = contract(current(bar(v2), vz_e, u1), Pz, current(bar(un), vz_n, vn))
                        a_t = contract(current(bar(un), vw, u1), Pw, current(bar(v2), vw, vn))
                        tot += abs(a_s - (a_t if with_w else 0.0)) ** 2
        return tot

    rng = np.random.default_rng(5)
    for _ in range(5):
        rs, cth = rng.uniform(3, 300), rng.uniform(-1, 1)
        s = rs * rs
        t, u = -s * (1 - cth) / 2, -s * (1 + cth) / 2
        dz = s - c.M_Z ** 2 + 1j * c.M_Z * c.GAMMA_Z
        aL = gz ** 2 * gl / 2 / dz + g * g / 2 / (t - c.M_W ** 2)
        aR = gz ** 2 * gr / 2 / dz
        assert msq(s, cth, True) == pytest.approx(4 * (abs(aL) ** 2 * u * u
                                                       + abs(aR) ** 2 * t * t), rel=1e-9)
    # low energy: sigma(nu_e)/sigma(nu_mu) -> ((rho g_L + 1)^2 + rho^2 g_R^2) / (rho^2 (g_L^2
    # + g_R^2)), rho = M_W^2 / (c_w^2 M_Z^2) (= 1.01 with the MSbar s_w^2 and PDG masses)
    x, w = np.polynomial.legendre.leggauss(8)
    s = 2.0 ** 2
    ratio = (sum(wi * msq(s, xi, True) for xi, wi in zip(x, w))
             / sum(wi * msq(s, xi, False) for xi, wi in zip(x, w)))
    rho = c.M_W ** 2 / ((1 - c.SIN2_THETA_W) * c.M_Z ** 2)
    right = ((rho * gl + 1) ** 2 + (rho * gr) ** 2) / (rho ** 2 * (gl ** 2 + gr ** 2))
    wrong = ((rho * gl - 1) ** 2 + (rho * gr) ** 2) / (rho ** 2 * (gl ** 2 + gr ** 2))
    assert ratio == pytest.approx(right, rel=2e-3)
    assert abs(ratio - wrong) > 1.0


def test_slide_formulas_with_fixed_typos():
    """gamma, Z, gamma-Z pieces against seed 002 with (8 s^4 - 4 s^2 + 1), (1 - 4 s^2) and the
    interference sign of 2308.16608 eq. 2.6; x2 for the two charge states."""
    a, sw2 = c.ALPHA_EM, c.SIN2_THETA_W
    sw, cw = math.sqrt(sw2), math.sqrt(1 - sw2)
    rng = np.random.default_rng(2)
    for _ in range(10):
        rs = rng.uniform(1, 300)
        m = rng.uniform(0, rs)
        s, m2 = rs * rs, m * m
        dg, dz = rng.normal(size=2) * 1e-6
        bw = c.GAMMA_Z ** 2 * c.M_Z ** 2 + (c.M_Z ** 2 - s) ** 2
        kin = (s - m2) ** 2 * (s + 2 * m2)
        comp = ee.sigma_components(rs, m, dg, dz, 0.0)
        pb = 2 * c.GEV2_TO_PB
        assert comp["gamma"] == pytest.approx(pb * a * dg ** 2 * kin / (3 * s ** 3))
        assert comp["Z"] == pytest.approx(
            pb * a * dz ** 2 * kin * (8 * sw2 ** 2 - 4 * sw2 + 1) / (24 * cw ** 2 * sw2 * s * bw))
        assert comp["gammaZ"] == pytest.approx(
            pb * a * dg * dz * kin * (1 - 4 * sw2) * (s - c.M_Z ** 2) / (6 * cw * sw * s * s * bw))


def test_w_channel_limits():
    a, sw2, M = c.ALPHA_EM, c.SIN2_THETA_W, c.M_W
    # m_N -> 0: the slides' sigma^W
    for rs in (30.0, 91.0, 205.0, 3000.0):
        s = rs * rs
        slide = a / (2 * sw2 * s) * (-2 * s + (2 * M * M + s) * math.log1p(s / M / M))
        got = ee.sigma_components(rs, 1e-8, 0, 0, 1e-6)["W"] / (2 * c.GEV2_TO_PB * 1e-12)
        assert got == pytest.approx(slide, rel=1e-7)
    # at finite m_N the slides' expression (in s, not s - m^2) is wrong
    rs, m = 205.0, 150.0
    s, m2 = rs * rs, m * m
    slide = a / (2 * sw2 * s) * (-2 * s - (2 * M * M + s) * math.log(M * M / (M * M + s - m2))
                                 + m2 * (M * M / (M * M + s - m2) + 1))
    got = ee.sigma_components(rs, m, 0, 0, 1.0)["W"] / (2 * c.GEV2_TO_PB)
    assert abs(got / slide - 1) > 0.1
    # low energy: the closed forms are replaced by series; leading terms r^3/6
    for r in (1e-9, 1e-4, 0.3, 0.49, 0.51, 2.0, 1e3):
        exact_f1 = r + r * r / 2 - (1 + r) * math.log1p(r)
        exact_f2 = (2 + r) * math.log1p(r) - 2 * r
        if r > 0.1:
            assert float(ee.F1(r)) == pytest.approx(exact_f1, rel=1e-12)
            assert float(ee.F2(r)) == pytest.approx(exact_f2, rel=1e-12)
        else:
            assert float(ee.F1(r)) == pytest.approx(r ** 3 / 6 - r ** 4 / 12, rel=1e-3 * r + 1e-14)
            assert float(ee.F2(r)) == pytest.approx(r ** 3 / 6 - r ** 4 / 6, rel=1e-3 * r + 1e-14)


def test_m_to_zero_photon_limit_is_energy_independent():
    vals = ee.sigma(np.array([1.0, 10.0, 50.0]), 1e-9, 1e-6, 0.0)
    assert np.allclose(vals, 2 * c.ALPHA_EM * 1e-12 / 3 * c.GEV2_TO_PB, rtol=1e-12)


@pytest.mark.parametrize("scenario", ["B_only", "W3_only"])
def test_high_energy_limit_is_unbroken_phase_exchange(scenario):
    """sqrt(s) >> M_Z: gamma + Z exchange with d_gamma, d_Z from eq. 2.4 must add up to pure
    B exchange (couples to hypercharge: Y_L = -1/2, Y_R = -1) or pure W^3 exchange (couples
    only to e_L with T3 = -1/2).  This fixes the sign of the gamma-Z interference."""
    e, g, gz, sw, cw = ee.gauge_couplings()
    v = c.VEV
    if scenario == "B_only":
        p = make_point(m_N=20.0, d_UB_e=1e-8)
        D = v / math.sqrt(2) * 1e-8
        sum_a2 = (e / cw * D) ** 2 * (0.25 + 1.0)
    else:
        p = make_point(m_N=20.0, d_UW_e=1e-8)
        W = v / math.sqrt(2) * 1e-8 / 2
        sum_a2 = (g * W / 2) ** 2
    rs = 1e5
    s, m2 = rs * rs, 20.0 ** 2
    got = ee.sigma(rs, 20.0, p["d_gamma_e"], p["d_Z_e"], 0.0)
    expect = 2 * (s - m2) ** 2 * (s + 2 * m2) / (24 * math.pi * s) * sum_a2 / s ** 2
    assert got == pytest.approx(expect * c.GEV2_TO_PB, rel=1e-5)


def test_threshold_broadcasting_and_no_hnl():
    rs = np.array([[50.0], [100.0], [200.0]])
    m = np.array([10.0, 60.0, 150.0, 250.0])
    out = ee.sigma(rs, m, 1e-6, 2e-6, 3e-6)
    assert out.shape == (3, 4)
    assert np.all(out[rs[:, 0] <= 60.0][:, 1:] == 0.0) and np.all(out[:, 3] == 0.0)
    assert np.all(out[2, :3] > 0)
    d = ee.dsigma_dcos(rs[..., None], np.linspace(-1, 1, 5), m[:, None], 1e-6, 0, 0)
    assert d.shape == (3, 4, 5)
    assert np.all(ee.sigma(rs, m, 0.0, 0.0, 0.0) == 0.0)


def test_point_level_flavour_sum_and_observable():
    p = make_point(m_N=[1.0, 50.0], d_gamma_e=1e-6, d_gamma_mu=2e-6, a=1.0)
    rs = 91.2
    by_hand = (ee.sigma(rs, p["m_N"], p["d_gamma_e"], p["d_Z_e"], p["d_W_e"])
               + ee.sigma(rs, p["m_N"], p["d_gamma_mu"], p["d_Z_mu"], 0.0))
    assert np.allclose(ee.sigma_point(p, rs), by_hand)
    obs = predict("sigma_ee_to_N_nu", m_N=[1.0, 50.0], d_gamma_e=1e-6, d_gamma_mu=2e-6, a=1.0,
                  sqrt_s=rs)
    assert np.allclose(obs, by_hand)
    # sqrt_s may be an array that broadcasts against the point
    grid = predict("sigma_ee_to_N_nu", m_N=[1.0, 50.0], d_gamma_e=1e-6,
                   sqrt_s=np.array([[91.2], [205.0]]))
    assert grid.shape == (2, 2)
    assert np.all(predict("sigma_ee_to_N_nu", m_N=5.0, sqrt_s=205.0) == 0.0)


def test_electron_flavour_w_interference_present():
    """For alpha = e the W amplitude interferes with gamma/Z (absent from the slides)."""
    comp = ee.sigma_components(205.0, 10.0, 1e-6, 5e-7, 2e-6)
    assert abs(comp["W_int"]) > 0.01 * comp["total"]
    flipped = ee.sigma_components(205.0, 10.0, 1e-6, 5e-7, -2e-6)
    assert flipped["W_int"] == pytest.approx(-comp["W_int"])


def test_gamma_Z_to_nu_N():
    d = 1e-6
    m = np.array([0.0, 30.0, 91.0, 95.0])
    got = ee.gamma_Z_to_nu_N(m, d)
    MZ = c.M_Z
    r = m * m / MZ ** 2
    assert np.allclose(got[:3], 2 * d * d * MZ ** 3 / (12 * math.pi) * (1 - r[:3]) ** 2
                       * (1 + 2 * r[:3]))
    assert got[3] == 0.0
    # crossing check against explicit spinors: Z(q) -> nu(k) N-bar(p), polarisation sum
    mN = 40.0
    k = (MZ ** 2 - mN ** 2) / (2 * MZ)
    q = np.array([MZ, 0, 0, 0.0])
    pn = np.array([k, 0.3 * k, 0.0, math.sqrt(0.91) * k])
    pN = q - pn
    V = dipole_vertex(d, q, PR)
    P = ETA - np.outer(lower(q), lower(q)) / MZ ** 2     # sum eps_mu eps*_nu = -P
    tot = 0.0
    for un in u_spinors(pn, 0.0):
        for vN in v_spinors(pN, mN):
            j = current(bar(un), V, vN)
            tot += -(j.conj() @ P @ j).real
    width = tot / 3 / (2 * MZ) * k / (4 * math.pi * MZ)
    assert 2 * width == pytest.approx(float(ee.gamma_Z_to_nu_N(mN, d)), rel=1e-10)
    assert predict("gamma_Z_to_nu_N", m_N=mN, d_gamma_e=1e-6, a=0.0) > 0
    assert predict("gamma_Z_to_nu_N", m_N=mN) == 0.0
