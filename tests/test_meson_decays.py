"""Meson → N branching ratios (2308.16608 Sec. 2.1): data, amplitudes, phase space, tables.

The independent checks are
* explicit Dirac-trace evaluations of the amplitudes (2.12, 2.15 and the V⁰ amplitude) against
  the printed |M|² (2.10, 2.13, 2.17);
* the phase-space density of eqs. 2.14/2.18 against the PDG Dalitz measure, with the Jacobian
  dm²₂₃/dcosθ taken by finite differences of explicit four-vectors;
* scipy dblquad of eqs. 2.13-2.14 / 2.17-2.18, transcribed here from the paper, against the
  tabulated-and-interpolated widths at random masses.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import yaml
from scipy.integrate import dblquad

from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.observables.forward import mesons as _obs_module  # noqa: F401  (registers)
from hnlfit.observables import registry
from hnlfit.params import make_point
from hnlfit.physics.forward import meson_decays as md

RNG = np.random.default_rng(20230830)


# ---------------------------------------------------------------------------------------
# explicit Dirac algebra (Dirac representation, metric +---)
# ---------------------------------------------------------------------------------------
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_PAULI = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
          np.array([[1, 0], [0, -1]], complex)]
GAM = [np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)] + [
    np.block([[_Z2, s], [-s, _Z2]]) for s in _PAULI]
G5 = 1j * GAM[0] @ GAM[1] @ GAM[2] @ GAM[3]
PR = (np.eye(4) + G5) / 2
MET = np.diag([1.0, -1.0, -1.0, -1.0])
SIG = np.array([[0.5j * (GAM[m] @ GAM[n] - GAM[n] @ GAM[m]) for n in range(4)]
                for m in range(4)])
LEVI = np.zeros((4, 4, 4, 4))
for perm in itertools.permutations(range(4)):
    LEVI[perm] = np.linalg.det(np.eye(4)[list(perm)])


def low(p):
    return MET @ p


def slash(p):
    return sum(GAM[m] * low(p)[m] for m in range(4))


def dbar(a):
    return GAM[0] @ a.conj().T @ GAM[0]


def mdot(a, b):
    return a @ MET @ b


def boost(p, beta):
    b2 = beta @ beta
    gam = 1 / math.sqrt(1 - b2)
    bp = beta @ p[1:]
    return np.r_[gam * (p[0] + bp), p[1:] + ((gam - 1) * bp / b2 + gam * p[0]) * beta]


def three_body(mP, mX, q2, mN, cth, phi=0.3):
    """P(p1) → X(p2) + q, q → a(k, massless) + N(pN), θ = angle(N, X) in the q frame.

    Returns four-vectors in the P rest frame."""
    q = math.sqrt(q2)
    pst = math.sqrt(md.kallen(mP ** 2, mX ** 2, q2)) / (2 * q)
    p2 = np.array([math.sqrt(pst ** 2 + mX ** 2), 0, 0, pst])
    p1 = p2 + np.array([q, 0, 0, 0])
    pn = (q2 - mN ** 2) / (2 * q)
    sth = math.sqrt(1 - cth ** 2)
    nvec = np.array([sth * math.cos(phi), sth * math.sin(phi), cth])
    pN = np.r_[(q2 + mN ** 2) / (2 * q), pn * nvec]
    k = np.r_[pn, -pn * nvec]
    beta = -p1[1:] / p1[0]
    return [boost(v, beta) for v in (p1, p2, pN, k)]


def trace_msq_neutral(mP, mN, q2, cth):
    """Σ|M|² of eq. 2.12 divided by (e²d/2π²f_P)²."""
    p1, p2, pN, k = three_body(mP, 0.0, q2, mN, cth)
    q = p1 - p2
    T = np.einsum("mnab,a,b->mn", LEVI, low(p2), low(q))
    S = np.einsum("r,rsij->sij", low(q), SIG)
    Gam = np.einsum("mn,n,nij->mij", T, np.diag(MET), S) / mdot(q, q)
    tot = 0.0
    for mu in range(4):
        A = Gam[mu] @ PR
        tot += -MET[mu, mu] * np.trace(slash(k) @ A @ (slash(pN) - mN * np.eye(4)) @ dbar(A))
    return tot.real


def trace_msq_charged(mP, ml, mN, q2, cth):
    """Σ|M|² of eq. 2.15 divided by (2√2 G_F V f_P d)²."""
    p1, p2, pN, k = three_body(mP, ml, q2, mN, cth)
    q = p1 - p2
    S = np.einsum("a,abij->bij", low(k), SIG)
    tot = 0.0
    for b in range(4):
        A = slash(p1) @ slash(q) @ S[b] @ PR / mdot(q, q)
        tot += -MET[b, b] * np.trace((slash(p2) + ml * np.eye(4)) @ A
                                     @ (slash(pN) - mN * np.eye(4)) @ dbar(A))
    return tot.real


def trace_msq_vector(mV, mN):
    """Spin-averaged |M|² of V → ν N̄ divided by (2 e Q f_V d / m_V)²."""
    p = (mV ** 2 - mN ** 2) / (2 * mV)
    n = np.array([0.3, 0.4, math.sqrt(0.75)])
    pN = np.r_[math.sqrt(p * p + mN * mN), p * n]
    k = np.r_[p, -p * n]
    q = pN + k
    S = np.einsum("r,rsij->sij", low(q), SIG)
    pol = -MET + np.outer(low(q), low(q)) / mV ** 2
    tot = 0.0
    for a in range(4):
        for b in range(4):
            tot += pol[a, b] * np.trace(slash(k) @ S[a] @ PR @ (slash(pN) - mN * np.eye(4))
                                        @ dbar(S[b] @ PR))
    return tot.real / 3


# ---------------------------------------------------------------------------------------
# the seed's formulas, transcribed independently of the module
# ---------------------------------------------------------------------------------------
def seed_msq_neutral(mP, mN, q2, theta, d, fP):          # eq. 2.13
    e4 = (4 * math.pi * c.ALPHA_EM) ** 2
    return (e4 / (32 * math.pi ** 4) * d ** 2 / fP ** 2 * (q2 - mP ** 2) ** 2 * (q2 - mN ** 2)
            / q2 ** 2 * (q2 + 3 * mN ** 2 - (q2 - mN ** 2) * math.cos(2 * theta)))


def seed_rate_neutral(mP, mN, q2, cth, d, fP):            # eq. 2.14
    return ((1 - q2 / mP ** 2) * (1 - mN ** 2 / q2) / (512 * math.pi ** 3 * mP)
            * seed_msq_neutral(mP, mN, q2, math.acos(cth), d, fP))


def seed_msq_charged(mP, ml, mN, q2, cth, d, V, fP):     # eq. 2.17
    lam = (q2 - mP ** 2 - ml ** 2) ** 2 - 4 * mP ** 2 * ml ** 2
    return (8 * c.G_FERMI ** 2 * V ** 2 * fP ** 2 * d ** 2 * (q2 - mN ** 2) ** 2 / q2 ** 2
            * (q2 * (mP ** 2 - q2) + (2 * q2 + mP ** 2) * ml ** 2 - ml ** 4
               + (q2 - ml ** 2) * math.sqrt(max(lam, 0.0)) * cth))


def seed_rate_charged(mP, ml, mN, q2, cth, d, V, fP):     # eq. 2.18
    lam = (q2 - mP ** 2 - ml ** 2) ** 2 - 4 * mP ** 2 * ml ** 2
    return (math.sqrt(max(lam, 0.0)) / (512 * math.pi ** 3 * mP ** 3) * (1 - mN ** 2 / q2)
            * seed_msq_charged(mP, ml, mN, q2, cth, d, V, fP))


def _dblquad(f, q2lo, q2hi):
    val, err = dblquad(lambda ct, q2: f(q2, ct), q2lo, q2hi, -1.0, 1.0,
                       epsabs=0.0, epsrel=1e-9)
    return val


# ---------------------------------------------------------------------------------------
# data file
# ---------------------------------------------------------------------------------------
def test_meson_table_complete_and_matches_seed_table2():
    ms = md.mesons()
    assert set(ms) == set(md.ALL_MESONS)
    # masses and widths from particle agree with the seed's Table 2 (PDG 2022)
    table2 = {"rho0": (775.26, 147.4), "omega": (782.66, 8.68), "phi": (1019.461, 4.249),
              "jpsi": (3096.900, 0.0926), "upsilon1s": (9460.30, 0.05402),
              "pi0": (134.9768, 7.80e-6), "eta": (547.862, 1.31e-3), "etaprime": (957.78, 0.188),
              "pi": (139.57039, 2.53e-14), "K": (493.677, 5.31e-14), "D": (1869.66, 6.33e-10),
              "Ds": (1968.35, 1.31e-9), "B": (5279.34, 4.02e-10)}
    for name, (m, w) in table2.items():
        assert ms[name].mass == pytest.approx(m * 1e-3, rel=2e-5), name
        assert ms[name].width == pytest.approx(w * 1e-3, rel=0.02), name


@pytest.mark.parametrize("name,q", [("rho0", 1 / math.sqrt(2)), ("omega", 1 / (3 * math.sqrt(2))),
                                    ("phi", -1 / 3), ("jpsi", 2 / 3), ("upsilon1s", -1 / 3)])
def test_effective_quark_charge(name, q):
    assert md.get_meson(name).q_eff == pytest.approx(q, rel=1e-12)


@pytest.mark.parametrize("name", md.VECTOR)
def test_fV_and_Qeff_reproduce_gamma_ee(name):
    """Same f_V, Q_eff give Γ(V→e⁺e⁻) = 4πα²Q²f²/(3m) within 8% (lowest order)."""
    v = md.get_meson(name)
    assert md.width_vector_to_ee(v) / v.gamma_ee == pytest.approx(1.0, abs=0.08)


def test_ckm_from_wolfenstein():
    doc = yaml.safe_load(open(md.data_path()))
    w = doc["ckm"]["wolfenstein"]
    lam, A, rb, eb = w["lambda"], w["A"], w["rhobar"], w["etabar"]
    z = complex(rb, eb)
    s12, s23 = lam, A * lam ** 2
    s13e = A * lam ** 3 * z * math.sqrt(1 - A ** 2 * lam ** 4) / (
        math.sqrt(1 - lam ** 2) * (1 - A ** 2 * lam ** 4 * z))
    s13 = abs(s13e)
    c12, c23, c13 = (math.sqrt(1 - s * s) for s in (s12, s23, s13))
    e = s13e / s13
    V = {"Vud": c12 * c13, "Vus": s12 * c13, "Vub": s13,
         "Vcd": abs(-s12 * c23 - c12 * s23 * s13e), "Vcs": abs(c12 * c23 - s12 * s23 * s13 * e),
         "Vcb": s23 * c13}
    for k, v in doc["ckm"].items():
        if k.startswith("V"):
            assert v == pytest.approx(V[k], abs=5e-5), k


def _write(tmp_path, doc):
    p = tmp_path / "m.yaml"
    p.write_text(yaml.safe_dump(doc))
    return p


def test_broken_meson_file_gives_clear_error(tmp_path):
    doc = yaml.safe_load(open(md.data_path()))
    bad = yaml.safe_load(yaml.safe_dump(doc))
    del bad["vector"]["rho0"]["f_MeV"]
    with pytest.raises(DataError, match="vector/rho0.*f_MeV"):
        md.load_mesons(_write(tmp_path, bad))
    bad = yaml.safe_load(yaml.safe_dump(doc))
    bad["vector"]["omega"]["wavefunction"] = {"u": 1.0, "d": 1.0}
    with pytest.raises(DataError, match="not normalised"):
        md.load_mesons(_write(tmp_path, bad))
    bad = yaml.safe_load(yaml.safe_dump(doc))
    bad["charged_pseudoscalar"]["K"]["f_ref"] = "nowhere"
    with pytest.raises(DataError, match="nowhere"):
        md.load_mesons(_write(tmp_path, bad))
    bad = yaml.safe_load(yaml.safe_dump(doc))
    del bad["charged_pseudoscalar"]["B"]
    with pytest.raises(DataError, match="missing mesons.*'B'"):
        md.load_mesons(_write(tmp_path, bad))
    with pytest.raises(ValueError, match="unknown meson 'Kaon'"):
        md.get_meson("Kaon")


# ---------------------------------------------------------------------------------------
# amplitudes and phase space
# ---------------------------------------------------------------------------------------
def test_vector_width_eq_2_10_from_dirac_traces():
    for _ in range(6):
        mV = RNG.uniform(0.5, 10.0)
        mN = RNG.uniform(0.0, 0.95) * mV
        r = (mN / mV) ** 2
        # Γ = (1-r)/(16π m_V) <|M|²> with <|M|²> = (2eQ f_V d/m_V)² × trace reproduces
        # eq. 2.10 exactly when trace = m_V⁴ (1 + r - 2r²)/3
        expected = mV ** 4 * (1 + r - 2 * r * r) / 3
        assert trace_msq_vector(mV, mN) == pytest.approx(expected, rel=1e-10)
    # and the module's eq. 2.10 against Γ = (1-r)/(16π m) (2eQfd/m)² trace
    v = md.get_meson("phi")
    mN, d = 0.4, 3e-5
    r = (mN / v.mass) ** 2
    amp2 = (2 * c.E_CHARGE * v.q_eff * v.f * d / v.mass) ** 2 * trace_msq_vector(v.mass, mN)
    assert md.width_vector(v, mN, d) == pytest.approx((1 - r) / (16 * math.pi * v.mass) * amp2,
                                                      rel=1e-10)


def test_neutral_msq_eq_2_13_from_dirac_traces():
    for _ in range(6):
        mP = RNG.uniform(0.1, 1.0)
        mN = RNG.uniform(0.0, 0.9) * mP
        q2 = RNG.uniform(mN ** 2, mP ** 2)
        cth = RNG.uniform(-1, 1)
        e4, fP, d = (4 * math.pi * c.ALPHA_EM) ** 2, 0.09, 1.0
        pref = e4 * d ** 2 / (4 * math.pi ** 4 * fP ** 2)        # (e²d/(2π²f))²
        assert pref * trace_msq_neutral(mP, mN, q2, cth) == pytest.approx(
            seed_msq_neutral(mP, mN, q2, math.acos(cth), d, fP), rel=1e-9)


def test_charged_msq_eq_2_17_from_dirac_traces():
    for _ in range(6):
        mP = RNG.uniform(0.2, 5.5)
        ml = RNG.uniform(0.0, 0.5) * mP
        mN = RNG.uniform(0.0, 0.9) * (mP - ml)
        q2 = RNG.uniform(mN ** 2, (mP - ml) ** 2)
        cth = RNG.uniform(-1, 1)
        pref = 8 * c.G_FERMI ** 2                                 # (2√2 G_F V f d)², V=f=d=1
        assert pref * trace_msq_charged(mP, ml, mN, q2, cth) == pytest.approx(
            seed_msq_charged(mP, ml, mN, q2, cth, 1.0, 1.0, 1.0), rel=1e-9)


def test_phase_space_of_eqs_2_14_and_2_18_is_the_dalitz_measure():
    """dΦ₃/(dq² dcosθ) implied by eqs. 2.14/2.18 equals dΦ₃ = dm²₁₂ dm²₂₃/(128π³ M²) times the
    Jacobian dm²(X N)/dcosθ, taken numerically from explicit four-vectors."""
    for _ in range(8):
        mP = RNG.uniform(0.2, 5.0)
        mX = RNG.choice([0.0, RNG.uniform(0, 0.5) * mP])
        mN = RNG.uniform(0.0, 0.9) * (mP - mX)
        q2 = RNG.uniform(mN ** 2, (mP - mX) ** 2)
        cth, h = RNG.uniform(-0.9, 0.9), 1e-6

        def m23sq(ct):
            _, p2, pN, _ = three_body(mP, mX, q2, mN, ct)
            return mdot(p2 + pN, p2 + pN)
        jac = (m23sq(cth + h) - m23sq(cth - h)) / (2 * h)
        dalitz = abs(jac) / (128 * math.pi ** 3 * mP ** 2)
        # eq. 2.18 (and 2.14 at m_X = 0): dΓ/dq²dcosθ = dΦ/dq²dcosθ |M|²/(2 m_P)
        lam = md.kallen(mP ** 2, mX ** 2, q2)
        seed = 2 * mP * math.sqrt(lam) * (1 - mN ** 2 / q2) / (512 * math.pi ** 3 * mP ** 3)
        assert seed == pytest.approx(dalitz, rel=1e-6)
        if mX == 0.0:   # eq. 2.14's form
            seed14 = 2 * mP * (1 - q2 / mP ** 2) * (1 - mN ** 2 / q2) / (512 * math.pi ** 3 * mP)
            assert seed14 == pytest.approx(dalitz, rel=1e-6)


# ---------------------------------------------------------------------------------------
# integrated widths: tables against direct numerical integration
# ---------------------------------------------------------------------------------------
def test_reduced_integral_limits():
    assert md.reduced_integral("neutral", 0.0) == pytest.approx(2 / 3, rel=1e-7)
    assert md.reduced_integral_direct("charged", 0.0, 0.0) == pytest.approx(1 / 12, rel=1e-9)
    assert md.reduced_integral("neutral", [1.0, 1.5]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("kind,eps", [("neutral", 0.0), ("charged", (c.M_E / 0.4937) ** 2),
                                      ("charged", (c.M_MU / 0.13957) ** 2),
                                      ("charged", (c.M_TAU / 1.96835) ** 2)])
def test_interpolation_against_direct_quadrature(kind, eps):
    x = np.r_[RNG.uniform(0, 0.99, 25), 1e-3, 0.5, 0.99]
    direct = np.array([md.reduced_integral_direct(kind, xi, eps) for xi in x])
    assert md.reduced_integral(kind, x, eps) == pytest.approx(direct, rel=2e-6)


@pytest.mark.parametrize("name", md.NEUTRAL_PSEUDOSCALAR)
def test_neutral_width_against_dblquad(name):
    p = md.get_meson(name)
    for norm, fP in (("gammagamma", p.f_gamma_gamma), ("seed", p.f)):
        mN = RNG.uniform(0.01, 0.97) * p.mass
        d = 10 ** RNG.uniform(-6, -3)
        ref = _dblquad(lambda q2, ct: seed_rate_neutral(p.mass, mN, q2, ct, d, fP),
                       mN ** 2, p.mass ** 2)
        assert md.width_neutral(name, mN, d, p0_norm=norm) == pytest.approx(ref, rel=1e-5)


@pytest.mark.parametrize("name", md.CHARGED_PSEUDOSCALAR)
def test_charged_width_against_dblquad(name):
    p = md.get_meson(name)
    for lep in md.LEPTONS:
        ml = c.LEPTON_MASS[lep]
        if ml >= p.mass:
            assert md.width_charged(name, lep, 0.01, 1e-4) == 0.0
            continue
        mN = RNG.uniform(0.01, 0.97) * (p.mass - ml)
        d = 10 ** RNG.uniform(-6, -3)
        ref = _dblquad(lambda q2, ct: seed_rate_charged(p.mass, ml, mN, q2, ct, d, p.ckm, p.f),
                       mN ** 2, (p.mass - ml) ** 2)
        assert md.width_charged(name, lep, mN, d) == pytest.approx(ref, rel=1e-5), lep


def test_differential_rates_integrate_to_widths():
    for name, lep in (("eta", None), ("K", "mu"), ("B", "tau")):
        p = md.get_meson(name)
        ml = 0.0 if lep is None else c.LEPTON_MASS[lep]
        mN = 0.3 * (p.mass - ml)
        xg, wg = np.polynomial.legendre.leggauss(200)
        lo, hi = mN ** 2, (p.mass - ml) ** 2
        q2 = 0.5 * (hi - lo) * (xg + 1) + lo
        ct = xg
        Q2, CT = np.meshgrid(q2, ct, indexing="ij")
        if lep is None:
            f = md.d2width_neutral(name, mN, Q2, CT, d=1e-4)
            ref = md.width_neutral(name, mN, 1e-4)
        else:
            f = md.d2width_charged(name, lep, mN, Q2, CT, d=1e-4)
            ref = md.width_charged(name, lep, mN, 1e-4)
        tot = 0.5 * (hi - lo) * np.einsum("i,j,ij->", wg, wg, f)
        assert tot == pytest.approx(ref, rel=1e-4), name
    # outside the physical region the differential rates vanish
    assert md.d2width_neutral("pi0", 0.05, 0.05 ** 2 * 0.5, 0.0) == 0.0


def test_massless_limits():
    """m_N → 0: BR(P⁰→γνN̄) = BR(γγ) d² m²/(24π²); Γ(P⁻→γℓN̄) → G²V²f²m⁵d²/(384π³)."""
    d = 1e-4
    for name in md.NEUTRAL_PSEUDOSCALAR:
        p = md.get_meson(name)
        assert md.branching_ratio(name, 1e-5 * p.mass, d) == pytest.approx(
            p.br_gamma_gamma * d ** 2 * p.mass ** 2 / (24 * math.pi ** 2), rel=1e-6)
    p = md.get_meson("B")          # m_e/m_B ~ 1e-4: effectively massless
    assert md.width_charged("B", "e", 1e-6, d) == pytest.approx(
        c.G_FERMI ** 2 * p.ckm ** 2 * p.f ** 2 * p.mass ** 5 * d ** 2 / (384 * math.pi ** 3),
        rel=1e-4)


def test_vectorized_shapes_scaling_and_thresholds():
    m = np.linspace(0.01, 1.2, 7)[:, None]
    d = np.array([1e-6, 1e-5, 1e-4])[None, :]
    for name in md.ALL_MESONS:
        lep = "e" if name in md.CHARGED_PSEUDOSCALAR else None
        br = md.branching_ratio(name, m, d, lepton=lep)
        assert br.shape == (7, 3)
        assert np.all(br >= 0)
        np.testing.assert_allclose(br[:, 1], 100 * br[:, 0], rtol=1e-12)
        p = md.get_meson(name)
        assert np.all(br[m[:, 0] >= p.mass] == 0)
    assert md.width_vector("rho0", 0.8, 1e-4) == 0.0
    assert md.width_charged("pi", "mu", 0.04, 1e-4) == 0.0   # m_π - m_μ = 33.9 MeV
    assert md.width_charged("pi", "tau", 0.001, 1e-4) == 0.0


def test_p0_norm_and_conjugate_options():
    p = md.get_meson("etaprime")
    a = md.branching_ratio("etaprime", 0.2, 1e-4)
    b = md.branching_ratio("etaprime", 0.2, 1e-4, p0_norm="seed")
    assert a / b == pytest.approx((p.f / p.f_gamma_gamma) ** 2, rel=1e-12)
    # eq. 2.11 with Table 2's f: Γ(γγ) = α²m³/(64π³f²) vs measured
    assert c.ALPHA_EM ** 2 * p.mass ** 3 / (64 * math.pi ** 3 * p.f_gamma_gamma ** 2) == \
        pytest.approx(p.width * p.br_gamma_gamma, rel=1e-12)
    assert md.get_meson("pi0").f_gamma_gamma == pytest.approx(0.0921, rel=0.01)
    with pytest.raises(ValueError, match="p0_norm"):
        md.branching_ratio("eta", 0.2, 1e-4, p0_norm="bogus")
    for name in ("rho0", "eta"):
        assert md.branching_ratio(name, 0.2, 1e-4, include_conjugate=True) == pytest.approx(
            2 * md.branching_ratio(name, 0.2, 1e-4), rel=1e-14)
    assert md.branching_ratio("K", 0.2, 1e-4, "e", include_conjugate=True) == \
        md.branching_ratio("K", 0.2, 1e-4, "e")


def test_table_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    md._spline.cache_clear()
    try:
        a = md.reduced_integral("charged", 0.37, (c.M_MU / 0.4937) ** 2)
        assert len(list(tmp_path.glob("meson_dipole_J-*.npz"))) == 1
        md._spline.cache_clear()
        b = md.reduced_integral("charged", 0.37, (c.M_MU / 0.4937) ** 2)  # from disk
        assert a == b
    finally:
        md._spline.cache_clear()


# ---------------------------------------------------------------------------------------
# seed Fig. 2 statements, and the table for the report
# ---------------------------------------------------------------------------------------
def br_table(m_N=0.1, d=1e-4):
    rows = []
    for name in md.ALL_MESONS:
        if name in md.CHARGED_PSEUDOSCALAR:
            for lep in md.LEPTONS:
                rows.append((name, lep, float(md.branching_ratio(name, m_N, d, lep))))
        else:
            rows.append((name, "", float(md.branching_ratio(name, m_N, d))))
    return rows


def test_fig2_qualitative_statements(capsys):
    d = 1e-4
    for m_N in (0.01, 0.1, 0.2):
        br = {n: md.branching_ratio(n, m_N, d) for n in md.VECTOR}
        light = max(br["rho0"], br["omega"], br["phi"])
        assert br["jpsi"] > 1e3 * light and br["upsilon1s"] > 1e3 * light
        for n in ("K", "D", "Ds"):      # d_γ^e: above the rho0 and omega two-body modes
            assert md.branching_ratio(n, m_N, d, "e") > max(br["rho0"], br["omega"]), n
    # μ flavour like e except π⁻ → γ μ N̄, suppressed by phase space
    assert md.branching_ratio("pi", 0.01, d, "mu") < 0.1 * md.branching_ratio("pi", 0.01, d, "e")
    assert md.branching_ratio("K", 0.01, d, "mu") == pytest.approx(
        md.branching_ratio("K", 0.01, d, "e"), rel=0.3)
    with capsys.disabled():
        print("\nBR(meson -> N + X) at m_N = 0.1 GeV, d = 1e-4 GeV^-1 (one channel):")
        for name, lep, v in br_table():
            print(f"  {name:10s} {lep:4s} {v:.3e}")


# ---------------------------------------------------------------------------------------
# observables
# ---------------------------------------------------------------------------------------
def _obs(name):
    return registry._REGISTRY[name]


def test_observables_registered_with_metadata():
    for name in md.ALL_MESONS:
        o = _obs(f"br_{name}_to_N")
        assert o.unit == "1" and o.refs and o.sm == 0.0
        assert set(o.params) == {"m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau"}


def test_observable_flavour_logic():
    m = np.array([0.05, 0.1, 0.2])
    d = 1e-4
    pe = make_point(m_N=m, d_gamma_e=d)
    pt = make_point(m_N=m, d_gamma_tau=d)
    pet = make_point(m_N=m, d_gamma_e=d, d_gamma_tau=2 * d)
    # neutral: Σ|d_α|²; every BR counts the new channels in the total width, b / (1 + b)
    W = md.with_new_channel
    np.testing.assert_allclose(_obs("br_jpsi_to_N")(pet), W(md.branching_ratio("jpsi", m, d) * 5),
                               rtol=1e-12)
    np.testing.assert_allclose(_obs("br_eta_to_N")(pe), W(md.branching_ratio("eta", m, d)),
                               rtol=1e-12)
    np.testing.assert_allclose(_obs("br_eta_to_N")(pe, p0_norm="seed"),
                               W(md.branching_ratio("eta", m, d, p0_norm="seed")), rtol=1e-12)
    np.testing.assert_allclose(_obs("br_phi_to_N")(pe, include_conjugate=True),
                               W(2 * md.branching_ratio("phi", m, d)), rtol=1e-12)
    # charged: lepton flavour follows the non-zero d_γ^α
    np.testing.assert_allclose(_obs("br_Ds_to_N")(pe), W(md.branching_ratio("Ds", m, d, "e")),
                               rtol=1e-12)
    np.testing.assert_allclose(_obs("br_Ds_to_N")(pt), W(md.branching_ratio("Ds", m, d, "tau")),
                               rtol=1e-12)
    np.testing.assert_allclose(_obs("br_Ds_to_N")(pet),
                               W(md.branching_ratio("Ds", m, d, "e")
                                 + md.branching_ratio("Ds", m, 2 * d, "tau")), rtol=1e-12)
    assert np.all(_obs("br_K_to_N")(pt) == 0)          # K → τ closed
    # no-HNL point: zero everywhere
    p0 = make_point(m_N=m)
    for name in md.ALL_MESONS:
        assert np.all(_obs(f"br_{name}_to_N")(p0) == 0)
