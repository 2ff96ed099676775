"""Monophoton signal: N polarisation, photon kinematics, acceptance tables, observables.

Independent evaluations used here:
* the production x decay chain e+e- -> nu-bar (N -> nu gamma) built from the Feynman rules
  with explicit 4x4 Dirac matrices and spinors (numerator k-slash + m_N, so every spin
  correlation is kept) against the polarised kernels w - u cos(theta*) - v sin(theta*) cos(phi*);
* a Monte Carlo of whole events (exponential decay position, cylinder geometry, photon
  four-vectors boosted with the Lorentz matrix, cuts written out from the analysis numbers)
  against the tabulated and interpolated efficiencies;
* brute-force sampling of the photon direction against the analytic phi* integration.
"""
import math

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.physics.dipole import ee_to_N_nu as ee
from hnlfit.physics.dipole import monophoton as mp
from hnlfit.physics.dipole.scenarios import preset

# ---------------------------------------------------------------------------------------
# explicit Dirac algebra (Dirac representation), as in tests/test_ee_to_N_nu.py

from dirac import ETA, G0, G5, GAM, I2, ONE, PAULI, PL, PR, SIG, Z2, slash  # noqa: F401  (tests/dirac.py)


def lower(p):
    return ETA @ np.asarray(p)


def _spinors(p, m, kind):
    E, vec = p[0], np.asarray(p[1:])
    sp = sum(vec[i] * PAULI[i] for i in range(3))
    out = []
    for chi in (np.array([1, 0], complex), np.array([0, 1], complex)):
        if kind == "u":
            out.append(np.concatenate([math.sqrt(E + m) * chi, sp @ chi / math.sqrt(E + m)]))
        else:
            out.append(np.concatenate([sp @ chi / math.sqrt(E + m), math.sqrt(E + m) * chi]))
    return out


def bar(sp):
    return sp.conj() @ G0


def dipole_vertex(d, q, chir):
    ql = lower(q)
    out = []
    for nu in range(4):
        acc = np.zeros((4, 4), complex)
        for mu in range(4):
            acc += SIG[mu][nu] * ql[mu] - SIG[nu][mu] * ql[mu]
        out.append(d * acc @ chir)
    return out


def vector_vertex(cl, cr):
    return [1j * GAM[m] @ (cl * PL + cr * PR) for m in range(4)]


def propagator(q, M, width):
    ql = lower(q)
    q2 = q @ ETA @ q
    num = ETA - (np.outer(ql, ql) / M ** 2 if M > 0 else 0.0)
    return -1j * num / (q2 - M * M + 1j * M * width)


def current(a, vertex, b):
    return np.array([a @ vertex[m] @ b for m in range(4)])


def frame(cth, phi):
    sth = math.sqrt(1 - cth * cth)
    n = np.array([sth * math.cos(phi), sth * math.sin(phi), cth])
    e_th = np.array([cth * math.cos(phi), cth * math.sin(phi), -sth])
    return n, e_th, np.cross(n, e_th)


def boost(k_rest, n, beta):
    """Lorentz boost of a four-vector from the N rest frame to the lab (N moves along n)."""
    gam = 1.0 / math.sqrt(1.0 - beta * beta)
    par = k_rest[1:] @ n
    E = gam * (k_rest[0] + beta * par)
    vec = k_rest[1:] + ((gam - 1.0) * par + gam * beta * k_rest[0]) * n
    return np.concatenate([[E], vec])


def msq_chain(s, m, cth, phi, dg, dz, dw, cos_star, phi_star):
    """sum over spins |M|^2 of e-(p1) e+(p2) -> nu-bar(k2) [N(k1) -> nu(k3) gamma(k4)], N on
    shell, numerator (k1-slash + m): the full spin correlation between production and decay."""
    e, g, gz, sw, cw = ee.gauge_couplings()
    gl, gr = -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W
    rs = math.sqrt(s)
    k = (s - m * m) / (2 * rs)
    n, e_th, e_ph = frame(cth, phi)
    p1, p2 = np.array([rs / 2, 0, 0, rs / 2]), np.array([rs / 2, 0, 0, -rs / 2])
    k1 = np.concatenate([[math.sqrt(k * k + m * m)], k * n])
    k2 = np.concatenate([[k], -k * n])
    ss = math.sqrt(1 - cos_star ** 2)
    d = cos_star * n + ss * (math.cos(phi_star) * e_th + math.sin(phi_star) * e_ph)
    k4 = boost(np.concatenate([[m / 2], m / 2 * d]), n, k / k1[0])
    k3 = k1 - k4
    q = p1 + p2
    qt = k1 - p1
    v_gam, v_z = vector_vertex(-e, -e), vector_vertex(gz * gl, gz * gr)
    v_w = vector_vertex(g / math.sqrt(2), 0.0)
    P_gam, P_z, P_w = propagator(q, 0, 0), propagator(q, c.M_Z, c.GAMMA_Z), propagator(qt, c.M_W, 0)
    D_gam, D_z, D_w = dipole_vertex(dg, q, PL), dipole_vertex(dz, q, PL), dipole_vertex(dw, qt, PL)
    D_dec = dipole_vertex(1.0, -k4, PR)          # outgoing photon
    nvec = k4[1:] / k4[0]
    a = np.array([1.0, 0, 0]) if abs(nvec[0]) < 0.9 else np.array([0, 1.0, 0])
    e1 = np.cross(nvec, a)
    e1 /= np.linalg.norm(e1)
    pols = [np.concatenate([[0], e1]), np.concatenate([[0], np.cross(nvec, e1)])]
    num = slash(k1) + m * ONE
    total = 0.0
    for u1 in _spinors(p1, 0.0, "u"):
        for v2 in _spinors(p2, 0.0, "v"):
            je_g, je_z = current(bar(v2), v_gam, u1), current(bar(v2), v_z, u1)
            for u3 in _spinors(k3, 0.0, "u"):
                for eps in pols:
                    epsl = lower(eps)
                    left = bar(u3) @ sum(D_dec[i] * epsl[i] for i in range(4)) @ num
                    for vn in _spinors(k2, 0.0, "v"):
                        amp_s = (je_g @ P_gam @ current(left, D_gam, vn)
                                 + je_z @ P_z @ current(left, D_z, vn))
                        amp_t = current(left, D_w, u1) @ P_w @ current(bar(v2), v_w, vn)
                        total += abs(amp_s - amp_t) ** 2
    return total


def kernel_total(s, m, cth, dg, dz, dw):
    """w, u, v of the full production (all structures with their couplings)."""
    aL, aR = ee.s_channel_amplitudes(s, dg, dz)
    kern = mp.structure_kernels(math.sqrt(s), m, cth)
    coef = {"LL": abs(aL) ** 2, "RR": abs(aR) ** 2, "WW": dw * dw, "WL": dw * aL.real}
    return [sum(coef[k] * kern[k][i] for k in mp.STRUCTURES) for i in range(3)]


# ---------------------------------------------------------------------------------------
# polarisation


@pytest.mark.parametrize("case", ["gamma", "Z", "W", "all"])
def test_polarised_kernels_match_the_full_production_times_decay_matrix_element(case):
    rng = np.random.default_rng(abs(hash(case)) % 2**32)
    for _ in range(4):
        rs = rng.uniform(20.0, 350.0)
        m = rng.uniform(0.02, 0.95) * rs
        s = rs * rs
        cth, phi = rng.uniform(-0.98, 0.98), rng.uniform(0, 2 * math.pi)
        dg, dz, dw = rng.normal(size=3) * 1e-3
        dg, dz, dw = {"gamma": (dg, 0, 0), "Z": (0, dz, 0), "W": (0, 0, dw),
                      "all": (dg, dz, dw)}[case]
        w, u, v = kernel_total(s, m, cth, dg, dz, dw)
        ratios = []
        for _ in range(4):
            cs, ph = rng.uniform(-1, 1), rng.uniform(0, 2 * math.pi)
            # average phi* and -phi*: removes the normal polarisation (Z width), which
            # integrates out of every cut on energy and polar angle
            full = 0.5 * (msq_chain(s, m, cth, phi, dg, dz, dw, cs, ph)
                          + msq_chain(s, m, cth, phi, dg, dz, dw, cs, -ph))
            ratios.append(full / (w - u * cs - v * math.sqrt(1 - cs * cs) * math.cos(ph)))
        # the ratio is the same for every photon direction: the angular shape is exact
        assert np.allclose(ratios, ratios[0], rtol=1e-9)
        # normalisation: production sum|M|^2 = 4 w (ee_to_N_nu docstring) times the decay
        # sum|M|^2 = 8 m^4 d^2 (hnl_decays) per N spin state (1/2): 4 w x 4 m^4 (d = 1)
        assert ratios[0] == pytest.approx(16.0 * m ** 4, rel=1e-9)


def test_light_dirac_N_gives_a_falling_photon_spectrum():
    """m_N -> 0: helicity +1/2, photon opposite to the spin, dN/dx = 2(1 - x): the fraction
    with E_gamma > x0 E_N is (1 - x0)^2; isotropic (Majorana) it is 1 - x0."""
    an = mp.Analysis(name="t", sqrt_s=200.0, E_lo=30.0, r=1e3, z_half=1e3)
    x0 = 30.0 / 100.0
    tab = mp._compute_tables(an)
    assert tab["LL_pol"][0, 0] == pytest.approx((1 - x0) ** 2, rel=1e-4)
    assert tab["LL_iso"][0, 0] == pytest.approx(1 - x0, rel=1e-4)
    assert tab["WW_pol"][0, 0] == pytest.approx((1 - x0) ** 2, rel=1e-4)


# ---------------------------------------------------------------------------------------
# cross-section pieces


def test_structure_sigmas_add_up_to_the_total_and_match_the_kernels():
    rng = np.random.default_rng(11)
    x, wts = np.polynomial.legendre.leggauss(200)
    for _ in range(20):
        rs = rng.uniform(10, 400)
        m = rng.uniform(0, 0.99) * rs
        dg, dz, dw = rng.normal(size=3) * 1e-4
        parts = mp.structure_sigmas(rs, m, dg, dz, dw)
        assert sum(parts.values()) == pytest.approx(ee.sigma(rs, m, dg, dz, dw), rel=1e-10)
        # integral of the unpolarised kernels = the closed forms
        kern = mp.structure_kernels(rs, m, x)
        aL, aR = ee.s_channel_amplitudes(rs * rs, dg, dz)
        coef = {"LL": abs(aL) ** 2, "RR": abs(aR) ** 2, "WW": dw * dw, "WL": dw * aL.real}
        s = rs * rs
        pref = 2 * c.GEV2_TO_PB * 4 * (s - m * m) / (128 * math.pi * s * s)
        for k in mp.STRUCTURES:
            num = pref * coef[k] * np.sum(wts * kern[k][0])
            assert num == pytest.approx(parts[k], rel=1e-6, abs=1e-30)


def test_polarisation_is_physical():
    """|P| <= 1 for every structure on its own (LL, RR, WW are pure states: |P| = 1)."""
    cs = np.linspace(-0.99, 0.99, 51)
    for rs, m in ((91.2, 10.0), (205.4, 150.0), (360.0, 3.0)):
        kern = mp.structure_kernels(rs, m, cs)
        for k in ("LL", "RR", "WW"):
            w, u, v = kern[k]
            np.testing.assert_allclose(u * u + v * v, w * w, rtol=1e-10)


# ---------------------------------------------------------------------------------------
# acceptance


def mc_photons(an, x, cos_N, n, rng):
    """Photon lab energy, cos(theta) and recoil mass from boosted four-vectors."""
    m = x * an.sqrt_s
    s = an.s
    k = (s - m * m) / (2 * an.sqrt_s)
    E_N = math.sqrt(k * k + m * m)
    beta = k / E_N
    nN, e_th, e_ph = frame(cos_N, 0.3)
    cs = rng.uniform(-1, 1, n)
    ph = rng.uniform(0, 2 * math.pi, n)
    ss = np.sqrt(1 - cs * cs)
    d = cs[:, None] * nN + ss[:, None] * (np.cos(ph)[:, None] * e_th + np.sin(ph)[:, None] * e_ph)
    gam = 1 / math.sqrt(1 - beta * beta)
    par = (m / 2) * (d @ nN)
    E = gam * (m / 2 + beta * par)
    vec = (m / 2) * d + ((gam - 1) * par + gam * beta * m / 2)[:, None] * nN
    cos_g = vec[:, 2] / np.linalg.norm(vec, axis=1)
    m_rec2 = s - 2 * an.sqrt_s * E
    return cs, ph, ss, E, cos_g, m_rec2


def cuts_by_hand(an, E, cos_g, m_rec2):
    ok = (E > an.E_lo) & (E < an.E_hi) & (np.abs(cos_g) < an.abs_cos_max)
    if an.bhabha_theta_b is not None:
        sin_g = np.sqrt(1 - cos_g ** 2)
        ok &= E > an.sqrt_s / (1 + sin_g / math.sin(an.bhabha_theta_b))
    if an.recoil_veto is not None:
        m_rec = np.sqrt(np.clip(m_rec2, 0, None))
        ok &= ~((m_rec > an.recoil_veto[0]) & (m_rec < an.recoil_veto[1]))
    return ok


@pytest.mark.parametrize("name", ["delphi_lep2", "opal_lep1", "l3_z", "cepc_H"])
def test_acceptance_moments_against_sampled_photon_directions(name):
    an = mp.get_analysis(name)
    rng = np.random.default_rng(5)
    for x, cos_N in ((0.02, 0.3), (0.4, -0.65), (0.8, 0.1), (0.3, 0.95)):
        n = 400_000
        cs, ph, ss, E, cos_g, mrec2 = mc_photons(an, x, cos_N, n, rng)
        ok = cuts_by_hand(an, E, cos_g, mrec2)
        mc = [ok.mean(), (ok * cs).mean(), (ok * ss * np.cos(ph)).mean()]
        ana = mp.acceptance_moments(an, x, cos_N)
        for a, b in zip(ana, mc):
            assert float(a) == pytest.approx(b, abs=4e-3)


def mc_efficiency(an, structure, x, lam, polarised, n, rng):
    """Whole-event Monte Carlo: N angle and photon direction weighted by the polarised
    kernel, decay point exponential along the N, cylinder volume, cuts by hand."""
    m = x * an.sqrt_s
    cn = rng.uniform(-1, 1, n)
    w, u, v = mp.structure_kernels(an.sqrt_s, m, cn)[structure]
    cs = rng.uniform(-1, 1, n)
    ph = rng.uniform(0, 2 * math.pi, n)
    ss = np.sqrt(1 - cs * cs)
    weight = w - (u * cs + v * ss * np.cos(ph) if polarised else 0.0)
    s = an.s
    k = (s - m * m) / (2 * an.sqrt_s)
    E_N = math.sqrt(k * k + m * m)
    beta = k / E_N
    gam = 1 / math.sqrt(1 - beta * beta)
    sn = np.sqrt(1 - cn * cn)
    nN = np.stack([sn, np.zeros(n), cn], axis=1)
    e_th = np.stack([cn, np.zeros(n), -sn], axis=1)
    e_ph = np.cross(nN, e_th)
    d = cs[:, None] * nN + ss[:, None] * (np.cos(ph)[:, None] * e_th + np.sin(ph)[:, None] * e_ph)
    par = (m / 2) * np.sum(d * nN, axis=1)
    E = gam * (m / 2 + beta * par)
    vec = (m / 2) * d + ((gam - 1) * par + gam * beta * m / 2)[:, None] * nN
    cos_g = vec[:, 2] / np.linalg.norm(vec, axis=1)
    ell = -lam * an.r * np.log(rng.uniform(0, 1, n))
    inside = (ell * sn < an.r) & (ell * np.abs(cn) < an.z_half)
    ok = inside & cuts_by_hand(an, E, cos_g, s - 2 * an.sqrt_s * E)
    out_num = np.sum(weight * ok)
    out_den = np.sum(w)
    return out_num / out_den, np.sqrt(np.sum((weight * ok) ** 2)) / out_den


@pytest.mark.parametrize("name", ["delphi_lep2", "opal_lep1", "cepc_H", "cepc_Z"])
def test_tabulated_efficiency_against_event_monte_carlo(name):
    an = mp.get_analysis(name)
    rng = np.random.default_rng(17)
    for structure, x, lam in (("LL", 0.013, 0.37), ("RR", 0.52, 3.1), ("WL", 0.21, 0.05),
                              ("WW", 0.77, 42.0), ("LL", 0.33, 1e-4)):
        if structure in ("WW", "WL") and name != "delphi_lep2":
            structure = "LL"
        for pol in (True, False):
            mc, err = mc_efficiency(an, structure, x, lam, pol, 600_000, rng)
            tab = float(mp.efficiency(an, structure, x, lam, polarised=pol))
            assert tab == pytest.approx(mc, abs=4 * err + 3e-3), (structure, x, lam, pol)


def test_no_cuts_and_prompt_decay_give_unit_efficiency_and_far_decays_scale_as_one_over_L():
    an = mp.Analysis(name="open", sqrt_s=150.0, r=1.0, z_half=1.3)
    for k in mp.STRUCTURES:
        for x in (0.0, 0.3, 0.9):
            assert float(mp.efficiency(an, k, x, 1e-4)) == pytest.approx(1.0, abs=1e-6)
    e1 = mp.efficiency(an, "LL", 0.3, 1e6)
    e2 = mp.efficiency(an, "LL", 0.3, 1e7)
    assert float(e1 / e2) == pytest.approx(10.0, rel=1e-6)
    # far decays: eps -> <l_max/R>/lambda, l_max/R = min(1/sin(theta), 1.3/|cos(theta)|)
    x = np.linspace(-1, 1, 400_002)[1:-1]
    w = mp.structure_kernels(150.0, 45.0, x)["LL"][0]
    reach = np.minimum(1 / np.sqrt(1 - x * x), 1.3 / np.abs(x))
    expect = np.sum(w * reach) / np.sum(w) / 1e6
    assert float(e1) == pytest.approx(expect, rel=2e-3)


# ---------------------------------------------------------------------------------------
# observables


def test_observables_are_vectorized_and_zero_without_an_hnl():
    m = np.geomspace(0.01, 300.0, 7)[:, None]
    d = np.geomspace(1e-7, 1e-3, 5)[None, :]
    for name in ("sigma_monophoton_delphi", "sigma_monophoton_opal", "br_Z_to_gamma_inv_N",
                 "sigma_monophoton"):
        v = hnlfit.predict(name, m_N=m, d_gamma_mu=d, a=0.0)
        assert v.shape == (7, 5) and np.all(np.isfinite(v)) and np.all(v >= 0)
        z = hnlfit.predict(name, m_N=m, d_gamma_mu=0.0 * d)
        assert np.all(z == 0.0)
    # above threshold nothing is produced
    assert hnlfit.predict("sigma_monophoton_delphi", m_N=210.0, d_gamma_e=1e-3, a=0.0) == 0.0


def test_prompt_open_analysis_reproduces_sigma_times_br():
    """With no cuts and a huge detector the signal is sigma x BR(N -> nu gamma)."""
    an = mp.Analysis(name="open", sqrt_s=205.4, r=1e6, z_half=1e6)
    p = hnlfit.make_point(m_N=[5.0, 60.0, 120.0], **preset("II").params("e", 3e-4))
    sig = ee.sigma_point(p, 205.4) * hnlfit.predict("br_N_to_nu_gamma", p)
    np.testing.assert_allclose(mp.sigma_monophoton(p, an), sig, rtol=1e-5)


def test_z_decay_branching_ratio_limits():
    an = mp.Analysis(name="open_z", sqrt_s=c.M_Z, r=1e6, z_half=1e6)
    p = hnlfit.make_point(m_N=[1.0, 30.0], **preset("I").params("tau", 1e-4))
    expect = (hnlfit.predict("gamma_Z_to_nu_N", p) * hnlfit.predict("br_N_to_nu_gamma", p)
              / c.GAMMA_Z)
    np.testing.assert_allclose(mp.br_Z_to_gamma_inv(p, an), expect, rtol=1e-5)
    # in scenario III (d_Z = 0) there is no Z -> nu N
    p3 = hnlfit.make_point(m_N=10.0, **preset("III").params("mu", 1e-4))
    assert hnlfit.predict("br_Z_to_gamma_inv_N", p3) == 0.0


def test_majorana_is_isotropic_and_decays_twice_as_fast():
    p = hnlfit.make_point(m_N=0.8, **preset("I").params("mu", 3e-6))
    an = mp.get_analysis("delphi_lep2")
    lam_d = mp.lab_decay_ratio(p, an)
    lam_m = mp.lab_decay_ratio(p, an, majorana=True)
    assert float(lam_d / lam_m) == pytest.approx(2.0)
    dirac = hnlfit.predict("sigma_monophoton_delphi", p)
    maj = hnlfit.predict("sigma_monophoton_delphi", p, majorana=True)
    assert maj > dirac     # shorter decay length and a harder (isotropic) photon spectrum


def test_unknown_analysis_is_a_clear_error():
    with pytest.raises(DataError, match="cepc_Z"):
        mp.get_analysis("cepc_z")
    with pytest.raises(DataError, match="malformed"):
        mp.analysis_from_dict("bad", {"sqrt_s": 91.0})
