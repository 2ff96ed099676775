import math

import numpy as np
import pytest

from hnlfit import constants as c
from hnlfit.errors import ParameterError
from hnlfit.params import (PARAMETERS, dipoles_from_ratio, dipoles_from_unbroken, make_point,
                           ratio_zero_dZ)


def test_broadcasting_of_arrays():
    p = make_point(m_N=np.array([100.0, 200.0, 300.0])[:, None], Lambda=np.array([1e3, 2e3]))
    assert p.shape == (3, 2)
    assert p["m_N"].shape == (3, 2)
    assert np.all(p["U_mu"] == 0.0) and p["U_mu"].shape == (3, 2)  # default coupling


@pytest.mark.parametrize("bad, words", [
    (dict(m_n=1.0), ["m_n", "m_N"]),
    (dict(m_N=-1.0), ["m_N", "allowed range"]),
    (dict(m_N=0.0), ["m_N"]),
    (dict(U_mu=1.5), ["U_mu", "[0, 1]"]),
    (dict(Lambda=np.nan), ["Lambda", "non-finite"]),
    (dict(m_N=[1.0, np.inf]), ["m_N", "non-finite"]),
    (dict(m_N="heavy"), ["m_N"]),
    (dict(m_N=[1.0, 2.0], Lambda=[1.0, 2.0, 3.0]), ["broadcast"]),
])
def test_bad_input_names_the_parameter(bad, words):
    with pytest.raises(ParameterError) as err:
        make_point(**bad)
    for w in words:
        assert w in str(err.value)


def test_missing_required_parameter_is_a_clear_error():
    p = make_point(U_mu=0.01)
    with pytest.raises(KeyError, match="m_N"):
        p["m_N"]


def test_unbroken_and_ratio_bases_agree_at_random_points():
    rng = np.random.default_rng(1)
    d_UB = rng.normal(size=50) * 1e-6
    d_UW = rng.normal(size=50) * 1e-6
    dg, dz, dw = dipoles_from_unbroken(d_UB, d_UW)
    dz2, dw2 = dipoles_from_ratio(dg, d_UW / d_UB)
    np.testing.assert_allclose(dz2, dz, rtol=1e-10)
    np.testing.assert_allclose(dw2, dw, rtol=1e-10)
    # explicit eq. 2.4 of 2308.16608
    sw, cw = math.sqrt(c.SIN2_THETA_W), math.sqrt(1 - c.SIN2_THETA_W)
    np.testing.assert_allclose(dg, c.VEV / math.sqrt(2) * (d_UB * cw + d_UW * sw / 2))


def test_a_equal_two_tan_thetaw_switches_off_dZ():
    p = make_point(m_N=1.0, d_gamma_e=1e-6, a=ratio_zero_dZ())
    assert abs(p["d_Z_e"]) < 1e-20
    assert p["d_W_e"] > 0


def test_point_from_unbroken_basis_fills_broken_one():
    p = make_point(m_N=1.0, d_UB_mu=1e-6, d_UW_mu=2e-6)
    dg, dz, dw = dipoles_from_unbroken(1e-6, 2e-6)
    assert np.isclose(p["d_gamma_mu"], dg) and np.isclose(p["d_Z_mu"], dz)


def test_inconsistent_over_specification_is_rejected():
    with pytest.raises(ParameterError, match="d_Z_e"):
        make_point(d_gamma_e=1e-6, a=1.0, d_Z_e=5e-6)
    # consistent over-specification is fine
    dz, _ = dipoles_from_ratio(1e-6, 1.0)
    make_point(d_gamma_e=1e-6, a=1.0, d_Z_e=dz)


def test_no_hnl_point_switches_off_every_coupling_only():
    p = make_point(m_N=200.0, U_mu=0.01, C_Hnue_mu=-1e-6, Lambda=1e3, d_gamma_e=1e-6, a=0.3)
    q = p.no_hnl()
    for name in ("U_mu", "C_Hnue_mu", "d_gamma_e", "d_Z_e", "d_W_e"):
        assert np.all(q[name] == 0.0)
    assert q["m_N"] == 200.0 and q["Lambda"] == 1e3 and q["a"] == 0.3


def test_eft_validity_flag():
    p = make_point(m_N=[100.0, 2000.0], Lambda=1000.0)
    assert list(p.eft_valid) == [True, False]


def test_every_parameter_has_unit_and_description():
    for spec in PARAMETERS.values():
        assert spec.unit and spec.description
