"""N2 -> N1 gamma/Z and the N1 mixing widths (issue 11 item 4): explicit traces, limits and
independent Fermi-theory numbers (Bondarenko et al. 1805.08567)."""
import math

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import ParameterError
from hnlfit.physics.dipole import hnl_decays as dip
from hnlfit.physics.lhc import decays as D
from hnlfit.physics.lhc import lep

RNG = np.random.default_rng(11)


# --- explicit Dirac trace of u-bar_1 sigma^{mu nu} q_nu (1 or gamma5) u_2 ----------------
def _gammas():
    I2, Z2 = np.eye(2), np.zeros((2, 2))
    s = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
    g0 = np.block([[I2, Z2], [Z2, -I2]]).astype(complex)
    G = [g0] + [np.block([[Z2, si], [-si, Z2]]).astype(complex) for si in s]
    g5 = 1j * G[0] @ G[1] @ G[2] @ G[3]
    return G, g5


def _trace_sum(m2, m1, M, structure):
    """Sum over spins and V polarisations of |u-bar_1 sigma^{mu nu} q_nu Gamma u_2 eps_mu|^2."""
    G, g5 = _gammas()
    eta = np.diag([1.0, -1, -1, -1])
    k = math.sqrt((m2 ** 2 - (m1 + M) ** 2) * (m2 ** 2 - (m1 - M) ** 2)) / (2 * m2)
    p2 = np.array([m2, 0, 0, 0.0])
    p1 = np.array([math.sqrt(m1 ** 2 + k * k), 0.3 * k, 0, math.sqrt(0.91) * k])
    q = p2 - p1
    ql = eta @ q
    sl = lambda p: sum(eta[m, m] * p[m] * G[m] for m in range(4))  # noqa: E731
    sig = lambda a, b: 0.5j * (G[a] @ G[b] - G[b] @ G[a])  # noqa: E731
    Gam = np.eye(4) if structure == "magnetic" else g5
    O = [sum(sig(mu, nu) * ql[nu] for nu in range(4)) @ Gam for mu in range(4)]
    Ob = [G[0] @ o.conj().T @ G[0] for o in O]
    tot = 0.0
    for mu in range(4):
        for rho in range(4):
            P = -eta[mu, rho] + ql[mu] * ql[rho] / M ** 2
            tot += (np.trace((sl(p1) + m1 * np.eye(4)) @ O[mu] @ (sl(p2) + m2 * np.eye(4))
                             @ Ob[rho]) * P).real
    return tot


@pytest.mark.parametrize("cp,structure", [("same", "magnetic"), ("opposite", "electric")])
def test_transition_width_against_explicit_trace(cp, structure):
    for _ in range(4):
        m2 = RNG.uniform(150, 800)
        m1 = RNG.uniform(0, m2 - c.M_Z - 5)
        M = c.M_Z
        T = _trace_sum(m2, m1, M, structure)
        lam = math.sqrt((m2 ** 2 - (m1 + M) ** 2) * (m2 ** 2 - (m1 - M) ** 2))
        # Dirac width with vertex 2 d sigma q: (1/2) 4 d^2 T k / (8 pi m2^2); d = 1
        dirac = 0.5 * 4 * T * (lam / (2 * m2)) / (8 * math.pi * m2 ** 2)
        # transition_width(Dirac) is normalised so that Dirac = half the Majorana form whose
        # photon limit is d^2 Delta^3 / (2 pi m^3): the trace with vertex 2 d gives twice it
        got = D.transition_width(m1, m2, 1.0, M, cp=cp, majorana=False)
        assert got == pytest.approx(dirac / 2.0, rel=1e-10)


def test_photon_width_and_massless_limit():
    m2, d = 300.0, 3e-6
    m1 = np.array([0.0, 50.0, 250.0])
    g = D.gamma_N2_to_N1_gamma(m1, m2, d)
    assert g == pytest.approx(d ** 2 * (m2 ** 2 - m1 ** 2) ** 3 / (2 * math.pi * m2 ** 3))
    assert D.transition_width(m1, m2, d, 0.0) == pytest.approx(g, rel=1e-12)
    # m_N1 -> 0: Majorana N1 = nu + nu-bar: Gamma(N -> nu gamma) Majorana (2 x eq. 2.19)
    tiny = 1e-6
    assert D.gamma_N2_to_N1_gamma(tiny, m2, d, majorana=True) == pytest.approx(
        dip.gamma_nu_gamma(m2, d, majorana=True), rel=1e-9)
    assert D.gamma_N2_to_N1_gamma(tiny, m2, d, majorana=False) == pytest.approx(
        dip.gamma_nu_gamma(m2, d, majorana=False), rel=1e-9)
    # and the Z width at m1 -> 0 equals the active-sterile nu Z width with d_Z = tan d
    assert D.gamma_N2_to_N1_Z(tiny, m2, d) == pytest.approx(
        dip.gamma_nu_Z(m2, D.TAN_THETA_W * d, majorana=True), rel=1e-6)


def test_z_width_is_the_crossing_of_Z_to_N1N2():
    """My decay bracket with m1 -> -m1 is -1/2 of the production helper's X factor of
    Z -> N1 N2 (lep.py), for both CP structures."""
    for _ in range(5):
        m1, m2, M = RNG.uniform(1, 40), RNG.uniform(1, 40), c.M_Z
        for cp in ("same", "opposite"):
            sign = -1.0 if cp == "same" else 1.0
            m1c = -m1
            br = (2 * (m2 ** 2 - m1c ** 2) ** 2 - M ** 2 * (m2 ** 2 + m1c ** 2) - M ** 4
                  + sign * 6 * M ** 2 * m1c * m2)
            X, _, _ = lep._x_factor(M * M, m1, m2, cp)
            assert X == pytest.approx(-2.0 * br, rel=1e-12)


def test_br_N2_to_N1_gamma_limits():
    assert D.br_N2_to_N1_gamma(50.0, 120.0) == 1.0      # below the N1 Z threshold
    far = D.br_N2_to_N1_gamma(1.0, 1e5)
    assert far == pytest.approx(1.0 - c.SIN2_THETA_W, rel=1e-3)   # 1/(1 + tan^2) = c_w^2
    # same vs opposite CP differ only where M_Z m1 m2 matters
    assert D.br_N2_to_N1_gamma(400.0, 600.0, cp="same") > D.br_N2_to_N1_gamma(
        400.0, 600.0, cp="opposite")


def test_bad_inputs():
    with pytest.raises(ParameterError, match="m_N1 < m_N2"):
        D.gamma_N2_to_N1_gamma(100.0, 50.0, 1e-6)
    with pytest.raises(ParameterError, match="cp"):
        D.gamma_N2_to_N1_Z(10.0, 500.0, 1e-6, cp="even")
    with pytest.raises(hnlfit.ParameterError):
        hnlfit.predict("gamma_N2_to_N1_gamma", m_N1=5.0, m_N2=4.0, d_NN=1e-6)


# --- mixing widths ----------------------------------------------------------------------
def _fermi(m):
    return c.G_FERMI ** 2 * m ** 5 / (192 * math.pi ** 3)


def _I_one_mass(x):
    """Muon-decay phase-space function with one massive final fermion (x = m_f / m_N)."""
    return 1 - 8 * x ** 2 + 8 * x ** 6 - x ** 8 - 24 * x ** 4 * np.log(x)


def test_charged_current_fermi_limit():
    for m in (1.0, 3.0, 5.0):
        got = D._interp(m, "cc_e_mu")
        assert got == pytest.approx(_fermi(m) * _I_one_mass(c.M_MU / m), rel=4e-3)
    m = 8.0
    assert D._interp(m, "cc_mu_tau") == pytest.approx(
        _fermi(m) * _I_one_mass(c.M_TAU / m), rel=2e-2)   # m_mu neglected in the reference


def test_neutral_current_against_bondarenko():
    sw2 = c.SIN2_THETA_W
    m = 6.0
    f1, f2 = D._nc_shape(c.M_TAU / m)
    C1, C2 = 0.25 * (1 - 4 * sw2 + 8 * sw2 ** 2), 0.5 * sw2 * (2 * sw2 - 1)
    assert D._interp(m, "nc_tau") == pytest.approx(_fermi(m) * (C1 * f1 + 4 * C2 * f2),
                                                   rel=5e-3)
    # 3 nu including the identical-neutrino term: G_F^2 m^5 / (192 pi^3) per |U|^2 (Dirac)
    w = D.mixing_widths(2.5, {"mu": 1.0}, majorana=False)
    assert w["nu_nunu_mu"] == pytest.approx(_fermi(2.5), rel=3e-3)


def test_total_width_at_10_GeV_against_fermi_theory():
    """Dirac N, U_e = 1, m = 10 GeV: the sum of Bondarenko's Fermi-theory channels with masses
    (CC: I with one massive fermion; NC: C1 f1 + 4 C2 f2), QCD factor on quarks.  The W/Z
    propagators add ~ +1% at 10 GeV."""
    m, sw2 = 10.0, c.SIN2_THETA_W
    K = float(D.qcd_factor(m))
    mq = {q: dip._mass(i) for q, i in (("d", 1), ("u", 2), ("s", 3), ("c", 4), ("b", 5))}
    x = lambda mf: mf / m  # noqa: E731
    cc = 3 * K * (1 + _I_one_mass(x(mq["c"]))) + 1 + _I_one_mass(x(c.M_MU)) + _I_one_mass(
        x(c.M_TAU))   # ud, cs (c massive) ; e e nu_e counted in the NC sum below
    cc -= 1    # the W part of e e nu_e is inside the full C1 below

    def nc(C1, C2, mf):
        f1, f2 = D._nc_shape(x(mf))
        return C1 * f1 + 4 * C2 * f2
    up = (0.25 * (1 - 8 / 3 * sw2 + 32 / 9 * sw2 ** 2), 1 / 3 * sw2 * (4 / 3 * sw2 - 1))
    dn = (0.25 * (1 - 4 / 3 * sw2 + 8 / 9 * sw2 ** 2), 1 / 6 * sw2 * (2 / 3 * sw2 - 1))
    lep_other = (0.25 * (1 - 4 * sw2 + 8 * sw2 ** 2), 0.5 * sw2 * (2 * sw2 - 1))
    lep_same = (0.25 * (1 + 4 * sw2 + 8 * sw2 ** 2), 0.5 * sw2 * (2 * sw2 + 1))
    ncs = (1.0 + nc(*lep_same, c.M_E) + nc(*lep_other, c.M_MU) + nc(*lep_other, c.M_TAU)
           + 3 * K * (nc(*up, mq["u"]) + nc(*up, mq["c"]) + nc(*dn, mq["d"]) + nc(*dn, mq["s"])
                      + nc(*dn, mq["b"])))
    expect = _fermi(m) * (cc + ncs)
    got = sum(D.mixing_widths(m, {"e": 1.0}, majorana=False).values())
    assert got == pytest.approx(expect, rel=0.025)
    assert got > expect      # the propagators enhance


def test_on_shell_limits_and_majorana():
    """Between M_W and the t b threshold the W*(Z*) sums are the on-shell N -> e W (nu Z)
    widths to 2% (0.9% of the Breit-Wigner lies below q^2 = 0, the rest is the
    variation of the phase space across it); above, N -> e t b-bar through an
    off-shell W adds a genuine three-body piece."""
    m = 160.0
    w = D.mixing_widths(m, {"e": 1.0}, majorana=False)
    rW, rZ, rh = (c.M_W / m) ** 2, (c.M_Z / m) ** 2, (c.M_H / m) ** 2
    pref = c.G_FERMI * m ** 3 / (8 * math.sqrt(2) * math.pi)
    cc = (D._interp(m, "cc_e_had") + sum(D._interp(m, f"cc_e_{b}") for b in D.FLAVOURS))
    assert cc == pytest.approx(pref * (1 - rW) ** 2 * (1 + 2 * rW), rel=0.025)
    nc = (D._interp(m, "nc_had") + D._interp(m, "nc_nu")
          + sum(D._interp(m, f"nc_{b}") for b in D.FLAVOURS))
    assert nc == pytest.approx(0.5 * pref * (1 - rZ) ** 2 * (1 + 2 * rZ), rel=0.025)
    assert w["nu_h_e"] == pytest.approx(0.5 * pref * (1 - rh) ** 2)
    wm = D.mixing_widths(m, {"e": 1.0}, majorana=True)
    assert sum(wm.values()) == pytest.approx(2 * sum(w.values()))


def test_n1_branching_ratios_and_decay_length():
    p = hnlfit.make_point(m_N1=50.0, m_N2=200.0, U_e=1e-3)
    br = hnlfit.predict("br_N1_to_ejj", p)
    assert 0.3 < br < 0.7          # e + (ud, cs) x 3 colours of ~ 12 units
    assert hnlfit.predict("br_N1_to_nu_gamma", p) == 0.0
    ct = hnlfit.predict("ctau_N1", p)
    gam = hnlfit.predict("gamma_N1", p)
    assert ct == pytest.approx(c.HBARC_GEV_M / gam)
    q = hnlfit.make_point(m_N1=50.0, m_N2=200.0, d_gamma_e=1e-7, a=0.0)
    assert hnlfit.predict("br_N1_to_nu_gamma", q) > 0.99      # below M_Z: nu gamma dominates
    assert np.isinf(hnlfit.predict("ctau_N1", hnlfit.make_point(m_N1=50.0, m_N2=200.0)))


def test_alpha_s():
    assert float(D.alpha_s(c.M_Z)) == pytest.approx(c.ALPHA_S_MZ, rel=1e-9)
    assert 0.20 < float(D.alpha_s(5.0)) < 0.23        # PDG running: 0.213 at 5 GeV
    assert float(D.alpha_s(1000.0)) == pytest.approx(0.0885, abs=0.003)
