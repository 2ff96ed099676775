"""Xenon response, the XENONnT SR0 likelihood and its validation (issue 13, items 3-4)."""
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import DataError, ObservableError
from hnlfit.likelihoods.measurements import build_likelihood, load_file
from hnlfit.physics.lowenergy import cross_sections as xs, rates, solar, xenon

MU_B = c.MU_BOHR_GEV


@pytest.fixture(scope="module")
def like():
    return build_likelihood("low_energy_current", projections=True, include=[
        "xenonnt_sr0_er", "xenonnt_sr0_er_incoherent", "xenon1t_2020_er_expected",
        "xenonnt_full_er_expected", "lz_full_er_expected", "pandax4t_full_er_expected",
        "borexino_phase2"])


def _point(mu_over_muB, m_N=1e-6, flavours=("e", "mu", "tau")):
    d = np.asarray(mu_over_muB) * MU_B / 2.0
    return hnlfit.make_point(m_N=m_N, **{f"d_gamma_{f}": d for f in flavours})


def _limit(term, m_N=1e-6, thr=None):
    thr = term.exclusion_z() ** 2 if thr is None else thr
    return 10 ** brentq(lambda x: float(term.chi2(_point(10 ** x, m_N))) - thr, -14, -7)


def test_stepping_function_counts_54_electrons():
    tg = xenon.target()
    assert sum(n for _, n in tg["shells"].values()) == 54
    assert rates.z_eff(1.0, tg) == 54 and rates.z_eff(4.7e-6, tg) == 44
    assert rates.z_eff(4.8e-6, tg) == 48 and rates.z_eff(1e-8, tg) == 0
    r = hnlfit.predict("dR_dEr_xenon", m_N=1e-6, d_gamma_e=1e-9, E_r=[4.78e-6, 4.80e-6])
    assert r[1] / r[0] == pytest.approx(48 / 44 * 4.78 / 4.80, rel=0.01)


def test_rate_against_direct_quadrature():
    """m_N -> 0, equal couplings, incoherent flavours: rate = N_e Z_eff sum_s Phi_s <sigma>."""
    T, mu = 5e-6, 1e-11 * MU_B
    tg = xenon.target()
    total = 0.0
    for s, flux in solar.fluxes().items():
        if s in solar.lines():
            total += sum(flux * b * xs.dsigma_dT_light(E, T, mu) for E, b in solar.lines()[s])
        else:
            emin = 0.5 * (T + np.sqrt(T * T + 2 * c.M_E * T))
            total += flux * quad(lambda E: solar.spectrum(s, E) * xs.dsigma_dT_light(E, T, mu),
                                 emin, solar.endpoint(s), limit=200, points=[solar.endpoint(s) * 0.999])[0]
    assert rates.z_eff(T, tg) == 48            # K, L1, L2 still bound at 5 keV
    expected = total * 48 * 1e6 / tg["A"] * 6.02214076e23 * xs.GEV2_TO_CM2 * c.SECONDS_PER_YEAR
    got = hnlfit.predict("dR_dEr_xenon", m_N=1e-8, d_gamma_e=mu / 2, d_gamma_mu=mu / 2,
                         d_gamma_tau=mu / 2, E_r=T, flavour_mode="incoherent")
    assert got == pytest.approx(expected, rel=3e-3)
    # ~ 0.7 events/(t yr keV) at 5 keV for 1e-11 mu_B ... scale check
    assert 0.1 < got * 1e-6 / 1.0 < 30


def test_release_background_and_events(like):
    t = like["xenonnt_sr0_er"]
    assert t.n_obs.sum() == 433
    assert t.background.sum() == pytest.approx(426.0, abs=1.5)     # the release: ~426 events


def test_no_hnl_point_gives_zero(like):
    p = hnlfit.make_point(m_N=[1e-6, 1e-3, 0.05])
    for term in like.terms:
        assert np.all(term.chi2(p) == 0.0), term.name


def test_xenonnt_limit_agrees_with_collaboration(like):
    """XENONnT: mu_nu < 6.3e-12 mu_B (90% CL), an effective moment for all flavours: our
    incoherent-flavour term with equal couplings, Delta chi2 = 2.71 (1.64 one-sided)."""
    inc = like["xenonnt_sr0_er_incoherent"]
    lim = _limit(inc)
    assert lim == pytest.approx(6.3e-12, rel=0.20)          # 7.1e-12
    assert _limit(inc, thr=1.642) == pytest.approx(6.3e-12, rel=0.20)   # 5.7e-12
    phys = _limit(like["xenonnt_sr0_er"])
    assert 1.0 < phys / lim < 1.2                           # mass-eigenstate weighting ~0.87


def test_xenon1t_order_and_projections(like):
    lim1t = _limit(like["xenon1t_2020_er_expected"])
    assert 1e-11 < lim1t < 1e-10                            # seed 001: ~7e-11 disfavoured
    nt = _limit(like["xenonnt_sr0_er"])
    for name in ("xenonnt_full_er_expected", "lz_full_er_expected"):
        assert _limit(like[name]) < nt
    bx = _limit(like["borexino_phase2"])
    assert bx == pytest.approx(2.8e-11 * np.sqrt(1 / 0.85), rel=0.1)


def test_limits_weaken_with_mass_and_close_kinematically(like):
    t = like["xenonnt_sr0_er"]
    lims = [_limit(t, m) for m in (1e-6, 1e-4, 3e-4)]
    assert lims[0] <= lims[1] < lims[2]
    # 8B/hep reach m_N ~ 2.4 MeV in 1-30 keV electron recoils; beyond nothing
    assert t.chi2(_point(1e-8, m_N=5e-3)) == 0.0
    assert like["borexino_phase2"].chi2(_point(1e-8, m_N=0.05)) == 0.0


def test_bad_detector_block_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("""measurements:
  - name: broken
    kind: solar_spectrum
    year: 2022
    references: [{arxiv: "2207.11330"}]
    detector: {channel: muon, exposure_t_yr: 1.0, window_keV: [1, 30], resolution: {a: 0.3, b: 0}}
""")
    entries = load_file(f)
    from hnlfit.likelihoods.measurements import build_term
    with pytest.raises(DataError, match="broken.*channel"):
        build_term(entries[0])
    with pytest.raises(ObservableError, match="channel"):
        hnlfit.predict("dR_dEr_xenon", m_N=1e-6, E_r=1e-6, channel="muon")


def test_nuclear_recoil_channel():
    from hnlfit.physics.lowenergy import xenon as xe
    # the sharp threshold reproducing the SM 8B expectation derived from 2408.02877
    thr = xe.calibrated_threshold_kev(12.3 / 3.51)
    assert 1.5 < thr < 3.0
    assert xe.sm_cevns_counts(thr) * 3.51 == pytest.approx(12.3, rel=1e-4)
    like = build_likelihood("low_energy_current", include=["xenonnt_8b_cevns_nr"])
    t = like["xenonnt_8b_cevns_nr"]
    assert t.chi2(hnlfit.make_point(m_N=1e-3)) == 0.0
    lim = _limit(t)
    assert 5e-10 < lim < 5e-9                                 # 1.45e-9 mu_B
    # NR reach beyond the ER one (E_min ~ M^2/(2 sqrt(2 m_A T))): open at 10 MeV, shut at 30
    n10 = hnlfit.predict("n_events_xenon_nr", **{k: v for k, v in _point(1e-8, 1e-2).items()})
    n30 = hnlfit.predict("n_events_xenon_nr", **{k: v for k, v in _point(1e-8, 3e-2).items()})
    assert n10 > 0 and n30 == 0
