"""h -> l l with O_Hnue: 2105.11462 Sec. 4.1 (hnlfit.physics.nusmeft.higgs, hnlfit.observables.nusmeft.higgs)."""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy import integrate
from scipy.optimize import brentq

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.physics.nusmeft import higgs as hg

XH = hg.X_H


# ---------------------------------------------------------------- f1, f2 tabulation
def _f_literal(x: float, which: int) -> complex:
    """eq. 4.9 as printed, with x_j -> x_j - i0, by plain scipy quad (independent of the
    stable rewriting used for the table)."""
    def integrand(z, part):
        if which == 1:
            num = complex(x - XH * (1.0 - z) * z, -1e-300)
            val = np.log(num / (1.0 + (x - 1.0) * z)) / (1.0 - x + XH * z)
        else:
            val = complex(np.log((1.0 - XH * (1.0 - z) * z) / (x + z * (1.0 - x)))
                          / (-1.0 + x + XH * z))
        return val.real if part == 0 else val.imag

    s = min(x, 1.0 / x)
    pts = {0.0, 1.0}
    for k in (1.0, 10.0, 100.0):
        if k * s < 0.5:
            pts.update((k * s, 1.0 - k * s))
    if which == 1 and 4.0 * x < XH:
        b = math.sqrt(1.0 - 4.0 * x / XH)
        pts.update((0.5 * (1.0 - b), 0.5 * (1.0 + b)))
    pts = sorted(pts)
    out = 0j
    for part in (0, 1):
        if part == 1 and not (which == 1 and 4.0 * x < XH):
            continue
        tot = 0.0
        for lo, hi in zip(pts[:-1], pts[1:]):
            tot += integrate.quad(integrand, lo, hi, args=(part,), epsabs=0.0, epsrel=1e-11,
                                  limit=400)[0]
        out += tot if part == 0 else 1j * tot
    return out


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_tabulated_loop_functions_match_direct_quad_at_random_points():
    rng = np.random.default_rng(20210524)
    xs = list(10.0 ** rng.uniform(-6, 6, 25))                    # m_N ~ 0.08 GeV .. 80 TeV
    xs += list(hg.X0 * (1.0 + rng.uniform(-0.2, 0.2, 6)))       # around m_N = m_h/2
    xs += [1.0, 1.0 + XH, 0.5, 2.0]                              # removable-pole edges
    F1, F2 = hg.loop_functions(np.array(xs))
    for x, a1, a2 in zip(xs, F1, F2):
        r1, r2 = _f_literal(x, 1), _f_literal(x, 2).real
        assert abs(a1 - r1) <= 1e-6 * abs(r1), (x, a1, r1)
        assert abs(a2 - r2) <= 1e-6 * abs(r2), (x, a2, r2)


def test_loop_functions_are_smooth_and_real_above_threshold():
    x = np.array([0.7, 1.0, 10.0, 1e4])
    assert np.all(hg.f1(x).imag == 0.0)
    # f1 ~ -1/x and f2 ~ -(ln x)/x for x -> infinity (from eq. 4.9)
    big = np.array([1e8])
    assert hg.f1(big)[0].real * 1e8 == pytest.approx(-1.0, abs=1e-6)
    assert hg.f2(big)[0] * 1e8 / math.log(1e8) == pytest.approx(-1.0, rel=0.1)


def test_beta_log_analytic_continuation():
    r = np.array([0.01, 0.3, 0.9, 0.999, 1.001, 1.5, 4.0 / XH, 10.0, 1e4])
    got = hg.beta_log(r)
    for ri, gi in zip(r, got):
        beta = np.sqrt(complex(1.0 - ri, 1e-30))                 # m^2 -> m^2 - i0
        ref = beta * np.log((beta - 1.0) / (beta + 1.0))
        assert gi == pytest.approx(ref, rel=1e-12, abs=1e-15)
        if ri > 1.0:                                            # real arctan form
            b = math.sqrt(ri - 1.0)
            assert gi.imag == 0.0
            assert gi.real == pytest.approx(-2.0 * b * math.atan(1.0 / b), rel=1e-13)
    assert hg.beta_log(np.array([1.0]))[0] == 0.0
    assert hg.beta_log(np.array([0.0]))[0] == pytest.approx(1j * math.pi)


def test_absorptive_part_cancels_at_leading_order_at_threshold():
    # Im of x P(4x/x_h) + [2 x_h + x(x - 7)] f1 is O(beta^3) (P wave), not O(beta), at
    # m_N = m_h/2: each term alone is ~ pi x beta
    ratios = []
    for beta in (1e-2, 3e-3, 1e-3):
        x = hg.X0 * (1.0 - beta ** 2)
        im = hg.yukawa_brace(np.array([x]), 1000.0)[0].imag
        assert abs(im) < 1e-3 * math.pi * x * beta
        ratios.append(im / beta ** 3)
    assert np.ptp(ratios) < 1e-3 * abs(ratios[0])
    # and none above threshold
    assert hg.yukawa_brace(np.array([hg.X0 * 1.01]), 1000.0)[0].imag == 0.0


# ---------------------------------------------------------------- eqs. 4.2-4.8
@pytest.mark.parametrize("m_N,Lam", [(30.0, 300.0), (150.0, 900.0), (700.0, 1500.0),
                                     (2500.0, 4000.0)])
def test_y_eff_is_independent_of_the_matching_scale(m_N, Lam):
    UC = -0.01 / Lam ** 2
    y_ref = hg.y_eff(c.M_MU, m_N, UC, Lam)                   # mu_r = Lambda
    for mu in (2.0 * Lam, 10.0 * Lam, 0.5 * Lam, 1.01 * max(m_N, c.M_W)):
        y = hg.y_eff(c.M_MU, m_N, UC, Lam, mu_r=mu)
        assert abs(y - y_ref) <= 1e-12 * abs(y_ref)
    # and the fast mu_r = Lambda form agrees
    fast = (1.0 + hg.yukawa_shift(c.M_MU, m_N, UC, Lam)) * c.M_MU / c.VEV
    assert abs(fast - y_ref) <= 1e-13 * abs(y_ref)


def test_running_solutions_satisfy_the_rges():
    m_N, UC, Lam = 400.0, -1e-8, 2000.0
    g2, x = c.G_WEAK ** 2, (400.0 / c.M_W) ** 2
    h = 1e-3
    dm = (hg.run_mass(1.0, m_N, UC, Lam * math.exp(h), Lam)
          - hg.run_mass(1.0, m_N, UC, Lam * math.exp(-h), Lam)) / (2 * h)
    dy = (hg.run_yukawa(1.0, m_N, UC, Lam * math.exp(h), Lam)
          - hg.run_yukawa(1.0, m_N, UC, Lam * math.exp(-h), Lam)) / (2 * h)
    assert dm == pytest.approx(0.5 * g2 * c.VEV ** 2 / hg.LOOP * UC * m_N * (x - 3), rel=1e-9)
    assert dy == pytest.approx(0.5 * g2 * c.VEV / hg.LOOP * UC * m_N * (XH + 3 * x - 9),
                               rel=1e-9)


def test_brackets_decouple_like_log_mu_over_mN_for_heavy_N():
    # for x -> infinity all ln x_j combine with ln mu^2/m_W^2 into ln(mu^2/m_N^2):
    # A -> x (ln(mu^2/m_N^2) + 1), B -> x (3 ln(mu^2/m_N^2) + 1)
    mu = 1e7
    for x in (1e4, 1e6):
        L = math.log(mu ** 2 / (x * c.M_W ** 2))
        A = hg.mass_bracket(x, mu)
        B = hg.yukawa_brace(np.array([x]), mu)[0].real
        assert (A - x * L) / x == pytest.approx(1.0, abs=5e-3 if x == 1e4 else 5e-5)
        assert (B - 3 * x * L) / x == pytest.approx(1.0, abs=1e-2 if x == 1e4 else 1e-4)


def test_brackets_continuous_at_x_equal_one():
    x = np.array([1.0 - 1e-7, 1.0, 1.0 + 1e-7])
    A = hg.mass_bracket(x, 500.0)
    B = hg.yukawa_brace(x, 500.0)
    assert np.ptp(A) < 1e-5 and np.ptp(B.real) < 1e-5


# ---------------------------------------------------------------- observables
def test_no_hnl_point_gives_exactly_sm():
    for kw in ({"U_mu": 0.0, "C_Hnue_mu": 0.0}, {"U_mu": 0.01, "C_Hnue_mu": 0.0},
               {"U_mu": 0.0, "C_Hnue_mu": -1e-6}):
        v = hnlfit.predict("mu_h_mumu", m_N=[50.0, 300.0, 5e3], Lambda=1e4, **kw)
        assert np.all(v == 1.0)
    p = hnlfit.make_point(m_N=[90.0, 800.0], U_e=0.02, C_Hnue_e=1e-7, Lambda=3000.0)
    for name in ("mu_h_mumu", "br_h_to_ee", "y_ratio_e", "y_ratio_mu"):
        obs = hnlfit.get_observable(name)
        assert np.all(obs(p.no_hnl()) == obs.sm)
    assert hnlfit.get_observable("br_h_to_ee").sm == pytest.approx(hg.br_h_ee_sm())


def test_br_h_ee_sm_from_mumu():
    assert hg.br_h_mumu_sm() == 2.176e-4
    assert hg.br_h_ee_sm() == pytest.approx(2.176e-4 * (c.M_E / c.M_MU) ** 2, rel=1e-5)
    assert 5.0e-9 < hg.br_h_ee_sm() < 5.2e-9


def test_eq_4_11_yukawa_ratio_limits():
    # BR(h->ee) < 3.6e-4 (ATLAS, 139 fb^-1)  <=>  |y_e^eff/y_e^SM| < 268 (seed eq. 4.11)
    m_N, Lam, U = 1000.0, 3000.0, 0.02

    def br(C):
        return hnlfit.predict("br_h_to_ee", m_N=m_N, Lambda=Lam, U_e=U, C_Hnue_e=C) - 3.6e-4

    C_lim = brentq(br, 0.0, 1e-4, xtol=1e-20, rtol=1e-14)
    ratio = float(hnlfit.predict("y_ratio_e", m_N=m_N, Lambda=Lam, U_e=U, C_Hnue_e=C_lim))
    assert ratio == pytest.approx(268.0, rel=0.01)
    # HL-LHC: the seed scales the Yukawa ratio by sqrt(139 fb^-1 / 3 ab^-1)
    assert ratio * math.sqrt(139.0 / 3000.0) == pytest.approx(58.0, rel=0.015)
    # consistency of the observables
    kw = dict(m_N=m_N, Lambda=Lam, U_e=U, C_Hnue_e=C_lim)
    B, mu = hg.br_h_ee_sm(), hnlfit.predict("y_ratio_e", **kw) ** 2
    assert hnlfit.predict("br_h_to_ee", **kw) == pytest.approx(B * mu / (1 + B * (mu - 1)),
                                                               rel=1e-12)


def test_mu_h_mumu_behaviour_in_the_fig5_plane():
    # C = -1/Lambda^2 (positive Delta a_mu for U > 0): y_eff/y_SM - 1 > 0 inside the EFT
    # region for m_N > m_W, growing with m_N at fixed m_N/Lambda
    mN = np.array([150.0, 300.0, 700.0, 1500.0])
    for r in (0.1, 0.3, 0.5):
        L = mN / r
        mu = hnlfit.predict("mu_h_mumu", m_N=mN, Lambda=L, U_mu=0.01, C_Hnue_mu=-1 / L ** 2)
        assert np.all(mu > 1.0) and np.all(np.diff(mu) > 0)
    # the dimension-six correction changes sign near m_N ~ Lambda (the "gap" of Fig. 5)
    for m in (300.0, 1000.0):
        x = (m / c.M_W) ** 2
        ab = [float((hg.mass_bracket(x, m / r) - hg.yukawa_brace(np.array([x]), m / r))[0].real)
              for r in (0.9, 1.6)]
        assert ab[0] < 0.0 < ab[1]
    # larger mixing, larger effect
    a = hnlfit.predict("mu_h_mumu", m_N=700.0, Lambda=1500.0, U_mu=0.01, C_Hnue_mu=-1 / 1500. ** 2)
    b = hnlfit.predict("mu_h_mumu", m_N=700.0, Lambda=1500.0, U_mu=0.02, C_Hnue_mu=-1 / 1500. ** 2)
    assert b - 1.0 > 1.9 * (a - 1.0)


def test_cp_phase():
    kw = dict(m_N=600.0, Lambda=1500.0, U_mu=0.01, C_Hnue_mu=-1 / 1500.0 ** 2)
    d = hg.yukawa_shift(c.M_MU, 600.0, -0.01 / 1500.0 ** 2, 1500.0).real
    assert hnlfit.predict("mu_h_mumu", **kw) == pytest.approx((1 + d) ** 2, rel=1e-12)
    assert hnlfit.predict("mu_h_mumu", phi_Hnue_mu=math.pi / 2, **kw) == pytest.approx(
        1 + d * d, rel=1e-12)


def test_broadcasting():
    mN = np.array([[60.0], [200.0], [1500.0]])
    L = np.array([1e3, 3e3, 1e4, 3e4])
    v = hnlfit.predict("mu_h_mumu", m_N=mN, Lambda=L, U_mu=0.01, C_Hnue_mu=-1e-7)
    assert v.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            s = hnlfit.predict("mu_h_mumu", m_N=mN[i, 0], Lambda=L[j], U_mu=0.01,
                               C_Hnue_mu=-1e-7)
            assert v[i, j] == pytest.approx(float(s), rel=1e-14)
    assert hnlfit.predict("br_h_to_ee", m_N=300.0, Lambda=1e3, U_e=0.01,
                          C_Hnue_e=1e-7).shape == ()


def test_vectorized_no_quadrature_at_evaluation(monkeypatch):
    hg.loop_functions(np.array([1.0]))             # tables built (or read from the cache)

    def boom(*a, **k):
        raise AssertionError("quad called while evaluating an observable")

    monkeypatch.setattr(hg.integrate, "quad", boom)
    rng = np.random.default_rng(1)
    n = 10 ** 6
    mN = 10 ** rng.uniform(0, 4, n)
    p = hnlfit.make_point(m_N=mN, Lambda=mN * 10 ** rng.uniform(0, 2, n), U_mu=0.01,
                          C_Hnue_mu=-1e-7)
    obs = hnlfit.get_observable("mu_h_mumu")
    t0 = time.perf_counter()
    v = obs(p)
    dt = time.perf_counter() - t0
    assert v.shape == (n,) and np.all(np.isfinite(v))
    # generous bound: a per-point loop would take minutes; typical is ~0.35 s
    assert dt < 5.0, dt


def test_broken_sm_input_file_gives_clear_error(tmp_path):
    bad = tmp_path / "higgs_sm.yaml"
    bad.write_text("br_h_mumu_sm: {value: 2.0, m_h: 125.09, reference: x}\n")
    with pytest.raises(DataError, match="not a branching ratio"):
        hg.load_sm_inputs(bad)
    bad.write_text("br_h_mumu_sm: [1, 2\n")
    with pytest.raises(DataError, match="malformed"):
        hg.load_sm_inputs(bad)
    assert hg.load_sm_inputs()["reference"].find("1610.07922") >= 0


# ---------------------------------------------------------------- issue 8: the fast path
def _old_loop_functions(x):
    """The pre-issue-8 evaluation: scipy CubicSpline calls and boolean-mask copies."""
    s_below, s_above = hg._splines(hg.X_H)
    f1 = np.empty(x.shape, dtype=np.complex128)
    f2 = np.empty(x.shape)
    below = x < hg.X0
    xb = x[below]
    beta = np.sqrt(1.0 - xb / hg.X0)
    v = s_below(np.minimum(np.arctanh(np.minimum(beta, 1.0 - 1e-16)), hg._W_BELOW_MAX))
    f1[below], f2[below] = v[:, 0] + 1j * hg.im_f1(xb), v[:, 1]
    xa = x[~below]
    v = s_above(np.minimum(np.arcsinh(np.sqrt(xa / hg.X0 - 1.0)), hg._W_ABOVE_MAX))
    f1[~below], f2[~below] = v[:, 0] / xa, v[:, 1] / xa
    return f1, f2


def _old_signal_strength(m_lep, m_N, U, C, Lam, phi):
    """The pre-issue-8 formula, kept as an independent slow reference: eqs. 4.7 and 4.8 as
    separate brackets in complex arithmetic, logs computed per bracket."""
    x = (m_N / c.M_W) ** 2
    xh = hg.X_H
    lmu = np.log(Lam ** 2 / c.M_W ** 2)
    lnr = np.log1p(x - 1.0) / (x - 1.0)
    A = x - 1.0 + (x - 3.0) * lmu - (x - 4.0) * x * lnr
    F1, F2 = _old_loop_functions(x)
    B = ((xh + 3.0 * x - 9.0) * lmu - 3.0 * x * (x - 3.0) * lnr + x * hg.beta_log(4.0 * x / xh)
         + (xh - 2.0) * float(hg.beta_log(4.0 / xh).real) + (2.0 * xh + x * (x - 7.0)) * F1
         - (4.0 + (2.0 - xh) * x) * F2 + (-5.0 + 2.0 * xh + 4.0 * x))
    d = (c.M_W ** 2 / (hg.LOOP * m_lep)) * (U * C * m_N) * (A - B)
    return 1.0 + 2.0 * np.cos(phi) * d.real + (d.real ** 2 + d.imag ** 2)


def _random_higgs_points(n, rng):
    m = 10 ** rng.uniform(-2, 7, n)
    m[: n // 4] = rng.uniform(20.0, 75.0, n // 4)              # both sides of m_h/2
    lam = m * 10 ** rng.uniform(0.02, 3, n)
    U = 10 ** rng.uniform(-5, 0, n)
    C = rng.choice([-1, 1], n) * 10 ** rng.uniform(-3, 0.5, n) / lam ** 2
    phi = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(-3, 3, n))
    return m, lam, U, C, phi


def test_signal_strength_agrees_with_the_old_formula():
    """Real arithmetic, one bracket for A - B, Horner kernel: mu within 1e-12 of the old
    complex evaluation at random points (1e-2 .. 1e7 GeV, below and above m_h/2, phases)."""
    m, lam, U, C, phi = _random_higgs_points(4000, np.random.default_rng(8))
    for f in ("e", "mu"):
        old = _old_signal_strength(c.LEPTON_MASS[f], m, U, C, lam, phi)
        new = hg.signal_strength(c.LEPTON_MASS[f], m, U, C, lam, phi)
        np.testing.assert_allclose(new, old, rtol=1e-12, atol=0)
    # mixed and one-sided point sets take different branches: same numbers
    below, above = m < 60.0, m > 70.0
    full = hg.signal_strength(c.M_MU, m, U, C, lam, phi)
    for sel in (below, above):
        np.testing.assert_array_equal(hg.signal_strength(c.M_MU, m[sel], U[sel], C[sel],
                                                         lam[sel], phi[sel]), full[sel])


def test_bracket_against_the_old_brackets_where_it_crosses_zero():
    """A - B crosses zero (e.g. m_N ~ 89 GeV, Lambda ~ 3 TeV): there neither form keeps
    1e-12 relative; both agree to 1e-14 of the size of the terms that cancel."""
    m, lam, *_ = _random_higgs_points(4000, np.random.default_rng(3))
    x = (m / c.M_W) ** 2
    re, im = hg.shift_bracket(x, lam)
    old = hg.mass_bracket(x, lam) - hg.yukawa_brace(x, lam)
    size = 10.0 + x * (np.abs(np.log(lam ** 2 / c.M_W ** 2)) + np.abs(np.log(x)) + x + 10.0)
    assert np.all(np.abs(re - old.real) <= 1e-14 * size)
    np.testing.assert_allclose(np.zeros_like(re) if im is None else im, old.imag, rtol=1e-13,
                               atol=1e-14 * size.max())


def test_horner_kernel_is_the_scipy_spline():
    """The uniform-grid Horner kernel evaluates the same piecewise cubic as scipy's
    CubicSpline (to 1e-15 relative); its accuracy is the table's, unchanged by the kernel:
    against direct quadrature of eq. 4.9, 5e-10 away from the h -> N N threshold and 3e-8
    just above it (x = 0.62, x0 = 0.605), where the functions have a square-root cusp."""
    rng = np.random.default_rng(4)
    for spline, kernel, w_max in zip(hg._splines(), hg._kernels(),
                                     (hg._W_BELOW_MAX, hg._W_ABOVE_MAX)):
        w = np.concatenate([rng.uniform(0, w_max, 5000), spline.x, [w_max, w_max + 1.0]])
        want = spline(np.minimum(w, w_max))
        got = kernel(w)
        for j in range(2):
            np.testing.assert_allclose(got[j], want[:, j], rtol=2e-15,
                                       atol=2e-15 * np.abs(want[:, j]).max())
    xs = np.array([1e-3, 0.3, 0.59, 0.62, 2.0, 40.0, 3e3, 1e6])
    F1, F2 = hg.loop_functions(xs)
    for x, a, b in zip(xs, F1, F2):
        tol = 5e-8 if abs(x / hg.X0 - 1.0) < 0.1 else 1e-9
        assert a.real == pytest.approx(hg.f1_quad(x).real, rel=tol)
        assert b == pytest.approx(hg.f2_quad(x), rel=tol)


def test_both_flavours_share_one_bracket(monkeypatch):
    """mu_h_mumu and br_h_to_ee of one evaluation compute A - B once (it does not depend
    on the lepton); a plain predict computes it for itself."""
    from hnlfit.observables import context
    calls = []
    real = hg.shift_bracket
    monkeypatch.setattr(hg, "shift_bracket", lambda *a: calls.append(1) or real(*a))
    p = hnlfit.make_point(m_N=[200.0, 700.0], Lambda=[2e3, 5e3], U_mu=0.01, U_e=0.02,
                          C_Hnue_mu=-1e-7, C_Hnue_e=3e-8)
    ev = context.Evaluation(p)
    mu = hnlfit.get_observable("mu_h_mumu")(ev)
    ee = hnlfit.get_observable("br_h_to_ee")(ev)
    assert len(calls) == 1
    np.testing.assert_array_equal(mu, hnlfit.predict("mu_h_mumu", p))
    np.testing.assert_array_equal(ee, hnlfit.predict("br_h_to_ee", p))
    assert len(calls) == 3
