import numpy as np
import pytest

from hnlfit.likelihoods.terms import (AsymmetricGaussian, Combined, FunctionTerm, Gaussian,
                                      PoissonCount, PyhfCount, UpperLimit, counting_spec)
from hnlfit.observables.registry import observable
from hnlfit.params import make_point


# A test-only observable: linear in U_tau so the expected chi2 is easy to write down.
@observable("_test_linear", unit="1", tex="x", params=("U_tau",), refs=("test",), sm=0.0)
def _linear(p):
    return 10.0 * p["U_tau"]


def pts(u):
    return make_point(U_tau=np.asarray(u, float))


def test_gaussian_is_relative_to_no_hnl_point():
    t = Gaussian(name="g", observable="_test_linear", value=1.0, sigma=0.5)
    u = np.array([0.0, 0.05, 0.1, 0.2])
    expect = ((10 * u - 1.0) / 0.5) ** 2 - (1.0 / 0.5) ** 2
    np.testing.assert_allclose(t(pts(u)), expect)
    assert t(pts(0.0)) == 0.0


def test_asymmetric_gaussian_uses_the_side_width():
    t = AsymmetricGaussian(name="a", observable="_test_linear", value=1.0, sigma_up=0.5,
                           sigma_down=0.25)
    up, down = t(pts(0.2)), t(pts(0.05))  # predictions 2.0 and 0.5
    sm = (1.0 / 0.25) ** 2
    assert np.isclose(up, (1.0 / 0.5) ** 2 - sm)
    assert np.isclose(down, (0.5 / 0.25) ** 2 - sm)


def test_upper_limit_reaches_z_squared_at_the_limit():
    t = UpperLimit(name="u", observable="_test_linear", limit=1.0, cl=0.95)
    assert np.isclose(t(pts(0.1)), 1.6448536 ** 2, rtol=1e-6)   # 2.71 at 95% CL
    t90 = UpperLimit(name="u90", observable="_test_linear", limit=1.0, cl=0.90)
    assert np.isclose(t90(pts(0.1)), 1.2815516 ** 2, rtol=1e-6)


def test_poisson_zero_background_three_events_is_95cl():
    t = PoissonCount(name="p", observable="_test_linear", n_obs=0, background=0.0)
    assert np.isclose(t(pts(0.3)), 6.0)  # 3 events -> 2 s = 6 ~ 5.99 (2 dof 95%)


def test_poisson_with_background_matches_formula():
    t = PoissonCount(name="p", observable="_test_linear", n_obs=5, background=3.0)
    s = 2.0
    expect = 2 * ((s + 3) - 5 * np.log(s + 3)) - 2 * (3 - 5 * np.log(3))
    assert np.isclose(t(pts(0.2)), expect)


def test_pyhf_count_agrees_with_poisson_when_background_is_known():
    spec = counting_spec(n_obs=4, background=3.0, background_uncertainty=1e-4)
    t = PyhfCount("h", "_test_linear", spec)
    ref = PoissonCount(name="p", observable="_test_linear", n_obs=4, background=3.0)
    u = np.array([0.0, 0.1, 0.3, 0.5])
    np.testing.assert_allclose(t(pts(u)), ref(pts(u)), atol=2e-3)


def test_pyhf_background_uncertainty_weakens_the_constraint():
    tight = PyhfCount("a", "_test_linear", counting_spec(2, 2.0, 1e-4))
    loose = PyhfCount("b", "_test_linear", counting_spec(2, 2.0, 1.0))
    assert loose(pts(0.5)) < tight(pts(0.5))


def test_terms_compose_and_report_a_breakdown():
    g = Gaussian(name="g", observable="_test_linear", value=1.0, sigma=0.5)
    u = UpperLimit(name="u", observable="_test_linear", limit=3.0, cl=0.9)
    f = FunctionTerm("f", lambda p: p["U_tau"] ** 2, parameters=["U_tau"])
    total = g + u + f
    assert isinstance(total, Combined) and len(total.terms) == 3
    p = pts([0.0, 0.1])
    np.testing.assert_allclose(total(p), g(p) + u(p) + f(p))
    rows = total.breakdown(pts(0.1))
    assert [r["term"] for r in rows] == ["g", "u", "f"]
    assert np.isclose(rows[0]["prediction"], 1.0) and np.isclose(rows[0]["pull"], 0.0)
    assert total["u"] is u
    assert sum([g, u]).terms == [g, u]


def test_same_term_twice_is_refused():
    g = Gaussian(name="g", observable="_test_linear", value=1.0, sigma=0.5)
    with pytest.raises(ValueError, match="twice"):
        g + g


def test_bad_term_settings():
    with pytest.raises(ValueError, match="sigma"):
        Gaussian(name="g", observable="_test_linear", value=1.0, sigma=0.0)
    with pytest.raises(ValueError, match="limit"):
        UpperLimit(name="u", observable="_test_linear", limit=-1.0)


# ---- issue 8: evaluation shortcuts -------------------------------------------------------
def test_piecewise_linear_is_np_interp_bit_for_bit():
    from hnlfit.likelihoods.terms import PiecewiseLinear
    rng = np.random.default_rng(0)
    xp = np.log([90.0, 95.0, 100.0, 130.0, 150.0, 200.0, 400.0, 600.0, 800.0, 1200.0])
    fp = rng.normal(size=xp.size)
    u = np.concatenate([rng.uniform(xp[0] - 1, xp[-1] + 1, 20000), xp,
                        np.nextafter(xp, np.inf), np.nextafter(xp, -np.inf)])
    np.testing.assert_array_equal(PiecewiseLinear(xp, fp)(u), np.interp(u, xp, fp))
    with pytest.raises(ValueError):
        PiecewiseLinear([1.0, 1.0], [0.0, 1.0])


def test_terms_without_coupling_are_exactly_zero_and_constant_sm_is_folded():
    g = Gaussian(name="g", observable="_test_linear", value=0.3, sigma=0.1)
    assert g.is_sm_at(pts([0.0, 0.0])) and not g.is_sm_at(pts([0.0, 0.01]))
    assert np.all(g.chi2(pts([0.0, 0.0])) == 0.0)
    u = np.array([0.0, 0.01, 0.05])
    np.testing.assert_array_equal(g.chi2(pts(u)),
                                  ((10 * u - 0.3) / 0.1) ** 2 - (0.3 / 0.1) ** 2)
