import numpy as np
import pytest

import hnlfit
from hnlfit.errors import ObservableError, ParameterError
from hnlfit.observables import registry

REQUIRED = ["delta_a_mu", "delta_a_e", "br_mu_to_e_gamma", "inv_half_life_xe136", "mu_h_mumu",
            "br_h_to_ee", "d_e", "br_tau_to_mu_gamma", "br_tau_to_e_gamma", "x_lhc_mu",
            "x_lhc_e"]


def test_public_names_exist_with_metadata():
    for name in REQUIRED:
        obs = registry.get(name)
        assert obs.unit and obs.tex and obs.refs and obs.params


def test_unknown_observable_suggests_the_closest():
    with pytest.raises(ObservableError, match="delta_a_mu"):
        hnlfit.predict("delta_a_muu", m_N=100.0)


def test_unknown_argument_and_missing_parameter():
    with pytest.raises(ObservableError, match="sqrt_s"):
        hnlfit.predict("delta_a_mu", m_N=100.0, sqrt_s=91.0)
    with pytest.raises(ObservableError, match="m_N"):
        hnlfit.predict("delta_a_mu", U_mu=0.01, C_Hnue_mu=-1e-6)
    with pytest.raises(ParameterError, match="U_mu"):
        hnlfit.predict("delta_a_mu", m_N=100.0, U_mu=-0.1)


def test_every_observable_broadcasts_and_vanishes_without_hnl():
    """All registered observables with sm = 0 give exactly 0 at the no-HNL point."""
    p = hnlfit.make_point(m_N=np.array([[150.0], [400.0]]), Lambda=np.array([1e3, 3e3, 9e3]),
                          m_N1=np.array([[20.0], [300.0]]), m_N2=np.array([[60.0], [450.0]]))
    for obs in registry.all_observables():
        if obs.name.startswith("_") or obs.name in ("decay_length_N", "br_N_to_nu_gamma"):
            continue
        # required arguments: sqrt_s and E_N in GeV, a detector by name
        needed = {"detector": "FASER2"}
        args = {k: (needed.get(k, 91.19) if v is None else v) for k, v in obs.args.items()}
        val = obs(p, **args)
        assert val.shape == (2, 3), obs.name
        if obs.sm is not None:
            np.testing.assert_array_equal(val, obs.sm, err_msg=obs.name)


def test_validity_domains_are_declared_with_the_observables():
    """The EFT and kinematic domains (issue 9): strong coupling and m_N < Lambda for the
    nuSMEFT observables, sqrt_s > 0 and the threshold for e+e- -> N nu, E_N >= m_N for the
    decay length, the meson mass for every meson BR."""
    texts = {o.name: [v.text() for v in o.valid] for o in registry.all_observables()}
    assert "m_N < Lambda" in texts["delta_a_mu"]
    assert "m_N^2 |C_Hnue_mu| < (4 pi)^2" in texts["delta_a_mu"]
    assert {"0 < sqrt_s", "m_N <= sqrt_s"} <= set(texts["sigma_ee_to_N_nu"])
    assert "m_N <= E_N" in texts["decay_length_N"]
    for name in ("br_jpsi_to_N", "br_pi0_to_N", "br_B_to_N"):
        assert any(t.startswith("m_N <") for t in texts[name]), name


def test_unknown_keyword_is_a_parameter_error_too():
    with pytest.raises(ParameterError, match="Did you mean 'm_N'"):
        hnlfit.predict("delta_a_mu", m_n=100.0)
