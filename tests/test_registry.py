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
