"""Flavour, universality and Z-coupling formulas of the UV models (hnlfit.physics.uv), each
against a closed form from the literature or an independent number, and the benchmarks'
dominant constraints (2405.08877 'Benchmark flavour scenarios') from the likelihood."""
from __future__ import annotations

import math

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.likelihoods.measurements import build_likelihood
from hnlfit.params import make_point
from hnlfit.physics.uv import clfv
from hnlfit.physics.uv import vll_scalar as vs

S2 = c.SIN2_THETA_W
GL, GR = -0.5 + S2, S2


def _p(**kw):
    return make_point(**{"m_E": 1000.0, "m_phi": 1000.0, **kw})


def test_mu_to_e_gamma_from_the_scalar():
    """Zee-Babu singly charged scalar: BR(mu -> e gamma) = alpha |f_taue f_taumu|^2/(48 pi
    G_F^2 m_phi^4) (in units of Gamma(mu -> e nu nu) = G_F^2 m_mu^5/(192 pi^3))."""
    f1, f2, m = 0.3, 0.2, 2000.0
    p = _p(f_etau=f1, f_mutau=f2, m_phi=m)
    lit = c.ALPHA_EM * (f1 * f2) ** 2 / (48 * math.pi * c.G_FERMI ** 2 * m ** 4)
    br0 = clfv.gamma_muon_decay_like(c.M_MU) / c.GAMMA_MU
    assert br0 == pytest.approx(1.0, abs=0.01)          # Gamma(mu->e nu nu) ~ Gamma_mu
    assert hnlfit.predict("uv_br_mu_to_e_gamma", m_E=1e3, m_phi=m, f_etau=f1, f_mutau=f2) \
        == pytest.approx(lit * br0, rel=1e-10)
    # tau -> mu gamma: f_etau f_emu, times Gamma(tau -> mu nu nu)/Gamma_tau ~ 0.18
    q = _p(f_etau=f1, f_emu=f2, m_phi=m)
    br_tau = hnlfit.predict("uv_br_tau_to_mu_gamma", m_E=1e3, m_phi=m, f_etau=f1, f_emu=f2)
    ratio = br_tau / lit
    assert 0.17 < ratio < 0.185                         # BR(tau -> mu nu nu) (PDG 17.4%)
    assert float(clfv.br_radiative("tau", vs.phi_loop_dipole(q, "tau", "mu"))) == br_tau
    # decoupling as 1/m_phi^4
    far = hnlfit.predict("uv_br_mu_to_e_gamma", m_E=1e3, m_phi=1e7, f_etau=f1, f_mutau=f2)
    assert far == pytest.approx(lit * br0 * (m / 1e7) ** 4, rel=1e-10)


def test_kuno_okada_dipole_ratio_mu_to_3e():
    """Dipole dominance: BR(mu -> 3e)/BR(mu -> e gamma) = alpha/(3 pi)(ln(m_mu^2/m_e^2) - 11/4)
    = 6.1e-3 (Kuno-Okada)."""
    p = _p(f_etau=0.5, f_mutau=0.5)
    r = hnlfit.predict("uv_br_mu_to_3e", m_E=1e3, m_phi=1e3, f_etau=0.5, f_mutau=0.5) / \
        hnlfit.predict("uv_br_mu_to_e_gamma", m_E=1e3, m_phi=1e3, f_etau=0.5, f_mutau=0.5)
    lit = c.ALPHA_EM / (3 * math.pi) * (math.log(c.M_MU ** 2 / c.M_E ** 2) - 11 / 4)
    assert r == pytest.approx(lit, rel=1e-10)
    assert r == pytest.approx(6.1e-3, rel=0.02)
    assert p.shape == ()


def test_z_mediated_three_body():
    """BR(mu -> 3e) = 4 |eps|^2 (2 g_L^2 + g_R^2) (Z-penguin-like, identical electrons) and
    BR(tau -> mu e e)/BR(tau -> 3 mu) = (g_L^2 + g_R^2)/(2 g_L^2 + g_R^2) for pure Z exchange."""
    Y = dict(Y_E_e=0.4, Y_E_mu=0.5)
    eps = c.VEV ** 2 * 0.2 / 4e6
    br = hnlfit.predict("uv_br_mu_to_3e", m_E=1e3, m_phi=1e3, **Y)
    br0 = clfv.gamma_muon_decay_like(c.M_MU) / c.GAMMA_MU
    assert br == pytest.approx(4 * eps ** 2 * (2 * GL ** 2 + GR ** 2) * br0, rel=1e-12)
    Z = dict(Y_E_mu=0.4, Y_E_tau=0.5)
    r = hnlfit.predict("uv_br_tau_to_mu_ee", m_E=1e3, m_phi=1e3, **Z) / \
        hnlfit.predict("uv_br_tau_to_3mu", m_E=1e3, m_phi=1e3, **Z)
    assert r == pytest.approx((GL ** 2 + GR ** 2) / (2 * GL ** 2 + GR ** 2), rel=1e-12)
    # a limit: SINDRUM's 1e-12 bounds |eps_emu| < ~1.1e-6
    eps_max = math.sqrt(1e-12 / (4 * (2 * GL ** 2 + GR ** 2) * br0))
    assert 1.0e-6 < eps_max < 1.3e-6


def test_mue_conversion_gold():
    """KKO: dipole dominance gives B(mu Au -> e Au)/B(mu -> e gamma) = pi Gamma_mu D^2/omega_capt
    = 3.9e-3 (the published dipole ratio for Au is ~ 4e-3); pure Z exchange uses the vector
    overlaps with g_p ~ 4 eps (1/2 - 2 s_w^2), g_n = -2 eps (neutron dominated)."""
    ov = clfv.gold_overlaps()
    kw = dict(m_E=1e3, m_phi=1e3, f_etau=0.5, f_mutau=0.5)
    r = hnlfit.predict("uv_cr_mue_au", **kw) / hnlfit.predict("uv_br_mu_to_e_gamma", **kw)
    assert r == pytest.approx(math.pi * c.GAMMA_MU / c.HBAR_GEV_S * ov["D"] ** 2
                              / ov["omega_capt_per_s"], rel=1e-3)
    assert 3.5e-3 < r < 4.5e-3
    eps = 1e-6
    amp = 4 * eps * (0.5 - 2 * S2) * ov["V_p"] - 2 * eps * ov["V_n"]
    omega = 2 * c.G_FERMI ** 2 * c.M_MU ** 5 * amp ** 2 / c.HBAR_GEV_S
    assert float(clfv.cr_mue_gold(eps)) == pytest.approx(omega / ov["omega_capt_per_s"],
                                                         rel=1e-12)
    # conversion beats mu -> 3e for Z exchange (the universal benchmark's ordering)
    assert float(clfv.cr_mue_gold(eps)) / float(clfv.br_three_same("mu", "e", eps)) > 10


def test_universality_and_z_widths():
    # E mixing only, universal Y: ratios stay 1; Z widths shift by 2 g_L eps/(g_L^2+g_R^2)
    # plus the G_F shift (eps_ee + eps_mumu)
    y = dict(Y_E_e=0.3, Y_E_mu=0.3, Y_E_tau=0.3)
    for n in ("uv_lfu_gmu_ge", "uv_lfu_gtau_gmu", "uv_lfu_gtau_ge"):
        assert hnlfit.predict(n, m_E=1e3, m_phi=1e3, **y) == pytest.approx(1.0, abs=1e-15)
    eps = c.VEV ** 2 * 0.09 / 4e6
    zr = hnlfit.predict("uv_z_width_ratio_e", m_E=1e3, m_phi=1e3, **y)
    assert zr - 1 == pytest.approx(2 * GL * eps / (GL ** 2 + GR ** 2) + 2 * eps, rel=0.01)
    # the scalar: g_tau/g_mu = 1 + delta_etau - delta_emu at first order
    p = _p(f_etau=0.3)
    lf = hnlfit.predict("uv_lfu_gtau_gmu", m_E=1e3, m_phi=1e3, f_etau=0.3)
    assert lf - 1 == pytest.approx(float(vs.delta_phi(p, "e", "tau")), rel=1e-12)
    # ... and with |f|^2 < ~0.014 (m/TeV)^2 at the 1e-3 level (Zee-Babu universality bound)
    assert float(vs.delta_phi(_p(f_emu=math.sqrt(0.014)), "e", "mu")) == pytest.approx(
        8.5e-4, rel=0.01)


def test_direct_search_terms_need_couplings():
    like = build_likelihood("uv_current", include=["uv_direct_m_E", "uv_direct_m_phi",
                                                   "uv_lep_monophoton_phi"])
    assert float(like.chi2(_p(m_E=100.0, m_phi=100.0))) == 0.0
    z = 1.6448536269514722
    assert float(like["uv_direct_m_E"].chi2(_p(m_E=200.0, h_1=0.1))) == pytest.approx(z ** 2)
    assert float(like["uv_lep_monophoton_phi"].chi2(_p(m_phi=350.0, f_emu=1.0))) \
        == pytest.approx(z ** 2)


BENCHMARKS = {
    "universal": dict(Y_E_e=1, Y_E_mu=1, Y_E_tau=1, f_emu=1, f_etau=1, f_mutau=1),
    "tau_only": dict(Y_E_tau=1, f_etau=1, f_mutau=1),
    "no_e": dict(Y_E_mu=1, Y_E_tau=1, f_mutau=1),
}
SLIDES = {"universal": {"uv_mue_conversion_au", "uv_mu_to_3e"},
          "tau_only": {"uv_mu_to_e_gamma", "uv_mu_to_3e"},
          "no_e": {"uv_tau_to_3mu", "uv_tau_to_mu_ee"}}


def strongest(pattern: dict, m: float = 1000.0) -> list[tuple[float, str]]:
    """(largest allowed common coupling, term) for each default term of uv_current, sorted."""
    like = build_likelihood("uv_current")
    g = np.geomspace(1e-5, math.sqrt(4 * math.pi), 3000)
    p = make_point(m_E=m, m_phi=m, **{k: g * v for k, v in pattern.items()})
    out = []
    for t in like.terms:
        bad = np.flatnonzero(np.abs(t.pull_at(p)) > t.exclusion_z(getattr(t, "cl", 0.95)))
        out.append((g[bad[0]] if bad.size else np.inf, t.name))
    return sorted(out)


@pytest.mark.parametrize("bench", list(BENCHMARKS))
def test_benchmark_dominant_constraints(bench):
    top = strongest(BENCHMARKS[bench])
    assert {n for _, n in top[:2]} == SLIDES[bench]
    # all bounds scale as g_max ~ m: the same ordering at 5 TeV
    top5 = strongest(BENCHMARKS[bench], 5000.0)
    assert [n for _, n in top5[:2]] == [n for _, n in top[:2]]
    assert top5[0][0] == pytest.approx(5 * top[0][0], rel=0.01)
