"""nuSMEFT right-handed current (arXiv:2105.11462, seed 004): loop function, g-2, EDM, LFV,
neutrino magnetic moment, LHC combination. Seed numbers and independent cross-checks."""
import math
from decimal import Decimal, getcontext

import numpy as np
import pytest

from hnlfit import constants as c
from hnlfit.observables import registry
from hnlfit.params import make_point
from hnlfit.physics.nusmeft import core as nu
from hnlfit.physics.nusmeft.loops import w_loop

NAMES = ("delta_a_mu", "delta_a_e", "d_e", "br_mu_to_e_gamma", "br_tau_to_mu_gamma",
         "br_tau_to_e_gamma", "mu_nu_max", "x_lhc_e", "x_lhc_mu")
LOOP = 16.0 * math.pi ** 2


# ------------------------------------------------------------------ independent references
def w_decimal(x: float, digits: int = 60) -> float:
    """eq. 3.12 evaluated literally in 60-digit decimal arithmetic (no series, no rewriting)."""
    getcontext().prec = digits
    X = Decimal(x)
    one = Decimal(1)
    return float((4 + X * (X - 11)) / (2 * (X - one) ** 2)
                 + 3 * X * X * X.ln() / (X - one) ** 3)


def delta_a_reference(m_lep, m_N, U, C, phi):
    """Independent transcription of eq. 3.11 (n = 1) with eq. 3.12 written out."""
    x = (m_N / c.M_W) ** 2
    w = (4 + x * (x - 11)) / (2 * (x - 1) ** 2) + 3 * x ** 2 * np.log(x) / (x - 1) ** 3
    return -2 * m_lep / (4 * np.pi) ** 2 * m_N * w * np.real(U * C * np.exp(1j * phi))


# ------------------------------------------------------------------------- loop function
def test_loop_function_limits():
    assert w_loop(0.0) == 2.0
    assert w_loop(1.0) == 1.5
    assert w_loop(np.inf) == 0.5
    assert w_loop(1e300) == 0.5
    assert abs(w_loop(1e20) - 0.5) < 1e-15
    np.testing.assert_allclose(w_loop(1e-12), 2.0, rtol=1e-10)
    # approach to 1/2: w = 1/2 + (3 ln x - 9/2)/x + O(ln x / x^2)
    x = 1e8
    np.testing.assert_allclose(w_loop(x) - 0.5, (3 * math.log(x) - 4.5) / x, rtol=1e-6)
    assert np.isnan(w_loop(-1.0))
    assert w_loop(2.0).shape == ()


@pytest.mark.parametrize("x", [1 - 1e-9, 1 + 1e-8, 1 - 1e-5, 1 + 1e-4, 1 - 1e-3, 1 + 1e-3,
                               0.95, 1.0999, 1.1001, 0.8999, 0.9001, 1.5, 2.0, 0.3, 13.93,
                               155.0, 1e4, 1e-4])
def test_loop_function_matches_high_precision(x):
    np.testing.assert_allclose(w_loop(x), w_decimal(x), rtol=1e-12, atol=0)


def test_loop_function_is_smooth_and_decreasing_through_one():
    x = np.linspace(0.8, 1.2, 40001)          # crosses the series/closed-form switch at 0.9, 1.1
    w = w_loop(x)
    assert np.all(np.diff(w) < 0)
    # second differences stay at the size set by w'' ~ 0.2 and h = 1e-5 (no jumps)
    assert np.abs(np.diff(w, 2)).max() < 1e-9
    xs = np.logspace(-6, 10, 5001)
    assert np.all(np.diff(w_loop(xs)) < 0)


def test_loop_function_keeps_shape():
    x = np.array([[0.0, 0.5, 1.0], [1.05, 3.0, np.inf]])
    out = w_loop(x)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[0, 1], w_decimal(0.5), rtol=1e-13)


# ---------------------------------------------------------------------------- seed numbers
def test_eq61_coefficient():
    k = nu.eq61_coefficient(1000.0)
    print(f"eq. 6.1 coefficient: {k:.4e} (seed 1.1e-7)")
    assert k == pytest.approx(1.1e-7, rel=0.05)
    # and it is eq. 3.11 rewritten: Delta a_l = (m_l/m_mu) [-K (m_N/m_W) w U C~]
    m, U, Ct, Lam = 350.0, 0.013, -0.7, 1000.0
    for m_lep in (c.M_MU, c.M_E):
        lhs = nu.delta_a(m_lep, m, U, Ct / Lam ** 2)
        rhs = m_lep / c.M_MU * (-k * m / c.M_W * w_loop((m / c.M_W) ** 2) * U * Ct)
        np.testing.assert_allclose(lhs, rhs, rtol=1e-13)


def test_gamma_hat_mu_from_lifetime():
    g = nu.gamma_hat_mu()
    print(f"Gamma-hat_mu = {g:.4f} (seed {nu.GAMMA_HAT_MU_SEED})")
    assert g == pytest.approx(nu.GAMMA_HAT_MU_SEED, abs=1e-3)


def test_br_mu_e_gamma_min_eq52():
    da_e_cs, da_mu = -0.88e-12, 251e-11          # eqs. 1.5 (Cs) and 1.3
    br = nu.br_mu_to_e_gamma_min(da_e_cs, da_mu)
    print(f"BR(mu->e gamma)_min = {br:.3e} (seed 1.4e-4)")
    assert br == pytest.approx(1.4e-4, rel=0.1)


def test_eq52_is_the_minimum_of_eq415_over_the_mixing_ratio():
    """Fix Delta a_e, Delta a_mu; scan xi = U_e/U_mu; BR of eq. 4.15 bottoms out at eq. 5.2."""
    da_e, da_mu, m = -0.88e-12, 251e-11, 400.0
    w = w_loop((m / c.M_W) ** 2)
    a_e = -LOOP * da_e / (2 * c.M_E * m * w)      # U_e C_e
    a_mu = -LOOP * da_mu / (2 * c.M_MU * m * w)   # U_mu C_mu
    xi = np.logspace(-4, 4, 200001)
    U_mu = 1e-2
    U_e = xi * U_mu
    br = nu.br_lgamma(m, U_e, a_e / U_e, U_mu, a_mu / U_mu, c.M_MU, c.GAMMA_MU)
    np.testing.assert_allclose(nu.delta_a(c.M_E, m, U_e, a_e / U_e), da_e, rtol=1e-12)
    np.testing.assert_allclose(br.min(), nu.br_mu_to_e_gamma_min(da_e, da_mu), rtol=1e-6)


def test_edm_eq51():
    """|(m/v) w Im(U v^2 C)| = 2.2e-11 <-> |d_e| = 1.1e-29 e cm (eq. 5.1 and ACME)."""
    m, U = 500.0, 0.01
    x = (m / c.M_W) ** 2
    C = 2.2e-11 / (m / c.VEV * w_loop(x) * U * c.VEV ** 2)
    comb = nu.edm_combination(m, U, C, math.pi / 2)
    np.testing.assert_allclose(comb, 2.2e-11, rtol=1e-12)
    d = nu.edm(m, U, C, math.pi / 2)
    print(f"d_e at eq. 5.1 bound: {d:.3e} e cm (seed 1.1e-29)")
    assert d == pytest.approx(1.1e-29, rel=0.03)
    # CP-even couplings give no EDM; CP-odd ones no Delta a
    assert nu.edm(m, U, C, 0.0) == 0.0
    assert abs(nu.delta_a(c.M_E, m, U, C, math.pi / 2)) < 1e-30


def test_edm_is_eq311_times_minus_e_over_2m_with_re_to_im():
    m, U, C, phi = 220.0, 0.02, 3e-7, 0.7
    for m_lep in (c.M_E, c.M_MU):
        da_im = nu.delta_a(m_lep, m, U, C, phi - math.pi / 2)     # cos(phi - pi/2) = sin(phi)
        d_gev = -1.0 / (2 * m_lep) * da_im                         # d/e in GeV^-1
        np.testing.assert_allclose(nu.edm(m, U, C, phi), d_gev * c.HBARC_GEV_CM, rtol=1e-12)


def test_cp_conserving_delta_a_e_needs_six_orders_more_than_edm_bound():
    """Sec. 5.2: the Re part needed for Delta a_e^Cs is ~1e6 times the eq. 5.1 bound."""
    m = 650.0
    x = (m / c.M_W) ** 2
    re_comb = abs(-0.88e-12) * LOOP * c.VEV / (2 * c.M_E)   # (m/v) w Re(U v^2 C)
    ratio = re_comb / 2.2e-11
    assert 5e5 < ratio < 5e6
    np.testing.assert_allclose(
        abs(nu.delta_a(c.M_E, m, 1.0, re_comb / (m * c.VEV * w_loop(x)))), 0.88e-12, rtol=1e-12)


def test_neutrino_magnetic_moment_eq413():
    mu = nu.mu_nu_transition(c.M_MU, 1.0, 1.0 / c.VEV ** 2, 1.0)    # U v^2 C U = 1
    print(f"mu_nu (alpha = mu) = {mu:.3e} mu_B per unit U v^2 C U (seed 4.4e-11)")
    assert mu == pytest.approx(4.4e-11, rel=0.05)
    # eq. 4.13 term by term, y_l = m_l / v (eqs. 4.1, 4.5)
    y_mu, y_e = c.M_MU / c.VEV, c.M_E / c.VEV
    assert mu == pytest.approx(8 / (4 * math.pi) ** 2 * y_mu * y_e, rel=1e-12)


def test_eq412_repaired_agrees_with_eq413():
    """Eq. 4.12's second form has dimension GeV^-2 (it is U*[c_w C_nuB + s_w C_nuW]U*);
    mu_nu = -2 sqrt2 v x (that) in GeV^-1, converted to mu_B, equals eq. 4.13."""
    C = 3.7e-8                                             # GeV^-2
    dip = -c.E_CHARGE / (4 * math.pi) ** 2 * math.sqrt(2) * c.M_MU / c.VEV * C   # GeV^-2
    mu_gev = -2 * math.sqrt(2) * c.VEV * dip                                   # GeV^-1
    np.testing.assert_allclose(mu_gev / c.MU_BOHR_GEV,
                               nu.mu_nu_transition(c.M_MU, 1.0, C, 1.0), rtol=1e-12)


def test_mu_nu_max_single_flavour_and_bound():
    U, C = 0.01, -2e-7
    np.testing.assert_allclose(nu.mu_nu_max(0.0, U, 0.0, 0.0, C, 0.0),
                               abs(nu.mu_nu_transition(c.M_MU, U, C, 1.0)), rtol=1e-12)
    # the bound holds for light-mixing columns with sum |U_alpha i|^2 <= 1
    rng = np.random.default_rng(3)
    Ua = rng.uniform(0, 0.05, (3, 1000))
    Cs = rng.normal(0, 1e-6, (3, 1000))
    col = rng.normal(size=(3, 1000))
    col /= np.linalg.norm(col, axis=0)
    U_S = np.sqrt((Ua ** 2).sum(0))
    masses = np.array([c.M_E, c.M_MU, c.M_TAU])[:, None]
    exact = np.abs(sum(nu.mu_nu_transition(masses[k], U_S, Cs[k], col[k]) for k in range(3)))
    assert np.all(exact <= nu.mu_nu_max(*Ua, *Cs) * (1 + 1e-12))


def test_seed_fig5_band_reached_for_lambda_1_to_10_tev():
    lam = np.geomspace(1000.0, 10000.0, 2001)
    da = nu.delta_a(c.M_MU, 300.0, 0.01, -1.0 / lam ** 2)
    assert np.all(da > 0) and np.all(np.diff(da) < 0)
    assert da[0] > 251e-11 > da[-1]
    lam_star = np.interp(251e-11, da[::-1], lam[::-1])
    print(f"Delta a_mu = 251e-11 at Lambda = {lam_star:.0f} GeV (m_N = 300 GeV, U = 0.01)")
    assert 1000 < lam_star < 1500           # m_N/Lambda in 0.1-0.5 (Sec. 5.1)


def test_seed_fig6_cs_point():
    """Sec. 5.2: Delta a_e^Cs = -0.88e-12 with C = +1/Lambda^2, U_e = 0.01, m_4 ~ 650 GeV
    and Lambda ~ 5.5 TeV (lower edge of the Cs band)."""
    da = nu.delta_a(c.M_E, 650.0, 0.01, 1.0 / 5500.0 ** 2)
    print(f"Delta a_e(650 GeV, 5.5 TeV) = {da:.3e} (seed band -0.88e-12)")
    assert da == pytest.approx(-0.88e-12, rel=0.15)


def test_lhc_table3_limits_on_cv2():
    """Sec. 4.6: with U = 0, X < 4.32e-3 (4.41e-1) at 100 (1000) GeV gives v^2 C < 0.13 (1.3)."""
    for X_max, cv2 in ((4.32e-3, 0.13), (4.41e-1, 1.3)):
        C = 2 * math.sqrt(X_max) / c.VEV ** 2
        assert nu.x_lhc(0.0, C) == pytest.approx(X_max, rel=1e-12)
        assert C * c.VEV ** 2 == pytest.approx(cv2, rel=0.03)
    assert nu.x_lhc(0.02, 0.0) == pytest.approx(4e-4)
    assert nu.x_lhc(0.01, -1e-6) == nu.x_lhc(0.01, 1e-6)


# --------------------------------------------------------------------------- g-2 physics
def test_sign_of_delta_a_mu():
    """Sec. 5.1: C = -1/Lambda^2 with U = 0.01 gives Delta a_mu > 0."""
    for lam in (800.0, 2000.0, 9000.0):
        for m in (90.0, 300.0, 900.0):
            assert nu.delta_a(c.M_MU, m, 0.01, -1.0 / lam ** 2) > 0
            assert registry.predict("delta_a_mu", m_N=m, U_mu=0.01,
                                    C_Hnue_mu=-1.0 / lam ** 2) > 0


def test_delta_a_random_points_against_transcription():
    rng = np.random.default_rng(2105)
    n = 2000
    m = rng.uniform(5.0, 3000.0, n)
    m = m[np.abs((m / c.M_W) ** 2 - 1) > 1e-2]      # the plain transcription is unstable at x=1
    U = rng.uniform(0, 0.05, m.size)
    C = rng.normal(0, 1e-6, m.size)
    phi = rng.uniform(-math.pi, math.pi, m.size)
    for lep, m_lep, name in (("mu", c.M_MU, "delta_a_mu"), ("e", c.M_E, "delta_a_e")):
        ref = delta_a_reference(m_lep, m, U, C, phi)
        np.testing.assert_allclose(nu.delta_a(m_lep, m, U, C, phi), ref, rtol=1e-9)
        got = registry.predict(name, m_N=m, **{f"U_{lep}": U, f"C_Hnue_{lep}": C,
                                               f"phi_Hnue_{lep}": phi})
        np.testing.assert_allclose(got, ref, rtol=1e-9)


def test_diagonal_dipole_reproduces_delta_a():
    """eq. 4.14 with alpha = beta inserted in eq. 3.2 gives eq. 3.11."""
    m, U, C, phi = 410.0, 0.015, -4e-7, 0.4
    L = nu.lfv_dipole(m, U, C, phi)
    for m_lep in (c.M_E, c.M_MU):
        np.testing.assert_allclose(4 * m_lep / c.E_CHARGE * L.real,
                                   nu.delta_a(m_lep, m, U, C, phi), rtol=1e-12)


# -------------------------------------------------------------------------------- LFV
def test_mu_e_gamma_symmetric_under_e_mu_swap():
    rng = np.random.default_rng(7)
    m = rng.uniform(10, 2000, 500)
    Ue, Um = rng.uniform(0, 0.05, (2, 500))
    Ce, Cm = rng.normal(0, 1e-6, (2, 500))
    a = nu.br_mu_to_e_gamma(m, Ue, Ce, Um, Cm)
    b = nu.br_mu_to_e_gamma(m, Um, Cm, Ue, Ce)
    np.testing.assert_allclose(a, b, rtol=1e-14)
    pa = make_point(m_N=m, U_e=Ue, U_mu=Um, C_Hnue_e=Ce, C_Hnue_mu=Cm)
    pb = make_point(m_N=m, U_e=Um, U_mu=Ue, C_Hnue_e=Cm, C_Hnue_mu=Ce)
    o = registry.get("br_mu_to_e_gamma")
    np.testing.assert_allclose(o(pa), o(pb), rtol=1e-14)


def test_lfv_chirality_assignment():
    """Only U_alpha C_beta with alpha != beta enters: flavour-diagonal couplings give no
    mu -> e gamma, and U_mu C_e alone does."""
    m = 300.0
    assert nu.br_mu_to_e_gamma(m, 0.01, 1e-6, 0.0, 0.0) == 0.0      # U_e C_e only
    assert nu.br_mu_to_e_gamma(m, 0.0, 0.0, 0.01, 1e-6) == 0.0      # U_mu C_mu only
    one = nu.br_mu_to_e_gamma(m, 0.0, 1e-6, 0.01, 0.0)              # U_mu C_e
    two = nu.br_mu_to_e_gamma(m, 0.01, 0.0, 0.0, 1e-6)              # U_e C_mu
    assert one > 0 and one == pytest.approx(two, rel=1e-14)
    both = nu.br_mu_to_e_gamma(m, 0.01, 1e-6, 0.01, 1e-6)
    assert both == pytest.approx(one + two, rel=1e-14)              # no interference


def test_two_forms_of_eq415_agree():
    rng = np.random.default_rng(11)
    m = rng.uniform(10, 2000, 300)
    Ue, Um = rng.uniform(0, 0.05, (2, 300))
    Ce, Cm = rng.normal(0, 1e-6, (2, 300))
    first = nu.br_lgamma(m, Ue, Ce, Um, Cm, c.M_MU, c.GAMMA_MU)     # tau_mu m^3/4pi (|L|^2+|L|^2)
    second = nu.br_mu_to_e_gamma(m, Ue, Ce, Um, Cm)                  # 3 alpha/(8 pi Gamma-hat) ...
    np.testing.assert_allclose(first, second, rtol=1e-12)
    seed = nu.br_mu_to_e_gamma(m, Ue, Ce, Um, Cm, gamma_hat=nu.GAMMA_HAT_MU_SEED)
    np.testing.assert_allclose(seed, second, rtol=1e-3)


def test_tau_lfv():
    m, Ul, Cl, Ut, Ct = 500.0, 0.01, -3e-7, 0.02, 5e-7
    br = nu.br_tau_to_l_gamma(m, Ul, Cl, Ut, Ct)
    # swap symmetry (l <-> tau with U and C together)
    assert br == pytest.approx(nu.br_lgamma(m, Ut, Ct, Ul, Cl, c.M_TAU, c.GAMMA_TAU), rel=1e-14)
    # muon-style form with BR(tau -> e nu nu) = G_F^2 m_tau^5 / (192 pi^3 Gamma_tau) ~ 0.178
    b_enn = c.G_FERMI ** 2 * c.M_TAU ** 5 / (192 * math.pi ** 3) / c.GAMMA_TAU
    assert b_enn == pytest.approx(0.178, abs=0.003)
    w = w_loop((m / c.M_W) ** 2)
    alt = 3 * c.ALPHA_EM / (8 * math.pi) * b_enn * (m / c.M_TAU) ** 2 * w ** 2 * (
        (Ul * c.VEV ** 2 * Ct) ** 2 + (Ut * c.VEV ** 2 * Cl) ** 2)
    assert br == pytest.approx(alt, rel=1e-12)
    pt = make_point(m_N=m, U_mu=Ul, C_Hnue_mu=Cl, U_tau=Ut, C_Hnue_tau=Ct)
    assert registry.predict("br_tau_to_mu_gamma", pt) == pytest.approx(br, rel=1e-14)
    pe = make_point(m_N=m, U_e=Ul, C_Hnue_e=Cl, U_tau=Ut, C_Hnue_tau=Ct)
    assert registry.predict("br_tau_to_e_gamma", pe) == pytest.approx(br, rel=1e-14)


# ------------------------------------------------------------------- registry, shapes, SM
def test_registered_with_metadata():
    units = {"d_e": "e cm", "mu_nu_max": "mu_B"}
    for name in NAMES:
        o = registry.get(name)
        assert o.unit == units.get(name, "1")
        assert o.sm == 0.0 and o.tex and o.params
        assert any("2105.11462" in r for r in o.refs)


def _full_point(shape_m=(4, 1), shape_u=(1, 3)):
    rng = np.random.default_rng(5)
    return make_point(
        m_N=rng.uniform(50, 1500, shape_m),
        U_e=rng.uniform(0, 0.05, shape_u), U_mu=0.01, U_tau=rng.uniform(0, 0.05, shape_u),
        C_Hnue_e=-2e-7, C_Hnue_mu=rng.normal(0, 1e-6, shape_u), C_Hnue_tau=3e-7,
        phi_Hnue_e=0.3, phi_Hnue_mu=rng.uniform(-1, 1, shape_m))


def test_no_hnl_point_gives_exactly_zero():
    p = _full_point().no_hnl()
    for name in NAMES:
        out = registry.get(name)(p)
        assert out.shape == (4, 3)
        assert np.all(out == 0.0), name


def test_broadcasting_observables():
    p = _full_point()
    for name in NAMES:
        out = registry.get(name)(p)
        assert out.shape == (4, 3), name
        assert np.all(np.isfinite(out))
        # element by element equals a scalar evaluation
        i, j = 2, 1
        scal = make_point(**{k: np.asarray(v)[i, j] for k, v in p.items()})
        np.testing.assert_allclose(out[i, j], registry.get(name)(scal), rtol=1e-13)
    # a point with only scalars gives 0-d output
    assert registry.predict("delta_a_mu", m_N=200.0, U_mu=0.01, C_Hnue_mu=-1e-6).shape == ()


def test_broadcasting_physics_functions():
    m = np.linspace(10, 1000, 5)[:, None, None]
    U = np.array([0.0, 0.01, 0.02])[None, :, None]
    C = np.array([-1e-6, 2e-7])
    phi = np.zeros((1, 1, 2))
    out = nu.delta_a(c.M_MU, m, U, C, phi)
    assert out.shape == (5, 3, 2)
    np.testing.assert_allclose(out[3, 1, 0], nu.delta_a(c.M_MU, m[3, 0, 0], 0.01, -1e-6))
    assert nu.delta_a(c.M_MU, 100.0, 0.01, 1e-6, np.zeros(7)).shape == (7,)
    assert nu.edm(m, U, C, 0.5).shape == (5, 3, 2)
    assert nu.br_mu_to_e_gamma(m, U, C, 0.01, C).shape == (5, 3, 2)
    assert nu.br_tau_to_l_gamma(m, U, C, 0.01, C).shape == (5, 3, 2)
    assert nu.x_lhc(U, C).shape == (1, 3, 2)
    assert nu.mu_nu_max(U, 0.01, 0.0, C, C, 0.0).shape == (1, 3, 2)


def test_w_loop_branches_in_one_array():
    """The closed form and its fixes (series near x = 1, x = 0, x > 1e100, invalid) chosen
    per element also when the array mixes them, a NaN included."""
    x = np.array([np.nan, 1.0, 0.0, 1e200, -1.0, 1.05, 4.0])
    got = w_loop(x)
    assert np.isnan(got[0]) and np.isnan(got[4])
    assert got[1] == 1.5 and got[2] == 2.0 and got[3] == 0.5
    assert got[5] == w_loop(1.05) and got[6] == w_loop(4.0)
