"""LHC production of heavy neutrinos (issue 11): closed forms against explicit Dirac traces,
limits (hypercharge exchange, e+e- massless Dirac), thresholds, widths and the samplers.

The independent evaluation builds the spin sums with explicit 4x4 Dirac matrices (Dirac
representation) and numerical traces, Tr[(p1-slash) Gamma1 (p2-slash) bar(Gamma2)], contracted
with the metric; no trace identity is used.
"""
import math

import numpy as np
import pytest

from hnlfit import constants as c
from hnlfit import predict
from hnlfit.errors import HnlfitError, ParameterError
from hnlfit.params import dipoles_from_ratio
from hnlfit.physics.dipole import ee_to_N_nu as ee
from hnlfit.physics.lhc import lep, partonic as pt, production as prod

from dirac import ETA, G0, G5, GAM, I2, ONE, PAULI, PL, PR, SIG, Z2, slash  # noqa: F401  (tests/dirac.py)


def bar(M):
    return G0 @ M.conj().T @ G0


def kinematics(s, cth, m1, m2, phi=0.3):
    rs = math.sqrt(s)
    lam = (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2)
    p = math.sqrt(lam) / (2 * rs)
    E1, E2 = (s + m1 ** 2 - m2 ** 2) / (2 * rs), (s + m2 ** 2 - m1 ** 2) / (2 * rs)
    sth = math.sqrt(1 - cth ** 2)
    n = np.array([sth * math.cos(phi), sth * math.sin(phi), cth])
    p1 = np.array([rs / 2, 0, 0, rs / 2])
    p2 = np.array([rs / 2, 0, 0, -rs / 2])
    k1 = np.concatenate([[E1], p * n])
    k2 = np.concatenate([[E2], -p * n])
    return p1, p2, k1, k2


def fermion_tensor(p1, p2, PX):
    """L^{nu rho} = sum_spins [v(p2) gamma^nu PX u(p1)] [...]^* (massless fermions)."""
    return np.array([[np.trace(slash(p2) @ GAM[n] @ PX @ slash(p1) @ bar(GAM[r] @ PX))
                      for r in range(4)] for n in range(4)])


def dipole_tensor(k1, k2, m1, m2, Gam):
    """J^{nu rho} = sum_spins [u(k1) sigma^{mu nu} q_mu Gam v(k2)] [...]^*."""
    q = ETA @ (k1 + k2)
    V = [sum(SIG[m][n] * q[m] for m in range(4)) @ Gam for n in range(4)]
    A, B = slash(k1) + m1 * ONE, slash(k2) - m2 * ONE
    return np.array([[np.trace(A @ V[n] @ B @ bar(V[r])) for r in range(4)] for n in range(4)])


def contract(L, J):
    return np.einsum("n,r,nr,nr->", np.diag(ETA), np.diag(ETA), L, J)


RNG = np.random.default_rng(11)
POINTS = [(RNG.uniform(0, 300), RNG.uniform(0, 300), RNG.uniform(-1, 1)) for _ in range(4)]


@pytest.mark.parametrize("m1,m2,cth", POINTS)
def test_dipole_traces_against_explicit_dirac_algebra(m1, m2, cth):
    s = (m1 + m2 + RNG.uniform(10, 800)) ** 2
    p1, p2, k1, k2 = kinematics(s, cth, m1, m2)
    for X, PX in (("L", PL), ("R", PR)):
        L = fermion_tensor(p1, p2, PX)
        same = contract(L, dipole_tensor(k1, k2, m1, m2, G5))
        opp = contract(L, dipole_tensor(k1, k2, m1, m2, ONE))
        chR = contract(L, dipole_tensor(k1, k2, m1, m2, PR))
        chL = contract(L, dipole_tensor(k1, k2, m1, m2, PL))
        assert abs(same.imag) < 1e-9 * abs(same)
        np.testing.assert_allclose(same.real, pt.trace(s, cth, m1, m2, "same"), rtol=1e-9)
        np.testing.assert_allclose(opp.real, pt.trace(s, cth, m1, m2, "opposite"), rtol=1e-9)
        np.testing.assert_allclose((chR + chL).real, pt.trace(s, cth, m1, m2, "dirac"),
                                   rtol=1e-9)
        np.testing.assert_allclose(chR.real, pt.trace_chiral(s, cth, m1, m2, "R", X), rtol=1e-9)
        np.testing.assert_allclose(chL.real, pt.trace_chiral(s, cth, m1, m2, "L", X), rtol=1e-9)


def test_integrated_traces_and_full_partonic_cross_section():
    """∫ T dc in closed form vs Gauss-Legendre, and σ̂ = √λ Σ|A|² ∫T /(32π s² N_c) built
    from the explicit traces with complex γ+Z amplitudes of a u quark."""
    x, w = np.polynomial.legendre.leggauss(24)
    for m1, m2, rs in ((50.0, 120.0, 400.0), (3.0, 4.0, 91.0), (0.0, 700.0, 2000.0)):
        s = rs * rs
        for st in ("same", "opposite", "dirac"):
            num = np.sum(w * pt.trace(s, x, m1, m2, st))
            np.testing.assert_allclose(pt.trace_integrated(s, m1, m2, st), num, rtol=1e-12)
        num = np.sum(w * pt.trace_chiral(s, x, m1, m2, "R", "L"))
        np.testing.assert_allclose(pt.trace_integrated(s, m1, m2, "chiral"), num, rtol=1e-12)
    # full sigma-hat from explicit traces at the GL nodes
    m1, m2, s, d = 80.0, 150.0, 500.0 ** 2, 1e-6
    aL, aR = pt.amplitudes_neutral(s, "u", d, pt.d_Z_of_d_NN(d))
    tot = 0.0
    for cth, wt in zip(x, w):
        p1, p2, k1, k2 = kinematics(s, cth, m1, m2)
        J = dipole_tensor(k1, k2, m1, m2, G5)
        m2sum = 4 * (abs(aL) ** 2 * contract(fermion_tensor(p1, p2, PL), J)
                     + abs(aR) ** 2 * contract(fermion_tensor(p1, p2, PR), J)).real
        pcm = math.sqrt((s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2)) / (2 * math.sqrt(s))
        tot += wt * pcm / (16 * math.pi * s ** 1.5) * m2sum / 4 / 3   # spin, colour average
    np.testing.assert_allclose(pt.sigma_hat_neutral(s, "u", m1, m2, d, pt.d_Z_of_d_NN(d),
                                                     "same"), tot * c.GEV2_TO_PB, rtol=1e-10)


def test_high_energy_limit_is_pure_hypercharge_exchange():
    """At ŝ ≫ M_Z², e Q/s - g_Z g_X tan θ_w /(s - M_Z²) -> e Y_X / (c_w² s): B exchange."""
    e = math.sqrt(4 * math.pi * pt.alpha_mz())
    cw2 = 1 - c.SIN2_THETA_W
    for q in ("u", "d", "e"):
        Q, T3 = pt.FERMIONS[q]
        for s in (1e8, 1e10):
            aL, aR = pt.amplitudes_neutral(s, q, 1.0, -pt.tan_theta_w())
            np.testing.assert_allclose(aL.real, e * (Q - T3) / (cw2 * s), rtol=3 * c.M_Z ** 2 / s)
            np.testing.assert_allclose(aR.real, e * Q / (cw2 * s), rtol=3 * c.M_Z ** 2 / s)
    # and the hadronic cross section at high mass: ratio to the hypercharge-only estimate
    sig = pt.sigma_hat_neutral(1e8, "u", 1000.0, 2000.0, 1e-6, pt.d_Z_of_d_NN(1e-6), "same")
    Y2 = (1 / 6) ** 2 + (2 / 3) ** 2
    hyp = (pt.phase_space_factor(1e8, 1000.0, 2000.0, 3) * (e * 1e-6 / (cw2 * 1e8)) ** 2 * Y2
           * pt.trace_integrated(1e8, 1000.0, 2000.0, "same") * c.GEV2_TO_PB)
    np.testing.assert_allclose(sig, hyp, rtol=1e-3)


def test_massless_dirac_limit_is_the_ee_cross_section_of_seed_002():
    """m2 = 0, Dirac (N nu-bar + N-bar nu): the e+e- -> N nu formulas of
    hnlfit.physics.dipole.ee_to_N_nu (seed 002 with its typos fixed), with the electron's
    couplings; with quark couplings the photon part scales by Q_q²/N_c."""
    for rs, m, dg, dz in ((91.0, 5.0, 1e-5, 3e-6), (200.0, 80.0, 2e-6, -1e-6), (30.0, 0.0, 1e-5, 0.0)):
        mine = pt.sigma_hat_neutral(rs * rs, "e", m, 0.0, dg, dz, "dirac", alpha=c.ALPHA_EM)
        theirs = ee.sigma(rs, m, dg, dz, 0.0, alpha=c.ALPHA_EM)
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)
        for q in ("u", "d"):
            Q = pt.FERMIONS[q][0]
            np.testing.assert_allclose(
                pt.sigma_hat_neutral(rs * rs, q, m, 0.0, dg, 0.0, "dirac", alpha=c.ALPHA_EM),
                ee.sigma(rs, m, dg, 0.0, 0.0, alpha=c.ALPHA_EM) * Q * Q / 3, rtol=1e-12)
    # m1 = m2 = 0: the Majorana structures and the Dirac sum agree (chirality decouples)
    s = 300.0 ** 2
    vals = [pt.trace_integrated(s, 0.0, 0.0, st) for st in ("same", "opposite", "dirac")]
    np.testing.assert_allclose(vals, vals[0], rtol=1e-14)


def test_threshold_beta3_for_equal_and_beta_for_opposite_cp():
    m1, m2 = 120.0, 300.0
    s0 = (m1 + m2) ** 2
    eps = np.array([1e-4, 1e-6])
    s = s0 * (1 + eps)
    beta = np.sqrt(1 - s0 / s)
    for st, power in (("same", 3.0), ("opposite", 1.0), ("dirac", 1.0)):
        sig = pt.sigma_hat_neutral(s, "u", m1, m2, 1e-6, pt.d_Z_of_d_NN(1e-6), st)
        slope = math.log(sig[0] / sig[1]) / math.log(beta[0] / beta[1])
        assert slope == pytest.approx(power, abs=0.01)
    assert pt.sigma_hat_neutral(s0 * 0.999, "u", m1, m2, 1e-6, 0.0, "same") == 0.0
    # hadronic: equal parities are suppressed relative to opposite ones near threshold
    r_near = prod.sigma_pp_to_N1N2(500, 510, 1e-6) / prod.sigma_pp_to_N1N2(500, 510, 1e-6, cp="opposite")
    r_far = prod.sigma_pp_to_N1N2(1, 510, 1e-6) / prod.sigma_pp_to_N1N2(1, 510, 1e-6, cp="opposite")
    assert r_near < 0.5 < r_far


def test_dirac_is_the_average_of_the_majorana_parities_and_sigma_scales_as_d2():
    m1, m2 = np.array([10.0, 90.0, 400.0]), np.array([30.0, 100.0, 900.0])
    same = prod.sigma_pp_to_N1N2(m1, m2, 1e-6)
    opp = prod.sigma_pp_to_N1N2(m1, m2, 1e-6, cp="opposite")
    dirac = prod.sigma_pp_to_N1N2(m1, m2, 1e-6, majorana=False)
    np.testing.assert_allclose(dirac, 0.5 * (same + opp), rtol=1e-12)
    np.testing.assert_allclose(prod.sigma_pp_to_N1N2(m1, m2, -3e-6), 9 * same, rtol=1e-12)
    assert np.all(prod.sigma_pp_to_N1N2(m1, m2, 0.0) == 0.0)


def test_integration_converges():
    """The piecewise Gauss-Legendre ŝ integral against 4x the nodes, across the Z pole."""
    m1 = np.array([1.0, 20.0, 40.0, 44.0, 100.0, 800.0])
    m2 = np.array([3.0, 50.0, 48.0, 46.5, 150.0, 1500.0])
    ref_nodes = tuple(4 * k for k in prod.PIECE_NODES)
    lo = prod._threshold(m1, m2)
    for st in ("same", "opposite"):
        base = prod.sigma_pp_to_N1N2(m1, m2, 1e-6, cp=st)
        orig = prod.PIECE_NODES
        try:
            prod.PIECE_NODES = ref_nodes
            prod.shat_nodes.__defaults__ = (ref_nodes, "gauss")
            ref = prod.sigma_pp_to_N1N2(m1, m2, 1e-6, cp=st)
        finally:
            prod.PIECE_NODES = orig
            prod.shat_nodes.__defaults__ = (orig, "gauss")
        np.testing.assert_allclose(base, ref, rtol=2e-4)
    assert lo.shape == m1.shape


def test_z_width_limits_and_narrow_width_consistency():
    # m1 -> 0 (Majorana): the Z -> nu N width of the active-sterile dipole (both states)
    m = np.array([5.0, 40.0, 80.0])
    dz = pt.d_Z_of_d_NN(1e-5)
    np.testing.assert_allclose(lep.gamma_Z_to_N1N2(0.0, m, 1e-5), ee.gamma_Z_to_nu_N(m, dz),
                               rtol=1e-12)
    assert lep.gamma_Z_to_N1N2(50.0, 45.0, 1e-5) == 0.0
    assert lep.gamma_Z_to_N1N2(10.0, 20.0, 0.0) == 0.0
    # narrow width: σ(ee -> Z -> N1N2) at the peak = 12π Γ_ee Γ_NN / (M_Z² Γ_Z²)
    alpha = pt.alpha_mz()
    e, g, gz, sw, cw = ee.gauge_couplings(alpha)
    Q, gl, gr = pt.chiral_couplings("e")
    gamma_ee = gz * gz * (gl * gl + gr * gr) * c.M_Z / (24 * math.pi)   # massless f: g²M/(24π)
    for st, (maj, cp) in (("same", (True, "same")), ("opp", (True, "opposite")),
                          ("dirac", (False, "same"))):
        m1, m2 = 12.0, 55.0
        sig = pt.sigma_hat_neutral(c.M_Z ** 2, "e", m1, m2, 0.0, dz, pt.structure_for(maj, cp),
                                   alpha)
        width = lep.gamma_Z_to_N1N2(m1, m2, 1e-5, maj, cp)
        nwa = 12 * math.pi * gamma_ee * width / (c.M_Z ** 2 * c.GAMMA_Z ** 2) * c.GEV2_TO_PB
        np.testing.assert_allclose(sig, nwa, rtol=1e-10)


def test_w_mixing_and_dipole_against_textbook_and_the_w_width():
    from hnlfit.physics.forward.wz_production import gamma_W_to_l_N
    g = pt.g_weak()
    s = 300.0 ** 2
    textbook = g ** 4 * s * abs(pt.w_propagator(s)) ** 2 / (576 * math.pi) * c.GEV2_TO_PB
    np.testing.assert_allclose(pt.sigma_hat_W_mixing(s, 0.0, 0.0, 1.0), textbook, rtol=1e-12)
    # at the pole, σ̂(N)/σ̂(ν) = Γ(W -> l N)/Γ(W -> l nu) for the mixing and for the dipole
    s = c.M_W ** 2
    gamma_enu = g * g * c.M_W / (48 * math.pi)
    for m in (10.0, 50.0):
        x = m * m / c.M_W ** 2
        np.testing.assert_allclose(pt.sigma_hat_W_mixing(s, m, 0.0, 1.0) / pt.sigma_hat_W_mixing(s, 0.0, 0.0, 1.0),
                                   (1 - x) ** 2 * (1 + x / 2), rtol=1e-12)
        np.testing.assert_allclose(pt.sigma_hat_W_dipole(s, m, 0.0, 1e-6) / pt.sigma_hat_W_mixing(s, 0.0, 0.0, 1.0),
                                   gamma_W_to_l_N(m, 1e-6) / gamma_enu, rtol=1e-10)
    # the mixing angular distribution from an explicit V-A trace
    m1, m2, cth = 60.0, 0.0, 0.4
    s = 250.0 ** 2
    p1, p2, k1, k2 = kinematics(s, cth, m1, m2)
    Lq = fermion_tensor(p1, p2, PL)
    A, B = slash(k1) + m1 * ONE, slash(k2) - m2 * ONE
    Jl = np.array([[np.trace(A @ GAM[n] @ PL @ B @ bar(GAM[r] @ PL)) for r in range(4)]
                   for n in range(4)])
    sum_m2 = contract(Lq, Jl).real          # Σ|M|² / ((g²/2)² |V U P_W|²)
    # = 16 (p1.k2)(p2.k1), with (p1.k2)(p2.k1) = (s/4)(E2 + p c)(E1 + p c)
    np.testing.assert_allclose(sum_m2, 16 * (s / 4) * pt.angular_W_mixing(s, cth, m1, m2),
                               rtol=1e-10)


def test_hadronic_cross_sections_sanity_and_eft_fraction():
    s1 = prod.sigma_pp_to_N1N2(90.0, 100.0, 1e-6)
    s2 = prod.sigma_pp_to_N1N2(450.0, 500.0, 1e-6)
    assert s1 > s2 > 0
    assert prod.sigma_pp_to_N1N2(90.0, 100.0, 1e-6, sqrt_s=13600.0) < s1
    up, down = (prod.sigma_pp_to_N1N2(90.0, 100.0, 1e-6, scale=k) for k in ("up", "down"))
    assert abs(up / s1 - 1) < 0.2 and abs(down / s1 - 1) < 0.2 and up != down
    f = prod.fraction_above(np.array([10.0, 300.0, 1e5]), 90.0, 100.0)
    np.testing.assert_allclose(f[[0, 2]], [1.0, 0.0], atol=1e-12)
    assert 0 < f[1] < 1
    # Λ as the input: d_NN = 2 c_w / Λ
    lam = 2e6
    a = predict("sigma_pp_to_N1N2", m_N1=90.0, m_N2=100.0, Lambda=lam, coupling="Lambda")
    b = predict("sigma_pp_to_N1N2", m_N1=90.0, m_N2=100.0,
                d_NN=2 * math.sqrt(1 - c.SIN2_THETA_W) / lam)
    np.testing.assert_allclose(a, b, rtol=1e-12)
    # active-sterile and mixing channels are positive and scale with their couplings
    assert prod.sigma_pp_to_N_nu(100.0, 1e-6, 0.0) > 0
    np.testing.assert_allclose(prod.sigma_pp_to_l_N_mixing(100.0, 2e-4),
                               2 * prod.sigma_pp_to_l_N_mixing(100.0, 1e-4), rtol=1e-12)
    assert prod.sigma_pp_to_l_N_dipole(100.0, 0.0) == 0.0


def test_observables_no_hnl_point_and_bad_inputs():
    assert predict("sigma_pp_to_N1N2", m_N1=50.0, m_N2=60.0, d_NN=0.0) == 0.0
    assert predict("gamma_Z_to_N1N2", m_N1=5.0, m_N2=6.0, d_NN=0.0) == 0.0
    assert predict("sigma_pp_to_N_nu", m_N=50.0) == 0.0
    assert predict("sigma_pp_to_W_to_l_N", m_N=50.0) == 0.0
    with pytest.raises(ParameterError, match="m_N1"):
        predict("sigma_pp_to_N1N2", m_N1=70.0, m_N2=60.0, d_NN=1e-6)
    with pytest.raises(HnlfitError, match="13600"):
        predict("sigma_pp_to_N1N2", m_N1=50.0, m_N2=60.0, d_NN=1e-6, sqrt_s=13000.0)
    with pytest.raises((HnlfitError, ValueError), match="cp"):
        predict("sigma_pp_to_N1N2", m_N1=50.0, m_N2=60.0, d_NN=1e-6, cp="odd")
    with pytest.raises(HnlfitError, match="scale"):
        predict("sigma_pp_to_N1N2", m_N1=50.0, m_N2=60.0, d_NN=1e-6, scale="double")
    with pytest.raises(ParameterError, match="coupling"):
        predict("sigma_pp_to_N1N2", m_N1=50.0, m_N2=60.0, d_NN=1e-6, coupling="C")


def _cm_cos(p_a, p_b):
    """cos θ* of particle a in the pair's rest frame (boost along z, then the angle to +z)."""
    P = p_a + p_b
    y = 0.5 * np.log((P[:, 0] + P[:, 3]) / (P[:, 0] - P[:, 3]))
    E = p_a[:, 0] * np.cosh(y) - p_a[:, 3] * np.sinh(y)
    pz = p_a[:, 3] * np.cosh(y) - p_a[:, 0] * np.sinh(y)
    pabs = np.sqrt(E ** 2 - (p_a[:, 0] ** 2 - (p_a[:, 1:] ** 2).sum(1)))
    return pz / pabs


def test_sampler_kinematics_and_distributions():
    m1, m2, n = 90.0, 100.0, 40000
    for cp in ("same", "opposite"):
        ev = prod.sample_pp_to_N1N2(m1, m2, n, cp=cp, seed=3)
        p1, p2 = ev["p_N1"], ev["p_N2"]
        assert p1.shape == (n, 4) and np.all(ev["weight"] == 1.0)
        np.testing.assert_allclose(p1[:, 0] ** 2 - (p1[:, 1:] ** 2).sum(1), m1 * m1, rtol=1e-6)
        np.testing.assert_allclose(p1[:, 1:3] + p2[:, 1:3], 0.0, atol=1e-8)
        # √ŝ spectrum against the integrated cross section in bins
        rs = ev["sqrt_shat"]
        edges = np.array([m1 + m2, 250.0, 400.0, 700.0, 1500.0])
        hist = np.histogram(rs, edges)[0] / n
        tot = prod.sigma_pp_to_N1N2(m1, m2, 1.0, cp=cp)
        cum = np.array([prod.sigma_pp_to_N1N2(m1, m2, 1.0, cp=cp, sqrt_shat_min=e)
                        for e in edges]) / tot
        expect = cum[:-1] - cum[1:]
        assert np.all(np.abs(hist - expect) < 4 * np.sqrt(expect / n) + 1e-3), (hist, expect)
        # the CM angular distribution: <c²> of the matrix element, averaged over the events' ŝ
        cs = _cm_cos(p1, p2)
        x, w = np.polynomial.legendre.leggauss(16)
        sh = rs[:2000, None] ** 2
        T = pt.trace(sh, x, m1, m2, cp)
        c2 = np.mean(np.sum(w * T * x * x, axis=1) / np.sum(w * T, axis=1))
        assert np.mean(cs[:2000] ** 2) == pytest.approx(c2, abs=4 * 0.3 / np.sqrt(2000))
    same = prod.sample_pp_to_N1N2(m1, m2, 1000, seed=5)
    again = prod.sample_pp_to_N1N2(m1, m2, 1000, seed=5)
    np.testing.assert_array_equal(same["p_N1"], again["p_N1"])


def test_w_sampler_charge_ratio_and_forward_backward():
    ev = prod.sample_pp_to_l_N(80.0, 30000, coupling="mixing", seed=2)
    frac_plus = np.mean(ev["charge"] > 0)
    plus = prod._charged_integral(lambda sh: pt.sigma_hat_W_mixing(sh, 80.0, 0.0, 1.0),
                                  np.float64(80.0 ** 2), 14000.0, "nominal", charges=(1,))
    tot = prod.sigma_pp_to_l_N_mixing(80.0, 1.0)
    assert frac_plus == pytest.approx(plus / tot, abs=0.015)
    pN, pl = ev["p_N"], ev["p_l"]
    np.testing.assert_allclose(pN[:, 0] ** 2 - (pN[:, 1:] ** 2).sum(1), 6400.0, rtol=1e-6)


def test_lep_monophoton_efficiency_reduces_to_the_n_nu_tables_for_massless_n1():
    """m_N1 -> 0: e+e- -> N1 N2 (Majorana, equal parities) has the kinematics and angular
    distribution of e+e- -> N nu, and N2 -> N1 gamma the photon of N -> nu gamma, so the
    efficiency equals the isotropic (Majorana) monophoton table of the existing analyses."""
    from hnlfit.physics.dipole import monophoton as mono
    from hnlfit.physics.dipole.hnl_decays import decay_length
    for an_name in ("delphi_lep2", "l3_z"):
        an = mono.get_analysis(an_name)
        m2 = np.array([5.0, 40.0, 70.0])
        d = np.array([3e-4, 1e-6, 1e-7])
        m1 = np.full_like(m2, 1e-7)
        eff = lep.monophoton_efficiency(an_name, m1, m2, d)
        width = lep.n2_total_width(m1, m2, d)
        E2 = (an.s + m2 ** 2) / (2 * an.sqrt_s)
        lam = decay_length(m2, E2, width) / an.r
        ref = mono.efficiency(an, "LL", m2 / an.sqrt_s, lam, polarised=False)
        np.testing.assert_allclose(eff, ref, rtol=0.02, atol=1e-4)


def test_lep_monophoton_efficiency_against_brute_force_monte_carlo():
    from hnlfit.physics.dipole import monophoton as mono
    an = mono.get_analysis("delphi_lep2")
    m1, m2, d = 20.0, 30.0, 5e-10          # c tau of N2 ~ 1 m: the decay volume matters
    rng = np.random.default_rng(7)
    n = 200_000
    s = an.s
    # N2 direction from T_same(c) by rejection
    cth = rng.uniform(-1, 1, 4 * n)
    keep = rng.random(4 * n) * pt.trace(s, 0.0, m1, m2, "same") < pt.trace(s, cth, m1, m2, "same")
    cth = cth[keep][:n]
    phi = rng.uniform(0, 2 * math.pi, len(cth))
    E2, beta, p2 = lep._n2_kinematics(an.sqrt_s, m1, m2)
    n2 = np.stack([np.sqrt(1 - cth ** 2) * np.cos(phi), np.sqrt(1 - cth ** 2) * np.sin(phi), cth], 1)
    # decay point
    width = lep.n2_total_width(m1, m2, d)
    L = p2 / m2 * c.HBARC_GEV_M / width
    l = rng.exponential(L, len(cth))
    inside = l < mono.decay_reach(cth, an.r, an.z_half) * an.r
    # photon isotropic in the N2 frame, boosted along n2
    cs = rng.uniform(-1, 1, len(cth))
    ps = rng.uniform(0, 2 * math.pi, len(cth))
    Es = (m2 ** 2 - m1 ** 2) / (2 * m2)
    gam = E2 / m2
    # rest-frame photon momentum components: along n2 and perpendicular
    e1 = np.cross(n2, [0.0, 0.0, 1.0] * np.ones((len(cth), 1)))
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(n2, e1)
    perp = Es * np.sqrt(1 - cs ** 2)
    par = gam * (Es * cs + beta * Es)
    E = gam * (Es + beta * Es * cs)
    pvec = par[:, None] * n2 + perp[:, None] * (np.cos(ps)[:, None] * e1 + np.sin(ps)[:, None] * e2)
    cos_g = pvec[:, 2] / E
    acc = an.accepts(E, cos_g) & inside
    mc = acc.mean()
    mine = lep.monophoton_efficiency("delphi_lep2", m1, m2, d)
    assert mine == pytest.approx(mc, abs=4 * math.sqrt(mc * (1 - mc) / len(cth)) + 2e-3)
    prompt = lep.monophoton_efficiency("delphi_lep2", m1, m2, 1e-6)
    assert 0.05 < mine < 0.9 * prompt             # a decay length comparable to the HPC


def test_lep_sterile_likelihood_no_hnl_and_monotonic():
    from hnlfit import build_likelihood, make_point
    like = build_likelihood("lep_sterile")
    chi2 = like(make_point(m_N1=30.0, m_N2=40.0, d_NN=np.array([0.0, 1e-5, 1e-4, 1e-3])))
    assert chi2[0] == 0.0
    assert np.all(np.diff(chi2) > 0) and chi2[-1] > 4


def test_production_by_coupling_rows():
    out = prod.production_by_coupling(90.0, 100.0, d_NN=1e-6, d_gamma=1e-7, a=1.0, U2=1e-8)
    dz, dw = (1e-7 * x for x in dipoles_from_ratio(1.0, 1.0))
    np.testing.assert_allclose(out["C_NNB"], prod.sigma_pp_to_N1N2(90.0, 100.0, 1e-6), rtol=1e-12)
    np.testing.assert_allclose(out["C_NB"], prod.sigma_pp_to_N_nu(100.0, 1e-7, dz)
                               + prod.sigma_pp_to_l_N_dipole(100.0, dw, c.M_E), rtol=1e-12)
    np.testing.assert_allclose(out["V_lN_N1"], prod.sigma_pp_to_l_N_mixing(90.0, 1e-8, c.M_E),
                               rtol=1e-12)
    zero = prod.production_by_coupling(90.0, 100.0)
    assert all(float(v) == 0.0 for v in zero.values())


def test_z_pole_production_against_pythia_z_cross_section():
    """Light N1 N2 through the Z part alone: σ(pp → Z* → N1N2) = σ(pp → Z) Γ(Z → N1N2)/Γ_Z
    in the narrow-width limit, with Pythia's LO σ(pp → Z) of the shipped Z spectra run
    (WeakSingleBoson:ffbar2gmZ, gmZmode = 2, same PDF, μ_F = m̂): tests the Z couplings, the
    Breit-Wigner integration and the q q-bar luminosities together."""
    import json
    from hnlfit.physics.lhc import luminosity as lum
    meta = json.loads((lum.data_dir().parent / "spectra" / "14TeV" / "metadata.json").read_text())
    sigma_z_pb = meta["processes"]["zboson"]["sigma_gen_mb"] * 1e9
    m1, m2 = 1.0, 2.0
    _, _, IZZ = prod.neutral_integrals(m1, m2, "same")
    zonly = IZZ * pt.d_Z_of_d_NN(1e-6) ** 2
    nwa = sigma_z_pb * lep.gamma_Z_to_N1N2(m1, m2, 1e-6) / c.GAMMA_Z
    assert zonly == pytest.approx(nwa, rel=0.01)        # 0.3% found


def test_angular_sampling_of_the_chiral_and_mixing_distributions():
    """<cos θ*> of the rejection sampler against the analytic mean of the W-mixing and the
    W-dipole (chiral P_L) distributions, which are forward-backward asymmetric."""
    rng = np.random.default_rng(4)
    n = 60000
    sh = np.full(n, 300.0 ** 2)
    x, w = np.polynomial.legendre.leggauss(32)
    for dens in (lambda s, cc: pt.angular_W_mixing(s, cc, 80.0, 0.0),
                 lambda s, cc: pt.trace_chiral(s, cc, 80.0, 0.0, "L", "L")):
        bound = 1.001 * np.max(np.abs(dens(sh[:1, None], np.linspace(-1, 1, 201)[None, :])))
        cs = prod._sample_cos(rng, lambda cc, i: dens(sh[i], cc), n, np.full(n, bound))
        f = dens(300.0 ** 2, x)
        mean = np.sum(w * x * f) / np.sum(w * f)
        assert abs(mean) > 0.05
        assert np.mean(cs) == pytest.approx(mean, abs=4 * 0.6 / math.sqrt(n))
