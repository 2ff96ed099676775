"""HNL decays through the dipole portal: two-body widths against explicit spinor sums, the
three-body tables against direct quadrature, limits, the seed's 490 m, Majorana factor,
broadcasting and the no-HNL point."""
import math

import numpy as np
import pytest
from scipy.integrate import quad

from hnlfit import constants as c
from hnlfit import make_point, predict
from hnlfit.physics.dipole import hnl_decays as h
from test_ee_to_N_nu import (ETA, PR, bar, current, dipole_vertex, lower, u_spinors)


def _width_numeric(m, m_f, M, d):
    """Gamma(N -> f V) from explicit spinors: N at rest, V along a random direction,
    polarisation sum -g + q q / M^2 (photon: -g), spin average 1/2."""
    rng = np.random.default_rng(7)
    lam = math.sqrt((m * m - (M + m_f) ** 2) * (m * m - (M - m_f) ** 2))
    k = lam / (2 * m)
    n = rng.normal(size=3)
    n /= np.linalg.norm(n)
    q = np.concatenate([[math.sqrt(k * k + M * M)], k * n])
    pf = np.concatenate([[math.sqrt(k * k + m_f * m_f)], -k * n])
    pN = np.array([m, 0, 0, 0.0])
    V = dipole_vertex(d, -q, PR)            # outgoing boson: momentum into the vertex is -q
    P = ETA - (np.outer(lower(q), lower(q)) / M ** 2 if M > 0 else 0.0)
    tot = 0.0
    for uf in u_spinors(pf, m_f):
        for uN in u_spinors(pN, m):
            j = current(bar(uf), V, uN)
            tot += -(j.conj() @ P @ j).real
    return 0.5 * tot / (2 * m) * k / (4 * math.pi * m)


def test_nu_gamma_width_normalisation():
    """Gamma = |d|^2 m^3/(4 pi) for L = d nu-bar sigma^{mu nu} P_R N F_{mu nu} + h.c."""
    for m in (0.15, 3.0, 250.0):
        assert _width_numeric(m, 0.0, 0.0, 1e-6) == pytest.approx(
            float(h.gamma_nu_gamma(m, 1e-6)), rel=1e-10)
        assert float(h.gamma_nu_gamma(m, 1e-6)) == pytest.approx(1e-12 * m ** 3 / (4 * math.pi))


def test_nu_Z_and_l_W_widths_against_spinors():
    rng = np.random.default_rng(1)
    for _ in range(4):
        m = rng.uniform(c.M_Z + 1, 600)
        assert _width_numeric(m, 0.0, c.M_Z, 1e-6) == pytest.approx(
            float(h.gamma_nu_Z(m, 1e-6)), rel=1e-10)
        # slide formula for nu Z is right
        slide = 1e-12 * (m * m - c.M_Z ** 2) ** 2 * (2 * m * m + c.M_Z ** 2) / (8 * math.pi * m ** 3)
        assert float(h.gamma_nu_Z(m, 1e-6)) == pytest.approx(slide)
    # N -> l W with a heavy "lepton" to exercise the mass terms, and the tau
    for ml in (c.M_TAU, 30.0):
        for _ in range(3):
            m = rng.uniform(c.M_W + ml + 0.5, 500)
            assert _width_numeric(m, ml, c.M_W, 1e-6) == pytest.approx(
                float(h.gamma_l_W(m, 1e-6, ml)), rel=1e-10)


def test_l_W_kallen_threshold_and_slide_error():
    for ml in (c.M_E, c.M_TAU, 20.0):
        thr = c.M_W + ml
        assert float(h.gamma_l_W(thr, 1e-6, ml)) == 0.0
        assert float(h.gamma_l_W(thr * (1 - 1e-9), 1e-6, ml)) == 0.0
        just = np.array([1e-7, 1e-6, 1e-4, 1e-2])
        vals = h.gamma_l_W(thr * (1 + just), 1e-6, ml)
        assert np.all(vals > 0) and np.all(np.diff(vals) > 0)
        if ml > 1.0:
            # square-root threshold for m - thr << m_l: Gamma ~ sqrt(m - thr)
            slope = math.log(vals[1] / vals[0]) / math.log(just[1] / just[0])
            assert slope == pytest.approx(0.5, abs=0.02)
    # the printed slide formula does not vanish at threshold (no Kallen function)
    ml, M = 20.0, c.M_W
    m = M + ml
    slide = (math.sqrt((m * m - (M - ml) ** 2) * (m * m + (M - ml) ** 2))
             * (2 * ml * ml * (2 * ml * ml - 4 * m * m - M * M) + (m * m - M * M) * (2 * m * m + M * M)))
    assert abs(slide) > 0
    # m_l -> 0 reduces to the nu Z form with M_W
    m = 300.0
    assert float(h.gamma_l_W(m, 1e-6, 0.0)) == pytest.approx(
        1e-12 * (m * m - M * M) ** 2 * (2 * m * m + M * M) / (8 * math.pi * m ** 3))


def test_offshell_tables_against_quadrature():
    z, w = h._channels()
    gz, gw = h.z_width_tree(), h.w_width_tree()

    def direct(m, ml, M, G, chans, fw, iq):
        tot = 0.0
        for ch in chans:
            lo, hi = ch[iq] ** 2, (m - ml) ** 2
            if hi <= lo:
                continue
            f = lambda q2: float(h._two_body_reduced(m, q2, ml) * math.sqrt(q2) * fw(q2, ch)
                                 / ((q2 - M * M) ** 2 + M * M * G * G))
            pts = [M * M] if lo < M * M < hi else None
            tot += quad(f, lo, hi, points=pts, limit=400, epsrel=1e-9, epsabs=0)[0]
        return tot / math.pi

    for m in (0.02, 1.3, 40.0, 88.0, 91.5, 97.0, 400.0):
        ref = direct(m, 0.0, c.M_Z, gz, z, h._z_channel_width, 4)
        assert float(h.gamma_nu_Zstar(m, 1.0)) == pytest.approx(ref, rel=2e-3)
    for f, ml in (("e", c.M_E), ("tau", c.M_TAU)):
        for m in (3.0, 60.0, 82.5, 90.0, 300.0):
            ref = direct(m, ml, c.M_W, gw, w, h._w_channel_width, 3)
            assert float(h.gamma_l_Wstar(m, 1.0, f)) == pytest.approx(ref, rel=2e-3)


def test_offshell_joins_onshell_and_narrow_width_limit():
    # far above threshold the (*) width approaches the on-shell two-body width
    for m in (150.0, 300.0, 1000.0):
        assert float(h.gamma_nu_Zstar(m, 1e-6)) == pytest.approx(float(h.gamma_nu_Z(m, 1e-6)),
                                                                 rel=0.05)
        assert float(h.gamma_l_Wstar(m, 1e-6, "mu")) == pytest.approx(
            float(h.gamma_l_W(m, 1e-6, c.M_MU)), rel=0.05)
    # the q^2 integral with a narrow boson reproduces the two-body width exactly
    M, G = 91.0, 1e-4
    for m in (120.0, 200.0):
        val = h.offshell_integral(np.array([m]), 0.0, M, G,
                                  lambda q2: G * np.sqrt(q2) / M, 0.0)[0]
        assert val == pytest.approx(float(h._two_body_reduced(m, M * M)), rel=1e-3)
    # tree-level widths used in the propagators are within 5% of PDG (no QCD corrections)
    assert h.z_width_tree() == pytest.approx(c.GAMMA_Z, rel=0.05)
    assert h.w_width_tree() == pytest.approx(c.GAMMA_W, rel=0.06)


def test_three_body_low_mass_scaling_and_closed_channels():
    m = np.array([1e-4, 2e-4, 0.02, 0.04])
    g = h.gamma_nu_Zstar(m, 1.0)
    assert math.log(g[1] / g[0]) / math.log(2) == pytest.approx(7.0, abs=1e-6)   # extrapolated
    assert math.log(g[3] / g[2]) / math.log(2) == pytest.approx(7.0, abs=0.05)   # computed
    assert float(h.gamma_l_Wstar(1.0, 1.0, "tau")) == 0.0          # m_N < m_tau
    assert float(h.gamma_l_Wstar(5e-4, 1.0, "e")) == 0.0           # below 2 m_e
    assert float(h.gamma_l_Wstar(2.0, 1.0, "tau")) > 0.0
    with pytest.raises(ValueError):
        h.gamma_l_Wstar(1.0, 1.0, "x")


def test_decay_length_seed_number():
    """2308.16608 eq. 2.21: ~490 m at d = 1e-6 GeV^-1, m_N = 0.15 GeV, E_N = 100 GeV."""
    L = predict("decay_length_N", m_N=0.15, d_gamma_mu=1e-6, E_N=100.0)
    assert float(L) == pytest.approx(490.0, rel=0.005)
    # scaling of eq. 2.21
    L2 = predict("decay_length_N", m_N=0.3, d_gamma_mu=2e-6, E_N=100.0)
    assert float(L2) == pytest.approx(float(L) / 4 / 16, rel=1e-3)
    # exact formula (p/m) hbar c / Gamma
    gam = 1e-12 * 0.15 ** 3 / (4 * math.pi)
    assert float(L) == pytest.approx(math.sqrt(100.0 ** 2 - 0.15 ** 2) / 0.15
                                     * c.HBARC_GEV_M / gam, rel=1e-6)


def test_majorana_doubles_widths():
    kw = dict(m_N=[0.5, 120.0], d_gamma_tau=1e-6, a=-3.0)
    gd = predict("gamma_N", **kw)
    gm = predict("gamma_N", **kw, majorana=True)
    assert np.allclose(gm, 2 * gd)
    assert np.allclose(predict("br_N_to_nu_gamma", **kw, majorana=True),
                       predict("br_N_to_nu_gamma", **kw))
    assert np.allclose(predict("decay_length_N", **kw, E_N=500.0, majorana=True),
                       predict("decay_length_N", **kw, E_N=500.0) / 2)


def test_branching_ratio_and_total_width():
    p = make_point(m_N=np.array([0.1, 10.0, 85.0, 200.0]), d_gamma_e=1e-6, a=-3.73)
    pw = h.partial_widths_point(p)
    tot = predict("gamma_N", p)
    assert np.allclose(tot, sum(pw.values()))
    br = predict("br_N_to_nu_gamma", p)
    assert np.allclose(br, pw["nu_gamma_e"] / tot)
    assert br[0] == pytest.approx(1.0, abs=1e-9) and br[-1] < 0.5
    assert np.all(np.diff(br) < 0)


def test_no_hnl_and_broadcasting():
    assert np.all(predict("gamma_N", m_N=[1.0, 100.0]) == 0.0)
    assert np.all(predict("br_N_to_nu_gamma", m_N=[1.0, 100.0]) == 0.0)
    assert np.all(np.isinf(predict("decay_length_N", m_N=[1.0, 100.0], E_N=200.0)))
    m = np.logspace(-2, 3, 7)[:, None]
    d = np.array([1e-7, 1e-6])[None, :]
    g = predict("gamma_N", m_N=m, d_gamma_mu=d, a=1.0)
    assert g.shape == (7, 2)
    assert np.allclose(g[:, 1], 100 * g[:, 0])
    L = predict("decay_length_N", m_N=m, d_gamma_mu=d, E_N=np.array([[2e3], [3e3], [4e3], [5e3],
                                                                      [6e3], [7e3], [8e3]]))
    assert L.shape == (7, 2) and np.all(L > 0)
    assert np.isnan(h.decay_length(2.0, 1.0, 1e-10))
    from hnlfit.errors import ObservableError
    with pytest.raises(ObservableError):
        predict("decay_length_N", m_N=1.0, d_gamma_e=1e-6)


def test_tables_are_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(h, "_TABLES", None)
    monkeypatch.setattr(h, "_PCHIP", {})
    t1 = h.tables()
    files = list(tmp_path.glob("hnl_dipole_offshell-*.npz"))
    assert len(files) == 1
    monkeypatch.setattr(h, "_TABLES", None)
    t2 = h.tables()
    assert all(np.array_equal(t1[k], t2[k]) for k in t1)
