"""The fitter on the real likelihood: the seed's CKM bound via a scan, a profile over U_mu."""
import numpy as np

import hnlfit
from hnlfit.fitter.limits import limit_1d
from hnlfit.fitter.profile import profile_scan
from hnlfit.fitter.scan import grid_scan


def test_ckm_bound_through_scan_and_limit():
    """2105.11462 eq. 4.22: |U_mu4| < 0.01 at 95% CL (one-sided, Delta chi2 from U = 0)."""
    like = hnlfit.build_likelihood("seed", include=["ckm_first_row"])
    res = grid_scan(like, {"U_mu": np.linspace(0.0, 0.03, 301)}, progress=False)
    lim = limit_1d(res.axes["U_mu"], res.chi2, cl=0.95, one_sided=True, reference="from_sm")
    assert np.isclose(lim.threshold, 2.7055, atol=1e-3)
    assert round(lim.upper, 2) == 0.01


def test_profile_over_mixing_prefers_the_g2_region():
    """Profiling |U_mu4| at m_N = 400 GeV: Delta a_mu pulls the best Lambda to ~1 TeV, where
    the combination improves on the SM by almost (251/59)^2 = 18."""
    like = hnlfit.build_likelihood(
        "seed", include=["delta_a_mu", "h_mumu_cms", "lhc_hnl_mu", "ckm_first_row"])
    lam = np.geomspace(500.0, 5000.0, 12)
    pr = profile_scan(like, {"Lambda": lam}, free={"U_mu": (0.005, 1e-4, 0.05)},
                      fixed={"m_N": 400.0, "C_Hnue_mu": "-1/Lambda**2"}, progress=False)
    best = int(np.argmin(pr.chi2))
    assert 600.0 < lam[best] < 1500.0
    assert -18.2 < pr.chi2[best] < -16.0
    assert pr.chi2[-1] > -1.0     # at 5 TeV the operator is too weak to matter
