"""CKM first-row unitarity term (2105.11462 Sec. 4.4, eqs. 4.17-4.23)."""
import copy
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import hnlfit.likelihoods as lk
from hnlfit.errors import DataError
from hnlfit.likelihoods.ckm import CKMTerm, ckm_model, ckm_term
from hnlfit.likelihoods.measurements import build_term, dataset_folder, load_file
from hnlfit.params import make_point

DATA = Path(lk.__file__).parent / "data"


def _entries(dataset):
    return {e["name"]: e for e in load_file(dataset_folder(dataset) / "ckm.yaml")}


@pytest.fixture(scope="module")
def seed():
    return _entries("seed")


@pytest.fixture(scope="module")
def current():
    return _entries("current")


def test_files_validate_and_build(seed, current):
    assert set(seed) == {"ckm_first_row", "ckm_first_row_TH"}
    assert seed["ckm_first_row"].get("default", True) is True
    assert seed["ckm_first_row_TH"]["default"] is False
    assert seed["ckm_first_row_TH"]["inputs"]["V_ud_source"] == "TH"
    for e in list(seed.values()) + list(current.values()):
        term = build_term(e)  # the measurements.py dispatch
        assert isinstance(term, CKMTerm)
        assert term.parameters == {"U_e", "U_mu"}
        assert "arXiv:2105.11462" in term.reference


# The seed quotes one significant digit; a reproduced bound must round to it, i.e. lie
# within half a unit of the quoted digit.
SEED_BOUNDS = [("ckm_first_row", "mu", 0.01), ("ckm_first_row", "e", 0.06),
               ("ckm_first_row_TH", "mu", 0.02), ("ckm_first_row_TH", "e", 0.07)]


@pytest.mark.parametrize("name,flavour,quoted", SEED_BOUNDS)
def test_seed_bounds_round_to_quoted(seed, name, flavour, quoted):
    b = ckm_term(seed[name]).bound(flavour)
    assert abs(b - quoted) < 0.005, (name, flavour, b)


# Our own numbers, pinned to catch regressions (2.71 crossing, other U = 0)
@pytest.mark.parametrize("name,flavour,value", [
    ("ckm_first_row", "mu", 0.00941), ("ckm_first_row", "e", 0.0601),
    ("ckm_first_row_TH", "mu", 0.0179), ("ckm_first_row_TH", "e", 0.0698)])
def test_seed_bounds_pinned(seed, name, flavour, value):
    assert ckm_term(seed[name]).bound(flavour) == pytest.approx(value, abs=1.5e-4)


def test_correlated_form_factor_variant(seed):
    """f_+(0) error common to K_e3 and K_mu3 (the correct treatment): the electron bound
    moves to 0.072 / 0.080 and no longer rounds to the seed's 0.06 / 0.07."""
    out = {}
    for name in ("ckm_first_row", "ckm_first_row_TH"):
        e = copy.deepcopy(seed[name])
        e["inputs"]["f_plus_correlated"] = True
        m = ckm_model(e)
        out[name] = (m.bound("mu"), m.bound("e"))
    assert out["ckm_first_row"] == pytest.approx((0.0099, 0.0723), abs=2e-4)
    assert out["ckm_first_row_TH"] == pytest.approx((0.0186, 0.0799), abs=2e-4)


def test_current_bounds(current):
    t = ckm_term(current["ckm_first_row"])
    assert t.bound("mu") == pytest.approx(0.0177, abs=2e-4)
    assert t.bound("e") == pytest.approx(0.0731, abs=2e-4)


def test_zero_at_no_hnl_exactly(seed, current):
    for e in list(seed.values()) + list(current.values()):
        t = ckm_term(e)
        assert t(U_e=0.0, U_mu=0.0) == 0.0
        z = t(make_point(U_e=np.zeros((3, 4)), U_mu=np.zeros((3, 4))))
        assert z.shape == (3, 4) and np.all(z == 0.0)
        assert t(make_point(m_N=100.0)) == 0.0  # U defaults to 0


def test_vectorized_shape_and_values(seed):
    t = ckm_term(seed["ckm_first_row"])
    rng = np.random.default_rng(7)
    ue = rng.uniform(0, 0.15, (3, 4))
    um = rng.uniform(0, 0.03, (3, 4))
    ue[0, 0] = um[0, 0] = 0.0
    chi = t(U_e=ue, U_mu=um)
    assert chi.shape == (3, 4)
    for i in np.ndindex(3, 4):
        assert chi[i] == pytest.approx(float(t(U_e=ue[i], U_mu=um[i])), abs=1e-9)
    # broadcasting: (3,1) against (1,4)
    assert t(U_e=ue[:, :1], U_mu=um[:1, :]).shape == (3, 4)
    # the lambda profile agrees with a brute-force 1-d minimisation
    m = t.model
    _, prof = m.profile(ue, um)
    for i in np.ndindex(3, 4):
        r = minimize_scalar(lambda lam: float(m.chi2(lam, ue[i], um[i])),
                            bounds=(0.2, 0.26), method="bounded", options={"xatol": 1e-12})
        assert prof[i] <= r.fun + 1e-8
        assert prof[i] == pytest.approx(r.fun, abs=1e-6)


def test_monotonic_and_large_mixing_finite(seed):
    m = ckm_model(seed["ckm_first_row"])
    u = np.linspace(0, 1, 201)
    for d in (m.delta_chi2(u, 0.0), m.delta_chi2(0.0, u)):
        assert np.all(np.isfinite(d))
        assert np.all(np.diff(d) > 0)


def test_only_U_mu_enters_Vud_and_Ke3():
    """A data set with V_ud and K_e3 only cannot see U_e (eqs. 4.18-4.19)."""
    entry = {"name": "t", "inputs": {
        "V_ud": {"PDG": {"value": 0.9737, "sigma": 0.0003}},
        "Kl3": {"modes": [{"lepton": "e", "value": 0.2165, "sigma": 0.0005}]},
        "f_plus_0": {"value": 0.97, "sigma": 0.003},
        "Kl2": {"value": 0.276, "sigma": 0.0004}, "fK_over_fpi": {"value": 1.193,
                                                                   "sigma": 0.002}}}
    m = ckm_model(entry)
    assert np.all(m.delta_chi2(np.array([0.1, 0.5]), 0.0) == pytest.approx(0.0, abs=1e-9))
    assert m.delta_chi2(0.0, 0.05) > 0


@pytest.mark.parametrize("mutate,match", [
    (lambda i: i.pop("V_ud"), "V_ud"),
    (lambda i: i.update(V_ud_source="XYZ"), "V_ud_source"),
    (lambda i: i["Kl3"]["modes"][0].update(lepton="tau"), "lepton"),
    (lambda i: i["Kl3"]["modes"][0].update(lepton={"e": 0.7, "mu": 0.7}), "sum to 1"),
    (lambda i: i["f_plus_0"].update(sigma=-1), "sigma > 0"),
    (lambda i: i.pop("Kl2"), "Kl2"),
    (lambda i: i.update(f_plus_correlated="yes"), "f_plus_correlated"),
])
def test_bad_inputs_raise_clear_errors(seed, mutate, match):
    e = copy.deepcopy(seed["ckm_first_row"])
    mutate(e["inputs"])
    with pytest.raises(DataError, match=match):
        ckm_term(e)


def test_breakdown(seed):
    t = ckm_term(seed["ckm_first_row"])
    row = t.breakdown(make_point(U_e=0.0, U_mu=np.array([0.0, 0.01])))[0]
    assert row["term"] == "ckm_first_row"
    assert row["prediction"].shape == (2,)  # profiled |V_us|
    assert row["prediction"][0] == pytest.approx(t.model.lambda_sm)
    assert row["chi2"][1] == pytest.approx(2.71, abs=0.4)


@pytest.mark.parametrize("dataset,name", [("seed", "ckm_first_row"),
                                          ("seed", "ckm_first_row_TH"),
                                          ("current", None)])
def test_chi2_against_explicit_channel_sum(dataset, name):
    """chi2(lambda, U) of the model (K_l3 as a quadratic form in lambda) against the sum
    written out channel by channel from the inputs (eqs. 4.18-4.20), correlated f_+(0) too."""
    entries = _entries(dataset)
    entry = entries[name] if name else next(iter(entries.values()))
    for corr in (False, True):
        e = copy.deepcopy(entry)
        e["inputs"]["f_plus_correlated"] = corr
        m = ckm_model(e)
        inp = m.inputs
        rng = np.random.default_rng(11)
        lam = rng.uniform(0.20, 0.25, 50)
        ue, um = rng.uniform(0, 0.2, 50), rng.uniform(0, 0.1, 50)
        y = inp.kl3_value / inp.f_plus
        cov = np.diag((inp.kl3_sigma / inp.f_plus) ** 2)
        th = np.outer(y, y) * (inp.f_plus_sigma / inp.f_plus) ** 2
        cov = cov + (th if corr else np.diag(np.diag(th)))
        winv = np.linalg.inv(cov)
        for i in range(50):
            k = 1 + 0.5 * (inp.kl3_w_e * um[i] ** 2 + inp.kl3_w_mu * ue[i] ** 2)
            r = lam[i] * k - y
            s = np.sqrt(1 - lam[i] ** 2)
            t = inp.kl2_value / inp.fk_fpi
            t_sig = t * np.hypot(inp.kl2_sigma / inp.kl2_value, inp.fk_fpi_sigma / inp.fk_fpi)
            explicit = (((s * (1 + um[i] ** 2 / 2) - inp.vud) / inp.vud_sigma) ** 2
                        + r @ winv @ r + ((lam[i] / s - t) / t_sig) ** 2)
            assert float(m.chi2(lam[i], ue[i], um[i])) == pytest.approx(explicit, rel=1e-10)


# ---- issue 8: completed square, stable residuals, high-precision reference ---------------
def _chi2_min_mpmath(model, ue, um, dps=40):
    """min over lambda of the channel-by-channel chi2 (eqs. 4.18-4.20) in 40-digit mpmath:
    covariance built and inverted in mpmath from the model's (double) inputs, the minimum
    from the root of d chi2/d lambda."""
    import mpmath as mp
    with mp.workdps(dps):
        M = mp.mpf
        inp = model.inputs
        y = [M(v) / M(inp.f_plus) for v in inp.kl3_value]
        rel = M(inp.f_plus_sigma) / M(inp.f_plus)
        n = len(y)
        cov = mp.matrix(n, n)
        for i in range(n):
            for j in range(n):
                th = y[i] * y[j] * rel ** 2 if (inp.f_plus_correlated or i == j) else 0
                cov[i, j] = th + ((M(inp.kl3_sigma[i]) / M(inp.f_plus)) ** 2 if i == j else 0)
        W = cov ** -1
        t = M(inp.kl2_value) / M(inp.fk_fpi)
        st = t * mp.sqrt((M(inp.kl2_sigma) / M(inp.kl2_value)) ** 2
                         + (M(inp.fk_fpi_sigma) / M(inp.fk_fpi)) ** 2)
        ue2, um2 = M(ue) ** 2, M(um) ** 2
        k = [1 + M(inp.kl3_w_e[i]) * um2 / 2 + M(inp.kl3_w_mu[i]) * ue2 / 2 for i in range(n)]

        def chi2(lam):
            s = mp.sqrt(1 - lam * lam)
            res = [lam * k[i] - y[i] for i in range(n)]
            return (((s * (1 + um2 / 2) - M(inp.vud)) / M(inp.vud_sigma)) ** 2
                    + sum(res[i] * W[i, j] * res[j] for i in range(n) for j in range(n))
                    + ((lam / s - t) / st) ** 2)

        lam = mp.findroot(lambda v: mp.diff(chi2, v), M(model.lambda_sm))
        return float(lam), chi2(lam)


@pytest.mark.parametrize("name,corr", [("ckm_first_row", False), ("ckm_first_row", True)])
def test_profile_against_a_40_digit_reference(seed, name, corr):
    """The profiled chi2 to 1e-12 absolute (~3e-14 of chi2 ~ 30; the old
    A lambda^2 - 2 B lambda + C form kept 1.4-5.5e-11 here) and lambda_hat to 2e-16."""
    e = copy.deepcopy(seed[name])
    e["inputs"]["f_plus_correlated"] = corr
    m = ckm_model(e)
    for ue, um in ((0, 0), (0, 0.01), (0.02, 0.005), (0.05, 0.0), (0.003, 0.03), (0.2, 0.1)):
        lam_ref, chi_ref = _chi2_min_mpmath(m, ue, um)
        lam, chi = m.profile(ue, um)
        assert abs(float(chi) - float(chi_ref)) < 1e-12 * max(1.0, float(chi_ref) / 30.0)
        assert abs(float(lam) - lam_ref) < 2e-16
    assert m.chi2_min_sm == pytest.approx(float(_chi2_min_mpmath(m, 0, 0)[1]), abs=1e-12)


def test_delta_chi2_agrees_with_the_code_before_the_speed_work(seed):
    """Delta chi2 of commit ca0e9d7 at pinned points, to 1e-9 of the chi2 scale (the old
    arithmetic's own precision was ~1e-12 of it; the values differ by up to 4e-11)."""
    m = ckm_model(seed["ckm_first_row"])
    ue = np.array([0.0, 0.0, 1e-4, 3e-3, 0.02, 0.05, 0.2, 0.5])
    um = np.array([1e-5, 0.01, 0.0, 0.03, 0.005, 0.05, 0.1, 0.01])
    old = np.array([2.9675549342300656e-06, 3.060394795166367, 6.9133663984644045e-06,
                    34.231068672469505, 1.028511542426081, 135.02100176598717,
                    1343.772546890236, 1149.98086105199])       # ca0e9d7, seed inputs
    np.testing.assert_allclose(m.delta_chi2(ue, um), old, rtol=0, atol=1e-9 * m.chi2_min_sm)


def test_newton_uses_the_predictor_and_stops_early(seed, monkeypatch):
    """Points with |U|^2 up to 1e-3 need one evaluation of chi2, chi2', chi2'' (the
    quadratic predictor is within ~1e-9 of lambda_hat); |U| ~ 0.5 iterates further."""
    m = ckm_model(seed["ckm_first_row"])
    calls = []
    real = m._fgh
    monkeypatch.setattr(m, "_fgh", lambda *a: calls.append(1) or real(*a))
    rng = np.random.default_rng(2)
    m.profile(10 ** rng.uniform(-4, -1.5, 1000), 10 ** rng.uniform(-4, -1.5, 1000))
    assert len(calls) == 1
    calls.clear()
    m.profile(np.array([0.5]), np.array([0.3]))
    assert len(calls) > 1


def test_term_reads_compact_mixings_and_skips_zero(seed):
    """A mixing given as one number is profiled once and spread; U = 0 everywhere costs
    nothing and gives exactly 0."""
    t = ckm_term(seed["ckm_first_row"])
    p = make_point(U_mu=0.01, m_N=np.linspace(100, 200, 5))
    out = t.chi2(p)
    assert out.shape == (5,) and np.all(out == out[0])
    assert out[0] == pytest.approx(float(t.model.delta_chi2(0.0, 0.01)), rel=1e-15)
    assert np.all(t.chi2(make_point(m_N=np.ones(4))) == 0.0)
