"""Up-scattering cross sections and kinematics (issue 13, item 1) against explicit Dirac
spinors, the slide formula, the m_N -> 0 limit and two-body kinematics."""
import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import ObservableError
from hnlfit.physics.lowenergy import cross_sections as xs
from hnlfit.physics.lowenergy.kinematics import e_nu_min, recoil_range, threshold_energy

G = np.diag([1.0, -1.0, -1.0, -1.0])
I2, Z2 = np.eye(2), np.zeros((2, 2))
SIG = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
GAM = [np.block([[I2, Z2], [Z2, -I2]]).astype(complex)] + [
    np.block([[Z2, s], [-s, Z2]]).astype(complex) for s in SIG]
G5 = 1j * GAM[0] @ GAM[1] @ GAM[2] @ GAM[3]
PL = 0.5 * (np.eye(4) - G5)


def slash(p):
    return sum(G[m, m] * p[m] * GAM[m] for m in range(4))


def spinors(p, m):
    """u(p, s) for s = up, down (Dirac representation, normalised ū u = 2m)."""
    E, pv = p[0], p[1:]
    out = []
    for chi in (np.array([1, 0]), np.array([0, 1])):
        sp = sum(pv[i] * SIG[i] for i in range(3)) @ chi
        out.append(np.concatenate([np.sqrt(E + m) * chi, sp / np.sqrt(E + m)]))
    return out


def bar(u):
    return u.conj() @ GAM[0]


def explicit_dsigma(E, T, M, m, spin):
    """dσ/dT from amplitudes summed over spins, vertex σ^{αβ} q_β P_L with μ = 1."""
    k = np.array([E, 0, 0, E])
    p = np.array([m, 0, 0, 0])
    pp_abs = np.sqrt(T * T + 2 * m * T)
    cos = (2 * E * T + 2 * m * T + M * M) / (2 * E * pp_abs)
    sin = np.sqrt(1 - cos * cos)
    pprime = np.array([m + T, pp_abs * sin, 0, pp_abs * cos])
    kprime = k + p - pprime
    assert abs(kprime @ G @ kprime - M * M) < 1e-9 * max(M * M, E * E)
    q = k - kprime
    q_low = G @ q
    sigma = [[0.5j * (GAM[a] @ GAM[b] - GAM[b] @ GAM[a]) for b in range(4)] for a in range(4)]
    vert = [sum(sigma[a][b] * q_low[b] for b in range(4)) @ PL for a in range(4)]
    u_nu = [PL @ spinors(k, 0.0)[0] + PL @ spinors(k, 0.0)[1]]
    # the massless left-handed spinor: P_L projects one helicity; normalise ū γ⁰ u = 2E
    u_nu = [u * np.sqrt(2 * E / np.real(u.conj() @ u)) for u in u_nu]
    q2 = q @ G @ q
    total = 0.0
    for un in u_nu:
        for uN in spinors(kprime, M):
            lep = np.array([bar(uN) @ vert[a] @ un for a in range(4)])
            lep_low = G @ lep
            if spin == "zero":
                amp = lep_low @ (p + pprime) / q2
                total += abs(amp) ** 2
            else:
                for ut in spinors(p, m):
                    for utp in spinors(pprime, m):
                        had = np.array([bar(utp) @ GAM[a] @ ut for a in range(4)])
                        total += abs(lep_low @ had / q2) ** 2 / 2.0
    e2 = 4 * np.pi * c.ALPHA_EM
    return e2 * total / (32 * np.pi * m * E * E)


RNG = np.random.default_rng(13)


@pytest.mark.parametrize("spin", ["half", "zero"])
@pytest.mark.parametrize("m", [c.M_E, 5.0])
def test_cross_section_against_explicit_spinors(spin, m):
    for _ in range(4):
        M = 10 ** RNG.uniform(-4, -2.5)
        E = threshold_energy(M, m) * RNG.uniform(1.5, 10.0)
        T_lo, T_hi = recoil_range(E, M, m)
        T = np.exp(RNG.uniform(np.log(T_lo), np.log(T_hi)))
        ref = explicit_dsigma(E, T, M, m, spin)
        got = xs.dsigma_dT_point(E, T, M, 1.0, m, spin=spin)
        assert got == pytest.approx(ref, rel=1e-8)


def test_slide_formula_is_the_spin_half_result():
    E = 10 ** RNG.uniform(-3.5, -2, 20)
    M = E * RNG.uniform(0.01, 0.3, 20)
    T_lo, T_hi = recoil_range(E, M, c.M_E)
    T = np.sqrt(T_lo * T_hi)
    assert np.allclose(xs.dsigma_dT_electron(E, T, M, 1.0), xs.slide_formula(E, T, M, 1.0, c.M_E),
                       rtol=1e-9)


def test_massless_limit_and_its_prefactor():
    E, T = 1e-3, np.geomspace(1e-6, 5e-4, 7)
    mu = 1e-11 * c.MU_BOHR_GEV
    light = xs.dsigma_dT_electron(E, T, 1e-9, mu)
    classic = np.pi * c.ALPHA_EM ** 2 / c.M_E ** 2 * 1e-22 * (1 / T - 1 / E)
    assert np.allclose(light, classic, rtol=1e-6)
    assert np.allclose(light, xs.dsigma_dT_light(E, T, mu), rtol=1e-6)
    # the classic number: 4.9e-45 cm^2 (mu/1e-11 mu_B)^2 at T = 10 keV... (pi alpha^2/m_e^2)
    assert np.pi * c.ALPHA_EM ** 2 / c.M_E ** 2 * xs.GEV2_TO_CM2 == pytest.approx(2.495e-25,
                                                                                  rel=1e-3)


def test_e_nu_min_is_the_kinematic_boundary():
    for m in (c.M_E, 122.0):
        for _ in range(5):
            M = 10 ** RNG.uniform(-5, -2)
            E = threshold_energy(M, m) * RNG.uniform(1.2, 5.0)
            lo, hi = recoil_range(E, M, m)
            assert 0 < lo < hi
            assert e_nu_min(lo, M, m) == pytest.approx(E, rel=1e-7)
            assert e_nu_min(hi, M, m) == pytest.approx(E, rel=1e-7)
            assert np.all(e_nu_min(np.geomspace(lo, hi, 9)[1:-1], M, m) < E)
            # below threshold nothing is allowed
            assert recoil_range(0.99 * threshold_energy(M, m), M, m)[1] == 0.0
    # massless N on electrons: T_max = 2E^2/(2E + m_e)
    assert recoil_range(1e-3, 0.0, c.M_E)[1] == pytest.approx(2e-6 / (2e-3 + c.M_E), rel=1e-9)


def test_helm_form_factor():
    assert xs.helm_form_factor(1e-9, 131.3) == pytest.approx(1.0, abs=1e-9)
    q = np.sqrt(2 * 122.3 * 10e-6)         # 10 keV xenon recoil: F^2 ~ 0.6
    assert 0.5 < xs.helm_form_factor(q, 131.3) ** 2 < 0.8


def test_observables_and_bad_input():
    d = 1e-9
    got = hnlfit.predict("dsigma_dEr_nu_e", m_N=1e-6, d_gamma_mu=d, E_nu=1e-3, E_r=1e-5,
                         flavour="mu")
    ref = xs.dsigma_dT_electron(1e-3, 1e-5, 1e-6, 2 * d) * xs.GEV2_TO_CM2
    assert got == pytest.approx(ref)
    assert hnlfit.predict("dsigma_dEr_nu_e", m_N=1e-6, d_gamma_mu=d, E_nu=1e-3, E_r=1e-5) == 0
    xe = hnlfit.predict("dsigma_dEr_nu_xenon", m_N=1e-6, d_gamma_e=d, E_nu=1e-2, E_r=1e-7)
    el = hnlfit.predict("dsigma_dEr_nu_e", m_N=1e-6, d_gamma_e=d, E_nu=1e-2, E_r=1e-7)
    assert xe / el == pytest.approx(54 ** 2, rel=0.01)      # coherent Z^2, F ~ 1
    assert hnlfit.predict("E_nu_min_electron", m_N=1e-3, E_r=1e-5) == pytest.approx(
        0.5 * (1e-5 + np.sqrt(1e-10 + 2 * c.M_E * 1e-5)) * (1 + 1e-6 / (2 * c.M_E * 1e-5)))
    with pytest.raises(ObservableError, match="flavour"):
        hnlfit.predict("dsigma_dEr_nu_e", m_N=1e-6, E_nu=1e-3, E_r=1e-5, flavour="x")
    with pytest.raises(ObservableError, match="E_r"):
        hnlfit.predict("dsigma_dEr_nu_e", m_N=1e-6, E_nu=1e-3, E_r=-1.0)
    with pytest.raises(ObservableError, match="E_nu"):
        hnlfit.predict("dsigma_dEr_nu_xenon", m_N=1e-6, E_r=1e-6)
