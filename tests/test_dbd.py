"""0vbb in 136Xe: 2105.11462 eqs. 4.24-4.29 (hnlfit.physics.nusmeft.dbd, hnlfit.observables.nusmeft.dbd)."""
from __future__ import annotations

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.physics.nusmeft import dbd

T_KAMLAND_ZEN_2016 = 1.07e26       # yr, 90% CL (seed ref. [107], arXiv:1605.02889)


def test_c1r_term_is_the_seed_coefficient():
    m4, C = 250.0, 3e-8
    v2C = c.VEV ** 2 * C
    got = hnlfit.predict("inv_half_life_xe136", m_N=m4, C_Hnue_e=C)
    assert got == pytest.approx(1.4e-10 * (1.0 / m4) ** 2 * v2C ** 4, rel=1e-14)
    # the c1r choice does not depend on U_e4 (seed: constrains C independently of U)
    assert hnlfit.predict("inv_half_life_xe136", m_N=m4, C_Hnue_e=C, U_e=0.05) == got


def test_scaling_C4_over_m2():
    base = hnlfit.predict("inv_half_life_xe136", m_N=100.0, C_Hnue_e=1e-8)
    assert hnlfit.predict("inv_half_life_xe136", m_N=100.0, C_Hnue_e=2e-8) == pytest.approx(
        16 * base, rel=1e-13)
    assert hnlfit.predict("inv_half_life_xe136", m_N=300.0, C_Hnue_e=1e-8) == pytest.approx(
        base / 9, rel=1e-13)
    assert hnlfit.predict("inv_half_life_xe136", m_N=100.0, C_Hnue_e=-1e-8) == base


def test_kamland_zen_limits():
    # T > 1.07e26 yr excludes |v^2 C| above 9.04e-4 (m_4 = 100 GeV) and 2.86e-3 (1 TeV)
    lim = dbd.c_limit(np.array([100.0, 1000.0]), 1.0 / T_KAMLAND_ZEN_2016)
    assert lim[0] == pytest.approx(9.04e-4, rel=2e-3)
    assert lim[1] == pytest.approx(2.858e-3, rel=2e-3)
    for m4, l in zip((100.0, 1000.0), lim):
        inv = hnlfit.predict("inv_half_life_xe136", m_N=m4, C_Hnue_e=l / c.VEV ** 2)
        assert inv * T_KAMLAND_ZEN_2016 == pytest.approx(1.0, rel=1e-12)
    # as Lambda for C = 1/Lambda^2: about 8.2 TeV and 4.6 TeV
    Lam = c.VEV / np.sqrt(lim)
    assert Lam[0] == pytest.approx(8190.0, rel=2e-3)
    assert Lam[1] == pytest.approx(4605.0, rel=2e-3)


def test_no_hnl_point_gives_zero():
    p = hnlfit.make_point(m_N=[1.0, 100.0, 1e4], C_Hnue_e=1e-7, U_e=0.03)
    obs = hnlfit.get_observable("inv_half_life_xe136")
    assert obs.sm == 0.0
    assert np.all(obs(p.no_hnl()) == 0.0)
    assert np.all(obs(p.no_hnl(), terms="full") == 0.0)
    # light-neutrino exchange alone
    assert obs(p.no_hnl(), terms="full", m_bb=0.1) == pytest.approx(2.4e-24 * 0.01)


def test_full_eq_4_29():
    m4, U, C, mbb = 200.0, 0.02, 2e-8, 0.03
    v2C2 = (c.VEV ** 2 * C) ** 2
    r = mbb / (m4 * 1e9)
    ref = (2.4e-24 * mbb ** 2 + 1.5e-7 * r * U ** 2 - 7.4e-9 * r * v2C2
           + (1 / m4) ** 2 * (23e-10 * U ** 4 - 2.3e-10 * v2C2 * U ** 2 + 1.4e-10 * v2C2 ** 2))
    got = hnlfit.predict("inv_half_life_xe136", m_N=m4, U_e=U, C_Hnue_e=C, terms="full",
                         m_bb=mbb)
    assert got == pytest.approx(ref, rel=1e-13)
    # with U = m_bb = 0 the full form is the c1r term
    assert hnlfit.predict("inv_half_life_xe136", m_N=m4, C_Hnue_e=C, terms="full") == \
        pytest.approx(hnlfit.predict("inv_half_life_xe136", m_N=m4, C_Hnue_e=C), rel=1e-14)


def test_eq_4_29_internal_consistency_and_clipping():
    k = dbd.consistency()
    assert k["square_mbb_U"] == pytest.approx(1.0, abs=0.03)
    assert k["interference_ratio"] == pytest.approx(1.0, abs=0.03)
    assert 0.0 < k["one_minus_G04_over_G01"] < 1.0
    # the rounded coefficients allow a slightly negative rate where m_bb cancels U^2/m_4:
    # at the minimum over m_bb it is clipped to 0
    m4, U = 100.0, 0.01
    y = U ** 2 / m4
    mbb = -1.5e-7 * y / (2 * 2.4e-24 * 1e9)          # eV, minimiser of the quadratic form
    v = hnlfit.predict("inv_half_life_xe136", m_N=m4, U_e=U, terms="full", m_bb=mbb)
    assert v == 0.0
    rng = np.random.default_rng(3)
    v = hnlfit.predict("inv_half_life_xe136", m_N=10 ** rng.uniform(0, 4, 1000),
                       U_e=rng.uniform(0, 0.1, 1000), C_Hnue_e=rng.normal(0, 1e-7, 1000),
                       terms="full", m_bb=0.05)
    assert np.all(v >= 0.0)


def test_bad_terms_argument():
    with pytest.raises(ValueError, match="terms"):
        hnlfit.predict("inv_half_life_xe136", m_N=100.0, C_Hnue_e=1e-8, terms="c1l")
    with pytest.raises(hnlfit.ObservableError, match="m_bb"):
        hnlfit.predict("inv_half_life_xe136", m_N=100.0, C_Hnue_e=1e-8, mbb=0.1)


def test_broadcasting():
    m = np.array([[100.0], [1000.0]])
    C = np.array([1e-8, 2e-8, 3e-8])
    v = hnlfit.predict("inv_half_life_xe136", m_N=m, C_Hnue_e=C)
    assert v.shape == (2, 3)
    assert v[1, 2] == pytest.approx(
        float(hnlfit.predict("inv_half_life_xe136", m_N=1000.0, C_Hnue_e=3e-8)), rel=1e-14)
    v = hnlfit.predict("inv_half_life_xe136", m_N=m, C_Hnue_e=C, U_e=0.01, terms="full",
                       m_bb=0.01)
    assert v.shape == (2, 3)


def test_broken_coefficient_file_gives_clear_error(tmp_path):
    bad = tmp_path / "dbd.yaml"
    bad.write_text("coefficients: {mbb2: 2.4e-24}\n")
    with pytest.raises(DataError, match="expected coefficients"):
        dbd.load_coefficients(bad)
    assert dbd.load_coefficients()["C4"] == 1.4e-10
