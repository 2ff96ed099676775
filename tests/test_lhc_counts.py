"""Event counts and likelihood terms of the LHC benchmarks B1-B3 (issue 11 item 6) and the
benchmark matrix (item 8)."""
import math

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import ObservableError, ParameterError
from hnlfit.physics.lhc import benchmarks as bm
from hnlfit.physics.lhc import counts as cnt
from hnlfit.physics.lhc import decays as dec
from hnlfit.physics.lhc import detector as det
from hnlfit.physics.lhc.production import sigma_pp_to_N1N2


def test_B1_is_sigma_lumi_br_eps():
    m1, m2, d = 60.0, 100.0, np.array([1e-8, 1e-7, 1e-6])
    N = hnlfit.predict("n_events_lhc_B1", m_N1=m1, m_N2=m2, d_NN=d)
    sigma = sigma_pp_to_N1N2(m1, m2, d)
    ct = dec.proper_decay_length(dec.gamma_N2_to_N1_gamma(m1, m2, d))
    expect = sigma * 1e3 * 3000.0 * 1.0 * det.efficiency("B1", m1, m2, ct)
    assert N == pytest.approx(expect, rel=1e-9)
    half = hnlfit.predict("n_events_lhc_B1", m_N1=m1, m_N2=m2, d_NN=d, lumi_fb=1500.0)
    assert half == pytest.approx(0.5 * N)
    # Lambda input: d_NN = 2 c_w / Lambda
    lam = 2 * math.sqrt(1 - c.SIN2_THETA_W) / d
    assert hnlfit.predict("n_events_lhc_B1", m_N1=m1, m_N2=m2, Lambda=lam,
                          coupling="Lambda") == pytest.approx(N)


def test_no_hnl_point_gives_zero_and_zero_chi2():
    p = hnlfit.make_point(m_N1=50.0, m_N2=700.0, d_NN=1.75e-4, d_gamma_e=1e-9, a=0.0,
                          U_e=1e-4)
    like = hnlfit.build_likelihood("lhc_projections", projections=True)
    assert like(p.no_hnl()) == 0.0
    for name in ("n_events_lhc_B1", "n_events_lhc_B2", "n_events_lhc_B3"):
        assert hnlfit.predict(name, p.no_hnl()) == 0.0
    # N1 without its decay coupling: no B2/B3 signal even with C_NNB on
    q = hnlfit.make_point(m_N1=50.0, m_N2=700.0, d_NN=1.75e-4)
    assert hnlfit.predict("n_events_lhc_B2", q) == 0.0
    assert hnlfit.predict("n_events_lhc_B3", q) == 0.0


def test_counting_events_vs_the_seed_factor_two():
    """B2 with BR(N1 -> nu gamma) = 1: seed = B (eps_a + eps_b) >= events = that - eps_ab;
    with a small BR (mixing decays dominate) the two agree to O(B)."""
    base = dict(m_N1=100.0, m_N2=700.0, d_NN=1.75e-4, d_gamma_e=3e-10, a=0.0)
    ev = hnlfit.predict("n_events_lhc_B2", **base)
    seed = hnlfit.predict("n_events_lhc_B2", counting="seed", **base)
    ct = dec.proper_decay_length(dec.n1_total_width(hnlfit.make_point(**base)))
    ea, eb, eab = (det.efficiency(f"B2_{t}", 100.0, 700.0, ct) for t in ("a", "b", "ab"))
    br = hnlfit.predict("br_N1_to_nu_gamma", hnlfit.make_point(**base))
    assert br > 0.98        # nu Z* takes the rest
    assert seed / ev == pytest.approx((ea + eb) / (ea + eb - br * eab), rel=1e-6)
    assert eab > 0.0 and seed > ev
    small = dict(base, d_gamma_e=3e-11, U_e=3e-7)   # mixing decays dominate, N1 displaced
    br = hnlfit.predict("br_N1_to_nu_gamma", hnlfit.make_point(**small))
    assert br < 1e-2
    assert hnlfit.predict("n_events_lhc_B2", **small) > 0
    r = hnlfit.predict("n_events_lhc_B2", counting="seed", **small) / hnlfit.predict(
        "n_events_lhc_B2", **small)
    assert r == pytest.approx(1.0, abs=2 * br)


def test_poisson_terms_three_and_thirty_events():
    like3 = hnlfit.build_likelihood("lhc_projections", include=["lhc_B3_hllhc"])
    like10 = hnlfit.build_likelihood("lhc_projections", include=["lhc_B3_10_events"])
    p = hnlfit.make_point(m_N1=200.0, m_N2=700.0, d_NN=1.75e-4, U_e=np.sqrt(1e-14))
    N = hnlfit.predict("n_events_lhc_B3", p)
    assert N > 1.0
    assert like3(p) == pytest.approx(2 * N)                     # chi2 = 2 s at n = b = 0
    assert like10(p) == pytest.approx(2 * 0.3 * N)              # the 10-event line
    # 3 events <-> the 2-dof 95% CL contour
    from hnlfit.fitter.limits import delta_chi2_threshold
    assert delta_chi2_threshold(0.95, dof=2) == pytest.approx(2 * 2.9957, rel=1e-4)


def test_bad_inputs():
    with pytest.raises(ParameterError, match="m_N1 < m_N2"):
        hnlfit.predict("n_events_lhc_B1", m_N1=800.0, m_N2=700.0, d_NN=1e-6)
    with pytest.raises(ParameterError, match="counting"):
        hnlfit.predict("n_events_lhc_B2", m_N1=80.0, m_N2=700.0, d_NN=1e-6, counting="photons")
    with pytest.raises(ObservableError, match="14000"):
        hnlfit.predict("n_events_lhc_B1", m_N1=80.0, m_N2=700.0, d_NN=1e-6, sqrt_s=13600.0)
    with pytest.raises(ParameterError, match="lumi_fb"):
        hnlfit.predict("n_events_lhc_B1", m_N1=80.0, m_N2=700.0, d_NN=1e-6, lumi_fb=-1.0)


def test_B2_B3_reach_where_the_seed_draws_it():
    """With m_N2 = 700 GeV and Lambda = 10 TeV, B2 and B3 give >= 3 events over most of
    m_N1 < m_N2 (numbers in docs/derivations/lhc_decays.md)."""
    m1 = np.array([20.0, 100.0, 400.0])
    N2, _ = bm.reach_B2(m1)
    N3, _ = bm.reach_B3(m1)
    assert np.all(N2 > 30) and np.all(N3 > 10)
    assert float(cnt.ctau_N2(1.0, 700.0, bm._d_NN_fixed())) < 1e-9


def test_matrix_cells_from_the_model():
    """B4: the window W = g_sigma/g_Gamma opens (W > 1) only for m_N1 -> 0, where
    N2 -> N1 gamma is the B5 signature, and never gives 3 displaced events; B5: at the d_gamma
    that produces 3 N the decay is prompt; B1 never reaches 3 events."""
    m = np.array([10.0, 100.0, 1000.0])
    N4, d4 = bm.reach_B4(m)
    assert np.all(d4["window_W_max"] < 2.0) and np.all(N4 < 3)
    N5, d5 = bm.reach_B5(m)
    assert np.all(d5["lab_decay_length_mm_at_3_produced"] < 6.0) and np.all(N5 < 3)
    N1, _ = bm.reach_B1(np.array([5.0, 50.0]))
    assert np.all(N1 < 3)
