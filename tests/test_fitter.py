"""Fitter: expressions, grid scans (chunks, process pool, Dask), profile, limits."""
import json
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from hnlfit.errors import DataError, ParameterError
from hnlfit.fitter import (ExpressionError, ScanResult, contour_2d, delta_chi2_threshold,
                           evaluate, global_minimum, grid_scan, limit_1d, profile_scan,
                           resolve)
from hnlfit.likelihoods.terms import FunctionTerm
from hnlfit.params import make_point

# ----------------------------------------------------------------------------- toy terms
# Module-level functions, so the terms pickle for process pools.
X0, Y0, SX, SY, RHO = 1.0, 0.05, 0.5, 0.02, 0.6


def _quad(p):
    """Correlated 2-d Gaussian in (x = 1e6 d_gamma_mu, y = U_mu), minimum -chi2_0."""
    x = 1e6 * p["d_gamma_mu"]
    y = p["U_mu"]
    dx, dy = (x - X0) / SX, (y - Y0) / SY
    q = (dx ** 2 + dy ** 2 - 2 * RHO * dx * dy) / (1 - RHO ** 2)
    return q - _Q_SM


_Q_SM = ((X0 / SX) ** 2 + (Y0 / SY) ** 2 - 2 * RHO * (X0 / SX) * (Y0 / SY)) / (1 - RHO ** 2)
QUAD = FunctionTerm("quad", _quad, parameters=("d_gamma_mu", "U_mu"))


def _circle(p):
    return (p["m_N"] - 3.0) ** 2 + (p["Lambda"] - 3.0) ** 2


CIRCLE = FunctionTerm("circle", _circle, parameters=("m_N", "Lambda"))


def _chnue(p):
    return ((p["C_Hnue_mu"] * 1e6 + 1.0) / 0.2) ** 2 - 25.0


CHNUE = FunctionTerm("chnue", _chnue, parameters=("C_Hnue_mu",))

AXES = {"d_gamma_mu": np.linspace(0.0, 2e-6, 23), "U_mu": np.linspace(0.0, 0.12, 17)}


def direct(term, axes):
    grids = np.meshgrid(*axes.values(), indexing="ij")
    return term.chi2(make_point(**dict(zip(axes, grids))))


# ----------------------------------------------------------------------------- expressions
def test_expression_valid_and_vectorized():
    lam = np.array([1e3, 2e3, 4e3])
    np.testing.assert_allclose(evaluate("-1/Lambda**2", {"Lambda": lam}), -1 / lam ** 2)
    out = resolve({"Lambda": lam, "sign": np.array([[1.0], [-1.0]])},
                  {"C_Hnue_mu": "sign/Lambda**2", "t": "sqrt(abs(C_Hnue_mu)) * pi"})
    assert out["C_Hnue_mu"].shape == (2, 3)
    np.testing.assert_allclose(out["C_Hnue_mu"][1], -1 / lam ** 2)
    np.testing.assert_allclose(out["t"][0], np.pi / lam)
    # every whitelisted function, unary minus/plus, a bare name equal to a function name
    v = evaluate("+log10(exp(log(x))) - -sin(x)*cos(x)/tan(x) + arctan(x) + sign(-x) + sign",
                 {"x": np.array(0.5), "sign": 2.0})
    expect = np.log10(0.5) + np.sin(.5) * np.cos(.5) / np.tan(.5) + np.arctan(.5) - 1 + 2
    assert v == pytest.approx(expect)


@pytest.mark.parametrize("expr, message", [
    ('__import__("os").system("true")', "not allowed"),
    ("Lambda.real", "Attribute"),
    ("x[0]", "Subscript"),
    ("lambda: 1", "Lambda"),
    ("1 // x", "'//'"),
    ("x < 1", "Compare"),
    ("max(x, 1)", "function 'max' is not allowed"),
    ("sqrt(x, 1)", "exactly one argument"),
    ("sqrt(x=1)", "keyword"),
    ("'text'", "numbers only"),
    ("True", "numbers only"),
    ("1 +", "not a valid expression"),
    ("Lamda * 2", "Did you mean 'Lambda'"),
    ("sqrt * 2", "write sqrt(...)"),
    ("1/(Lambda - 1)", "non-finite value for 'y' at Lambda=1"),
])
def test_expression_invalid_raises_naming_it(expr, message):
    with pytest.raises(ExpressionError) as exc:
        resolve({"Lambda": np.array([1.0, 2.0]), "x": 1.0}, {"y": expr})
    assert repr(expr) in str(exc.value) or message in str(exc.value)
    assert message in str(exc.value)
    assert isinstance(exc.value, DataError)


def test_expression_cycle_and_order():
    with pytest.raises(ExpressionError, match="cycle"):
        resolve({"x": 1.0}, {"a": "b + 1", "b": "a * 2"})
    out = resolve({"x": 2.0}, {"b": "a * 2", "a": "x + 1"})  # dependency order, any dict order
    assert out["b"] == 6.0


def test_huge_power_does_not_hang():
    with pytest.raises(ExpressionError, match="non-finite"):
        resolve({}, {"y": "10**10**10"})


# ----------------------------------------------------------------------------- grid scan
def test_scan_matches_direct_evaluation():
    r = grid_scan(QUAD, AXES, progress=False)
    assert r.shape == (23, 17)
    np.testing.assert_allclose(r.chi2, direct(QUAD, AXES), rtol=0, atol=1e-12)
    i, j = np.unravel_index(np.argmin(r.chi2), r.shape)
    m = r.minimum
    assert m["index"] == (i, j)
    assert m["d_gamma_mu"] == AXES["d_gamma_mu"][i] and m["U_mu"] == AXES["U_mu"][j]


@pytest.mark.parametrize("chunk", [1, 7, 50, 391, 10_000])
def test_scan_chunking_invariance(chunk):
    ref = grid_scan(QUAD, AXES, progress=False).chi2
    r = grid_scan(QUAD, AXES, chunk_size=chunk, progress=False)
    assert np.array_equal(r.chi2, ref)
    assert r.meta["n_chunks"] == -(-391 // chunk)


def test_scan_process_pool_identical():
    ref = grid_scan(QUAD, AXES, progress=False).chi2
    with ProcessPoolExecutor(2) as ex:
        r = grid_scan(QUAD, AXES, chunk_size=37, executor=ex, progress=False)
    assert np.array_equal(r.chi2, ref)


def test_process_pool_rejects_unpicklable_term_clearly():
    term = FunctionTerm("lam", lambda p: p["U_mu"] ** 2)
    with ProcessPoolExecutor(1) as ex, pytest.raises(TypeError, match="module level"):
        grid_scan(term, {"U_mu": np.linspace(0, 1, 5)}, executor=ex, progress=False)


@pytest.mark.slow
def test_scan_dask_local_cluster_identical():
    distributed = pytest.importorskip("dask.distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import us
    ref = grid_scan(QUAD, AXES, progress=False).chi2
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        r = grid_scan(QUAD, AXES, chunk_size=29, executor=client.get_executor(),
                      progress=False)
    assert np.array_equal(r.chi2, ref)


def test_scan_sampling_variable_and_derived():
    lam = np.geomspace(1e2, 1e4, 9)
    r = grid_scan(CHNUE, {"sign": np.array([-1.0, 1.0]), "Lambda": lam},
                  derived={"C_Hnue_mu": "sign/Lambda**2"}, progress=False)
    expect = ((np.array([-1.0, 1.0])[:, None] / lam ** 2 * 1e6 + 1.0) / 0.2) ** 2 - 25.0
    np.testing.assert_allclose(r.chi2, expect)
    prof = r.profile_out("sign")  # discrete sign minimised away
    np.testing.assert_allclose(prof.chi2, expect.min(axis=0))
    assert set(prof.profiled) == {"sign"}
    # a string in `fixed` is a derived expression
    r2 = grid_scan(CHNUE, {"Lambda": lam}, fixed={"C_Hnue_mu": "-1/Lambda**2"},
                   progress=False)
    np.testing.assert_allclose(r2.chi2, expect[0])


def test_scan_input_errors():
    with pytest.raises(ExpressionError, match="neither a model parameter"):
        grid_scan(QUAD, {"U_mu": [0.1], "sgn": [1.0]}, progress=False)  # unused aux var
    with pytest.raises(ParameterError, match="outside the allowed range"):
        grid_scan(QUAD, {"U_mu": [0.1, 1.5]}, progress=False)
    with pytest.raises(ParameterError, match="both varied and fixed"):
        grid_scan(QUAD, {"U_mu": [0.1]}, fixed={"U_mu": 0.2}, progress=False)
    with pytest.raises(ParameterError, match="single number"):
        grid_scan(QUAD, {"U_mu": [0.1]}, fixed={"d_gamma_mu": [1.0, 2.0]}, progress=False)
    with pytest.raises(ParameterError, match="non-empty 1-d"):
        grid_scan(QUAD, {"U_mu": [[0.1]]}, progress=False)


def test_scan_result_io_roundtrip(tmp_path):
    r = grid_scan(QUAD, AXES, fixed={"m_N": 1.0}, progress=False)
    r.chi2[0, 0] = np.nan  # NaN survives npz, becomes null in JSON
    r.to_npz(tmp_path / "s.npz")
    back = ScanResult.from_npz(tmp_path / "s.npz")
    assert np.array_equal(back.chi2, r.chi2, equal_nan=True)
    assert back.names == r.names and back.fixed == {"m_N": 1.0}
    r.to_json(tmp_path / "s.json")
    d = json.loads((tmp_path / "s.json").read_text())
    assert d["chi2"][0][0] is None and d["minimum"]["chi2"] == pytest.approx(r.minimum["chi2"])
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


# ----------------------------------------------------------------------------- profile
def test_profile_quadratic_vs_analytic():
    x = np.linspace(0.0, 2.0, 11)
    r = profile_scan(QUAD, {"d_gamma_mu": 1e-6 * x}, free={"U_mu": (0.05, 0.0, 0.2)},
                     progress=False)
    # profiling y out of a correlated Gaussian: chi2 = dx^2 - chi2_0, y_hat = y0 + rho sy dx
    # (Migrad's default tolerance stops at EDM ~ 2e-4: chi2 is that close to the minimum)
    dx = (x - X0) / SX
    np.testing.assert_allclose(r.chi2, dx ** 2 - _Q_SM, atol=2e-4)
    np.testing.assert_allclose(r.profiled["U_mu"], Y0 + RHO * SY * dx, atol=3e-4)
    assert r.valid.all()
    tight = profile_scan(QUAD, {"d_gamma_mu": 1e-6 * x}, free={"U_mu": (0.05, 0.0, 0.2)},
                         tol=1e-4, chunk_size=4, progress=False)
    np.testing.assert_allclose(tight.chi2, dx ** 2 - _Q_SM, atol=1e-7)


def test_global_minimum_quadratic():
    fit = global_minimum(QUAD, {"d_gamma_mu": (0.0, -1e-5, 1e-5), "U_mu": (0.1, 0.0, 0.5)})
    assert fit.valid
    # within 1% of a standard deviation (Migrad's default EDM tolerance)
    assert fit.values["d_gamma_mu"] == pytest.approx(1e-6 * X0, abs=0.01 * 1e-6 * SX)
    assert fit.values["U_mu"] == pytest.approx(Y0, abs=0.01 * SY)
    assert fit.chi2 == pytest.approx(-_Q_SM, abs=2e-4)
    assert fit.errors["U_mu"] == pytest.approx(SY, rel=1e-2)  # Hesse: marginal sigma
    assert fit.errors["d_gamma_mu"] == pytest.approx(1e-6 * SX, rel=1e-2)


# ----------------------------------------------------------------------------- limits
def test_thresholds():
    assert delta_chi2_threshold(0.95, 1) == pytest.approx(3.841, abs=1e-3)
    assert delta_chi2_threshold(0.95, 2) == pytest.approx(5.991, abs=1e-3)
    assert delta_chi2_threshold(0.95, 1, one_sided=True) == pytest.approx(2.706, abs=1e-3)
    assert delta_chi2_threshold(0.6827, 1) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError):
        delta_chi2_threshold(0.95, 2, one_sided=True)


def test_limit_1d_vs_analytic():
    x = np.linspace(-3.0, 5.0, 81)
    chi2 = ((x - 1.0) / 0.7) ** 2 - 4.0
    lim = limit_1d(x, chi2, cl=0.95, dof=1)
    half = 0.7 * np.sqrt(3.841458820694124)
    np.testing.assert_allclose(lim.crossings, [1 - half, 1 + half], atol=2e-3)
    assert list(lim.rising) == [False, True]
    assert lim.lower == pytest.approx(1 - half, abs=2e-3)
    assert lim.upper == pytest.approx(1 + half, abs=2e-3)
    assert (lim.threshold, lim.dof, lim.reference) == (pytest.approx(3.8415, abs=1e-4), 1,
                                                       "from_minimum")
    # from the no-HNL point: chi2 < 2.71 where |x - 1| < 0.7 sqrt(6.71)
    sm = limit_1d(x, chi2, cl=0.95, one_sided=True, reference="from_sm")
    h2 = 0.7 * np.sqrt(4.0 + 2.705543454095404)
    np.testing.assert_allclose(sm.crossings, [1 - h2, 1 + h2], atol=3e-3)
    assert sm.one_sided and sm.reference == "from_sm"
    # an upper limit on a log axis: chi2 = (u/1e-3)^2, threshold crossed at 1e-3 sqrt(3.84)
    u = np.geomspace(1e-6, 1e-1, 60)
    up = limit_1d(u, (u / 1e-3) ** 2, log_x=True, reference="from_sm")
    assert up.upper == pytest.approx(1e-3 * np.sqrt(3.8414588), rel=2e-2)
    assert up.intervals[0][0] == u[0] and up.open_ends[0] == (True, False)
    assert "cl" in up.to_dict() and up.to_dict()["dof"] == 1


def test_contour_circle_vs_radius():
    x = np.linspace(0.1, 6.0, 121)
    y = np.linspace(0.1, 6.0, 101)
    r = grid_scan(CIRCLE, {"m_N": x, "Lambda": y}, progress=False)
    c = r.contour(cl=0.95)  # 2 dof: radius sqrt(5.99)
    assert (c.dof, c.reference, c.x_name, c.y_name) == (2, "from_minimum", "m_N", "Lambda")
    assert len(c) == 1
    radius = np.hypot(c.lines[0][:, 0] - 3.0, c.lines[0][:, 1] - 3.0)
    np.testing.assert_allclose(radius, np.sqrt(5.991464547107979), atol=2e-3)
    assert np.allclose(c.lines[0][0], c.lines[0][-1])  # closed
    c1 = contour_2d(x, y, r.chi2, threshold=1.0)
    np.testing.assert_allclose(np.hypot(c1.lines[0][:, 0] - 3, c1.lines[0][:, 1] - 3), 1.0,
                               atol=2e-3)
    assert c1.cl == pytest.approx(0.3935, abs=1e-4)  # the CL of Delta chi2 = 1 at 2 dof
