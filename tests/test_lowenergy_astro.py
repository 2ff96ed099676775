"""SN 1987A, stellar cooling and BBN terms (issue 13, items 5-6)."""
import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.likelihoods.measurements import build_likelihood
from hnlfit.physics.lowenergy import cosmology, stellar, supernova as sn
from test_lowenergy_xsec import GAM, G, PL, slash

MU_B = c.MU_BOHR_GEV


def _point(mu, m_N, universal=True):
    d = np.asarray(mu) * MU_B / 2
    return hnlfit.make_point(m_N=m_N, d_gamma_e=d, **({"d_gamma_mu": d, "d_gamma_tau": d}
                                                      if universal else {}))


@pytest.fixture(scope="module")
def like():
    return build_likelihood("low_energy_current", include=[
        "sn1987a_energy_loss", "sn1987a_gamma_smm", "red_giant_plasmon",
        "horizontal_branch_plasmon", "bbn_thermal", "bbn_thermal_trh_1gev"])


def test_plasmon_width_against_explicit_trace():
    """γ*(K) -> ν N̄ summed over spins and polarisations (−g), both charge channels, vs the
    slide's Γ = μ² K³/(24π) (1 − x²)²(1 + 2x²) in the rest frame (x = M/K)."""
    K, M, mu = 1.0, 0.37, 1.0
    p = (K * K - M * M) / (2 * K)
    k = np.array([p, 0, 0, p])                   # massless ν
    kp = np.array([K - p, 0, 0, -p])             # N
    q = k + kp
    ql = G @ q
    sig = [[0.5j * (GAM[a] @ GAM[b] - GAM[b] @ GAM[a]) for b in range(4)] for a in range(4)]
    Gam = [mu * sum(sig[a][b] * ql[b] for b in range(4)) for a in range(4)]
    PR = np.eye(4) - PL
    tot = 0.0
    for a in range(4):
        bar = GAM[0] @ Gam[a].conj().T @ GAM[0]
        tot += -G[a, a] * np.trace(slash(k) @ PR @ Gam[a] @ (slash(kp) - M * np.eye(4)) @ bar @ PL)
    width_one = np.real(tot) / 3 / (2 * K) * (p / (4 * np.pi * K))    # ∫dΦ₂ = p/(4πK)
    slide = stellar.plasmon_width(K, K, M, mu * mu)
    assert 2 * width_one == pytest.approx(slide, rel=1e-10)


def test_photon_angle_formula():
    """Seed 001: cos α = (2 E_N E_γ − M²)/(2 E_γ p_N) for N → ν γ, checked by boosting."""
    M, E_N = 0.05, 0.3
    p_N = np.sqrt(E_N ** 2 - M ** 2)
    g, bg = E_N / M, p_N / M
    for ct in np.linspace(-0.9, 0.9, 7):
        Eg = g * M / 2 * (1 + (bg / g) * ct)
        pz = g * M / 2 * ct + bg * M / 2
        cos_alpha = pz / Eg
        assert cos_alpha == pytest.approx((2 * E_N * Eg - M * M) / (2 * Eg * p_N), rel=1e-12)


def test_sn_cross_section_massless_limit():
    s = np.array([0.01, 0.1, 1.0])
    k2 = 1e-4
    tmax = (s - c.M_E ** 2) ** 2 / s
    analytic = c.ALPHA_EM * (np.log(tmax / k2) - (tmax - k2) / (s - c.M_E ** 2))
    assert np.allclose(sn.sigma_total(s, 1e-9, k2), analytic, rtol=1e-6)


def test_sn_energy_loss_scaling_and_edges(like):
    core = sn.Core()
    assert core.mu_e == pytest.approx(0.231, rel=0.01)         # degenerate electrons, 231 MeV
    t = like["sn1987a_energy_loss"]
    r1, r2 = t.ratio(_point(1e-12, 1e-4)), t.ratio(_point(2e-12, 1e-4))
    assert r2 / r1 == pytest.approx(4.0, rel=1e-3)             # free streaming: eps ~ mu^2
    assert t.chi2(hnlfit.make_point(m_N=1e-4)) == 0.0
    mus = np.geomspace(1e-13, 1e-8, 200)
    f = t.pull_at(_point(mus, np.full_like(mus, 1e-3))) / t.exclusion_z()
    excluded = mus[f > 1]
    # one-zone window: lower edge ~ 5e-12 mu_B, upper (trapping) ~ 7e-10 mu_B; the published
    # (1803.03262) 5.4e-13 and 4.4e-10: see docs/derivations/low_energy.md §5
    assert 2e-12 < excluded.min() < 1.5e-11 and 3e-10 < excluded.max() < 2e-9
    assert t.ratio(_point(1e-11, 1.0)) == 0.0                  # beyond the table: no emission


def test_sn_gamma_rays(like):
    t = like["sn1987a_gamma_smm"]
    assert t.chi2(hnlfit.make_point(m_N=1e-2)) == 0.0
    # photons need decays outside the progenitor but within the window: at 10 MeV excluded
    # around 1e-12 mu_B, not at 1e-14 (too few decays) nor at 1e-9 (decay inside the star)
    assert t.ratio(_point(1e-12, 1e-2)) > 1 > t.ratio(_point(1e-14, 1e-2))
    assert t.ratio(_point(1e-9, 1e-2)) < 1


def test_red_giant_bound_is_raffelts(like):
    """Plasmon decay in a RG core: eps(3e-12 mu_B) ~ 10 erg/g/s, i.e. mu < 3e-12 mu_B."""
    assert stellar.plasma_frequency(2e5, 0.5) * 1e6 == pytest.approx(8.67, rel=0.01)
    t = like["red_giant_plasmon"]
    mu_lim = 3e-12 / np.sqrt(float(t.ratio(_point(3e-12, 1e-9, universal=False))))
    assert mu_lim == pytest.approx(3e-12, rel=0.1)             # 2.9e-12
    assert t.ratio(_point(1e-10, 2e-5, universal=False)) == 0.0  # M > omega_p: closed


def test_bbn_term_and_reheating_option(like):
    t, t1 = like["bbn_thermal"], like["bbn_thermal_trh_1gev"]
    assert t.chi2(hnlfit.make_point(m_N=1e-3)) == 0.0
    light_strong = _point(1e-9, 1e-5)                           # T_dec << MeV: Delta N_eff = 1
    assert t.ratio(light_strong) == pytest.approx(2.0, rel=1e-2)
    weak = _point(3e-13, 1e-2)                                  # T_dec ~ 500 GeV > T_RH = 1 GeV
    assert t.ratio(weak) > 1.0 and t1.ratio(weak) == 0.0
    assert cosmology.temperature_at(1.0) == pytest.approx(0.86e-3)
