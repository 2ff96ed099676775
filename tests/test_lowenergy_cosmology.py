"""Cosmology observables and the light neutrinos' own moments (issue 13, items 6-7)."""
import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c

D_REF = 1e-11 * c.MU_BOHR_GEV / 2.0        # d for mu_nu = 1e-11 mu_B


def test_mu_bohr_in_gev():
    assert c.MU_BOHR_GEV == pytest.approx(296.0, rel=2e-3)      # seed 001: mu_B = 296 GeV^-1


@pytest.mark.parametrize("m,mu", [(1e-3, 1.0), (3e-3, 0.5), (2e-4, 3.0)])
def test_lifetime_matches_the_slide_scaling(m, mu):
    tau = hnlfit.predict("tau_N", m_N=m, d_gamma_mu=mu * D_REF)
    slide = 3760.0 / mu ** 2 * (1e-3 / m) ** 3
    assert tau == pytest.approx(slide, rel=3e-3)                # 3768 s from the constants
    # flavours add in the width
    both = hnlfit.predict("tau_N", m_N=m, d_gamma_mu=mu * D_REF, d_gamma_tau=mu * D_REF)
    assert both == pytest.approx(tau / 2)
    assert np.isinf(hnlfit.predict("tau_N", m_N=m))


def test_decoupling_temperature_and_neff():
    assert hnlfit.predict("T_dec_N", m_N=1e-3, d_gamma_e=D_REF) == pytest.approx(1.28)
    assert hnlfit.predict("T_dec_N", m_N=1e-3, d_gamma_e=2 * D_REF) == pytest.approx(0.32)
    # thermalised N decoupling at ~1 GeV: g*s ~ 70 -> Delta N_eff ~ 0.08; at 20 MeV: 1
    dn = hnlfit.predict("delta_N_eff", m_N=1e-6, d_gamma_e=D_REF)
    assert 0.05 < dn < 0.12
    assert hnlfit.predict("delta_N_eff", m_N=1e-6, d_gamma_e=10 * D_REF) == pytest.approx(1.0)
    assert hnlfit.predict("delta_N_eff", m_N=1e-6) == 0.0


def test_light_neutrino_moments():
    # seed 001: 3e-20 mu_B (m_nu / 0.1 eV) for Dirac neutrinos
    assert hnlfit.predict("mu_nu_dirac_light") == pytest.approx(3.2e-20, rel=0.01)
    assert hnlfit.predict("mu_nu_dirac_light", m_nu_eV=0.05) == pytest.approx(1.6e-20, rel=0.01)
    # Majorana transition moments: GIM-suppressed by m_tau^2/m_W^2, far below 1e-23 mu_B
    for i, j in ((1, 2), (1, 3), (2, 3)):
        mu = hnlfit.predict("mu_nu_majorana_transition", i=i, j=j, m_lightest_eV=0.05,
                            alpha21=1.0, alpha31=2.0)
        assert 0 < mu < 1e-23
