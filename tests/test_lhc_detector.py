"""The parton-level LHC detector simulation (issue 11 item 5): kinematics, the exact
decay-length windows, and the shipped efficiency tables against a brute-force Monte Carlo
that draws decay points and applies the cuts of hnlfit/data/lhc/selections.yaml directly."""
import math

import numpy as np
import pytest

from hnlfit.errors import ParameterError
from hnlfit.physics.lhc import detector as det
from hnlfit.physics.lhc.production import sample_pp_to_N1N2


def _mass(p):
    return np.sqrt(np.maximum(p[:, 0] ** 2 - np.sum(p[:, 1:] ** 2, axis=1), 0.0))


def _fixture_sampler(m1, m2, n, seed=0):
    """Test fixture (not physics): N1 and N2 back to back in the transverse plane with a
    random azimuth and a fixed p = 300 GeV, at rapidity 0."""
    rng = np.random.default_rng(seed)
    phi = rng.uniform(0, 2 * math.pi, n)
    p = 300.0
    d = np.column_stack([np.cos(phi), np.sin(phi), np.zeros(n)])
    return {"p_N1": np.column_stack([np.hypot(p, m1) * np.ones(n), -p * d]),
            "p_N2": np.column_stack([np.hypot(p, m2) * np.ones(n), p * d])}


def test_two_and_three_body_kinematics():
    rng = np.random.default_rng(1)
    parent = _fixture_sampler(20.0, 100.0, 500)["p_N2"]
    a, b = det.two_body_isotropic(rng, parent, 20.0, 0.0)
    assert np.allclose(a + b, parent, atol=1e-8)
    assert np.allclose(_mass(a), 20.0, atol=1e-6) and np.allclose(_mass(b), 0.0, atol=1e-5)
    for m in (30.0, 150.0):       # below and above the W
        par = _fixture_sampler(m, 200.0, 2000)["p_N1"]
        e, q, qb, w, mqq = det.three_body_e_qq(rng, par, m)
        assert np.allclose(e + q + qb, par, atol=1e-6)
        assert np.all(w >= 0) and w.mean() == pytest.approx(1.0)
        assert np.allclose(_mass(q + qb), mqq, rtol=1e-6, atol=1e-6)
    # above the W the weighted m_qq peaks at M_W
    assert np.average(np.abs(mqq - 80.4) < 5.0, weights=w) > 0.8


def test_muon_decay_like_electron_spectrum():
    """m << M_W: |M|^2 ∝ (p_N.p_qbar)(p_e.p_q) is muon decay with N -> mu, q-bar -> nu_e-bar,
    e -> e, q -> nu_mu: <x_e> = 7/10 (x^2 (3 - 2x)) and <x_qbar> = 3/5 (6 x^2 (1 - x))."""
    rng = np.random.default_rng(2)
    m = 10.0
    par = np.tile([m, 0, 0, 0.0], (200000, 1))
    e, q, qb, w, _ = det.three_body_e_qq(rng, par, m)
    x = 2 * e[:, 0] / m
    assert np.average(x, weights=w) == pytest.approx(0.7, abs=0.005)
    xq = 2 * qb[:, 0] / m
    assert np.average(xq, weights=w) == pytest.approx(0.6, abs=0.005)


def test_decay_probability_limits():
    lo, hi, bg = np.array([10.0]), np.array([1000.0]), np.array([5.0])
    ct = np.array([1e-9, 1.0e-3, 1e6])
    p = det.decay_probability(lo, hi, bg, ct)
    assert p[0] == 0.0
    lam = 5.0 * 1.0
    assert p[1] == pytest.approx(math.exp(-10 / lam) - math.exp(-1000 / lam))
    assert p[2] == pytest.approx(990.0 / (5.0 * 1e9), rel=1e-4)     # (hi - lo)/lambda
    assert det.decay_probability(hi, lo, bg, ct)[1] == 0.0


def test_photon_window_against_explicit_geometry():
    """Fixture events in the transverse plane: the window edges are where r_DV = 1450 mm
    and |d_XY| = 6 mm, computed here from the positions."""
    w = det.event_windows(10.0, 100.0, 2000, seed=3, sampler=_fixture_sampler)
    lo, hi, bg, _ = w["B1"]
    ok = hi > lo
    assert ok.mean() > 0.3
    assert np.allclose(hi[ok], 1450.0)          # eta = 0: the r_DV edge
    # rebuild d_XY at L = lo from the event: |d_XY(lo)| = 6 mm
    ev = _fixture_sampler(10.0, 100.0, 2000, seed=3)
    n = ev["p_N2"][:, 1:] / np.linalg.norm(ev["p_N2"][:, 1:], axis=1)[:, None]
    assert np.allclose(bg, 300.0 / 100.0)
    assert np.all(lo[ok] > 6.0) and np.all(np.isfinite(lo[ok]))
    # at the window's lower edge the photon's |d_XY| is 6 mm (explicit positions)
    rng = np.random.default_rng(3 + 7919)     # the generator event_windows uses for N2 decays
    _, pg = det.two_body_isotropic(rng, ev["p_N2"], 10.0, 0.0)
    pos = n * lo[:, None]
    pt = np.hypot(pg[:, 1], pg[:, 2])
    dxy = pos[:, 0] * pg[:, 2] / pt - pos[:, 1] * pg[:, 1] / pt
    assert np.allclose(np.abs(dxy[ok]), 6.0, rtol=1e-9)


def _brute(kind, m1, m2, ctau, n, seed):
    """Independent Monte Carlo: decay points drawn, positions and cuts computed explicitly."""
    s = det.selections()
    rng = np.random.default_rng(seed)
    ev = sample_pp_to_N1N2(m1, m2, n, seed=seed)
    pN1, pN2 = ev["p_N1"], ev["p_N2"]

    def flight(p, m, origin=None):
        pabs = np.linalg.norm(p[:, 1:], axis=1)
        L = rng.exponential(pabs / m * ctau * 1e3)
        return p[:, 1:] / pabs[:, None] * L[:, None]

    def photon_ok(pos, pg):
        sp = s["non_pointing_photon"]
        pt = np.hypot(pg[:, 1], pg[:, 2])
        eta = np.arcsinh(pg[:, 3] / pt)
        dxy = pos[:, 0] * pg[:, 2] / pt - pos[:, 1] * pg[:, 1] / pt
        return ((pt > sp["photon_pt_min"]) & (np.abs(eta) < sp["photon_abs_eta_max"])
                & (np.hypot(pos[:, 0], pos[:, 1]) < sp["r_dv_max"])
                & (np.abs(pos[:, 2]) < sp["abs_z_dv_max"]) & (np.abs(dxy) > sp["abs_dxy_min"]))

    pN1b, pg = det.two_body_isotropic(rng, pN2, m1, 0.0)
    if kind == "B1":
        return photon_ok(flight(pN2, m2), pg).astype(float), np.ones(n)
    if kind == "B2":
        sel = []
        for p in (pN1, pN1b):
            _, g = det.two_body_isotropic(rng, p, 0.0, 0.0)
            sel.append(photon_ok(flight(p, m1), g))
        return (sel[0] | sel[1]).astype(float), np.ones(n)
    sd = s["displaced_vertex_electron"]
    sel, wts = [], []
    for p in (pN1, pN1b):
        pos = flight(p, m1)
        e, q, qb, w, mqq = det.three_body_e_qq(rng, p, m1)
        nj = np.maximum(np.rint(0.5 * det.multiplicity(mqq)), 1.0)
        ntrk = np.zeros(n)
        vis = np.zeros((n, 4))
        for obj, mult, frac in ((e, np.ones(n), 1.0), (q, nj, sd["charged_fraction"]),
                                (qb, nj, sd["charged_fraction"])):
            pt_trk = frac * np.hypot(obj[:, 1], obj[:, 2]) / mult
            d0 = np.abs(pos[:, 0] * obj[:, 2] - pos[:, 1] * obj[:, 1]) / np.hypot(obj[:, 1],
                                                                                  obj[:, 2])
            good = pt_trk > sd["track_pt_min"]
            ntrk += np.where(good & (d0 > sd["track_abs_d0_min"]), mult, 0.0)
            vis += np.where(good[:, None], frac * obj, 0.0)
        mdv = np.sqrt(np.maximum(vis[:, 0] ** 2 - np.sum(vis[:, 1:] ** 2, axis=1), 0))
        pte = np.hypot(e[:, 1], e[:, 2])
        r = np.hypot(pos[:, 0], pos[:, 1])
        ok = ((pte > sd["electron_pt_min"]) & (np.abs(np.arcsinh(e[:, 3] / pte))
                                                < sd["electron_abs_eta_max"])
              & (r > sd["r_dv_min"]) & (r < sd["r_dv_max"])
              & (np.abs(pos[:, 2]) < sd["abs_z_dv_max"]) & (ntrk >= sd["n_tracks_min"])
              & (mdv > sd["m_dv_min"]))
        sel.append(ok)
        wts.append(w)
    return np.stack(sel), np.stack(wts)


@pytest.mark.parametrize("kind,m1,m2,ctau", [
    ("B1", 70.0, 150.0, 0.3), ("B1", 900.0, 1000.0, 1.0), ("B2", 40.0, 300.0, 0.5),
    ("B3", 120.0, 700.0, 0.02)])
def test_tables_against_brute_force(kind, m1, m2, ctau):
    n = 30000
    sel, w = _brute(kind, m1, m2, ctau, n, seed=12345)
    if kind == "B3":
        # B = 1 event rate: at least one of the two N1 selected, weights of both decays
        ww = w[0] * w[1]
        brute = np.sum(ww * (sel[0] | sel[1])) / np.sum(ww)
        ea, eb, eab = (det.efficiency(f"B3_{t}", m1, m2, ctau) for t in ("a", "b", "ab"))
        table = ea + eb - eab
        err = math.sqrt(brute / n) * 3
    elif kind == "B2":
        brute = sel.mean()
        ea, eb, eab = (det.efficiency(f"B2_{t}", m1, m2, ctau) for t in ("a", "b", "ab"))
        table = ea + eb - eab
        err = math.sqrt(brute * (1 - brute) / n)
    else:
        brute = sel.mean()
        table = det.efficiency("B1", m1, m2, ctau)
        err = math.sqrt(brute * (1 - brute) / n)
    assert brute > 0.02
    # statistics of both samples plus the table's interpolation between mass nodes
    assert table == pytest.approx(brute, abs=4 * err + 0.06 * brute)


def test_efficiency_limits_and_errors():
    m1, m2 = 50.0, 200.0
    assert det.efficiency("B1", m1, m2, 1e-12) == 0.0
    big = det.efficiency("B1", m1, m2, np.array([1e5, 1e6]))
    assert big[0] == pytest.approx(10 * big[1], rel=1e-9)
    assert det.efficiency("B1", m1, m2, np.inf) == 0.0
    with pytest.raises(ParameterError, match="unknown efficiency table"):
        det.efficiency("B9", m1, m2, 1.0)
    with pytest.raises(ParameterError, match="m_N2 outside"):
        det.efficiency("B1", 1.0, 1e4, 1.0)
    with pytest.raises(ParameterError):
        det.efficiency("B1", 300.0, 200.0, 1.0)


def test_shipped_tables_match_their_inputs():
    t = det.tables()
    assert str(t["inputs_hash"]) == det.inputs_hash(det.table_inputs(int(t["n_events"])))
    for k in det.KINDS:
        assert np.all((t[k] >= 0) & (t[k] <= 1))
    # eps_ab <= min(eps_a, eps_b)
    for b in ("B2", "B3"):
        assert np.all(t[f"{b}_ab"] <= np.minimum(t[f"{b}_a"], t[f"{b}_b"]) + 1e-6)
