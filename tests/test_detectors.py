"""Far-detector geometry: YAML data, validation, and the in-volume decay probability.

The decay probability (exact path interval, exponential law) is checked against a brute-force
Monte Carlo: exponential decay points along each ray, counted with a point-in-volume test
written here from the detector's dimensions, for random detectors, directions and λ.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.physics.forward import detectors as D

RNG = np.random.default_rng(48061)


# ---------------------------------------------------------------------------------------
# shipped data
# ---------------------------------------------------------------------------------------
def test_shipped_detectors():
    assert {"FASER", "FASER2", "FACET", "MAPP2"} <= set(D.available_detectors())
    f2 = D.get_detector("FASER2")
    assert (f2.shape, f2.dimensions, f2.luminosity_fb, f2.p_min) == (
        "disc", {"r_max": 1.0, "z_min": 475.0, "z_max": 480.0}, 3000.0, 100.0)
    fc = D.get_detector("FACET")
    assert (fc.shape, fc.dimensions, fc.luminosity_fb) == (
        "annulus", {"r_min": 0.18, "r_max": 0.5, "z_min": 101.0, "z_max": 119.0}, 3000.0)
    mp = D.get_detector("MAPP2")
    assert (mp.shape, mp.luminosity_fb) == ("box", 300.0)
    assert mp.dimensions == {"x_min": 3.0, "x_max": 6.0, "y_min": -2.0, "y_max": 1.0,
                             "z_min": 48.0, "z_max": 61.0}
    f1 = D.get_detector("FASER")
    assert (f1.shape, f1.dimensions, f1.luminosity_fb) == (
        "disc", {"r_max": 0.1, "z_min": 480.0, "z_max": 481.5}, 150.0)
    for name in D.available_detectors():
        det = D.get_detector(name)
        assert det.references and det.p_min == 100.0
    # FACET covers polar angles of about 1.5-5 mrad (the paper quotes 1-4 mrad)
    assert 0.18 / 119 == pytest.approx(1.5e-3, abs=1e-4)


def _doc(**over):
    doc = {"name": "TOY", "shape": "annulus", "luminosity_fb": 100, "p_min_GeV": 10,
           "dimensions": {"r_min": 0.1, "r_max": 0.3, "z_min": 10, "z_max": 12},
           "references": [{"arxiv": "0000.00000"}]}
    doc.update(over)
    return doc


def test_user_detector_from_file(tmp_path):
    p = tmp_path / "TOY.yaml"
    p.write_text(yaml.safe_dump(_doc()))
    det = D.load_detector(p)
    assert det.name == "TOY" and det.volume == pytest.approx(math.pi * 0.08 * 2)
    assert D.decay_probability_lambda(det, math.atan(0.2 / 11), 0.0, 50.0) > 0


@pytest.mark.parametrize("over,match", [
    ({"shape": "sphere"}, "shape"),
    ({"dimensions": {"r_max": 0.3, "z_min": 10, "z_max": 12}}, r"missing \['r_min'\]"),
    ({"dimensions": {"r_min": 0.1, "r_max": 0.3, "z_min": 10, "z_max": 12, "x_min": 1}},
     r"unexpected \['x_min'\]"),
    ({"dimensions": {"r_min": 0.4, "r_max": 0.3, "z_min": 10, "z_max": 12}}, "r_min < r_max"),
    ({"dimensions": {"r_min": 0.1, "r_max": 0.3, "z_min": 12, "z_max": 10}}, "z_min < z_max"),
    ({"references": []}, "references"),
    ({"luminosity_fb": -1}, "luminosity_fb"),
    ({"colour": "red"}, "colour"),
])
def test_bad_detector_files(tmp_path, over, match):
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(_doc(**over)))
    with pytest.raises(DataError, match=match):
        D.load_detector(p)


def test_unknown_detector_name_suggests():
    with pytest.raises(DataError, match="FASER2"):
        D.load_detector("FASR2")
    with pytest.raises(DataError, match="does not exist"):
        D.load_detector("/nonexistent/x.yaml")


# ---------------------------------------------------------------------------------------
# geometry: analytic cases
# ---------------------------------------------------------------------------------------
def test_on_axis_and_eq_3_4():
    f2 = D.get_detector("FASER2")
    l_in, l_out = D.path_interval(f2, 0.0, 0.0)
    assert (l_in, l_out) == (475.0, 480.0)
    # through both end faces: P is seed eq. 3.4
    theta, p, m, ctau = 1.5e-3, 800.0, 0.15, 0.7
    lam = p / m * ctau
    eq34 = (math.exp(-475 * m / (p * math.cos(theta) * ctau))
            - math.exp(-480 * m / (p * math.cos(theta) * ctau)))
    assert D.decay_probability(f2, theta, 1.0, p, m, ctau) == pytest.approx(eq34, rel=1e-12)
    assert D.decay_probability_lambda(f2, theta, 1.0, lam) == pytest.approx(eq34, rel=1e-12)
    # leaves through the side: exit at r = 1 m, earlier than 480/cosθ
    theta = math.atan(1.0 / 478.0)
    l_in, l_out = D.path_interval(f2, theta, 2.0)
    assert l_out == pytest.approx(1.0 / math.sin(theta))
    assert l_in == pytest.approx(475.0 / math.cos(theta))
    # FACET: on-axis and backward rays miss, a 2 mrad ray hits
    fc = D.get_detector("FACET")
    assert D.decay_probability_lambda(fc, [0.0, math.pi - 2e-3, 2e-3], 0.0, 100.0)[:2].tolist() \
        == [0.0, 0.0]
    assert D.decay_probability_lambda(fc, 2e-3, 0.0, 100.0) > 0
    # MAPP2 is off axis: forward rays miss, a ray to its centre hits, at any λ P ≤ 1
    mp = D.get_detector("MAPP2")
    assert D.decay_probability_lambda(mp, 0.0, 0.0, 50.0) == 0.0
    th, ph = math.atan(math.hypot(4.5, -0.5) / 54.5), math.atan2(-0.5, 4.5)
    l_in, l_out = D.path_interval(mp, th, ph)
    assert 48 < l_in < l_out < 62
    assert 0 < D.decay_probability_lambda(mp, th, ph, 30.0) < 1


def test_limits_and_broadcasting():
    f2 = D.get_detector("FASER2")
    theta = np.array([0.0, 1e-3, 5e-3])[:, None]
    lam = np.array([1e-3, 1.0, 1e3, 1e12])[None, :]
    P = D.decay_probability_lambda(f2, theta, 0.3, lam)
    assert P.shape == (3, 4)
    assert np.all(P[2] == 0)                   # 5 mrad misses a 1 m disc at 475 m
    assert np.all(P[:2, 0] == 0)               # decays long before
    l_in, l_out = D.path_interval(f2, theta[:2, 0], 0.3)
    np.testing.assert_allclose(P[:2, 3], (l_out - l_in) / 1e12, rtol=1e-9)   # λ → ∞
    # p, m_N, cτ broadcast too
    P2 = D.decay_probability(f2, 1e-3, 0.0, np.array([100.0, 1000.0]), 0.1,
                             np.array([[1.0], [10.0]]))
    assert P2.shape == (2, 2) and np.all((P2 > 0) & (P2 < 1))


def test_decay_length_eq_2_21():
    """ℓ_dec ≈ 490 m at d = 1e-6 GeV⁻¹, m_N = 0.15 GeV, E_N = 100 GeV (eqs. 2.19-2.21)."""
    d, m, E = 1e-6, 0.15, 100.0
    gamma = d ** 2 * m ** 3 / (4 * math.pi)          # eq. 2.19, Dirac N
    ell = D.decay_length(math.sqrt(E * E - m * m), m, D.ctau_from_width(gamma))
    assert ell == pytest.approx(490.0, rel=0.005)
    assert ell == pytest.approx(4 * math.pi * c.HBARC_GEV_M * E / (d ** 2 * m ** 4), rel=1e-5)


# ---------------------------------------------------------------------------------------
# brute-force Monte Carlo
# ---------------------------------------------------------------------------------------
def _inside(det, pts):
    """Point-in-volume test from the dimensions alone."""
    x, y, z = pts[..., 0], pts[..., 1], pts[..., 2]
    d = det.dimensions
    ok = (z >= d["z_min"]) & (z <= d["z_max"])
    if det.shape == "box":
        return ok & (d["x_min"] <= x) & (x <= d["x_max"]) & (d["y_min"] <= y) & (y <= d["y_max"])
    r = np.sqrt(x * x + y * y)
    return ok & (r <= d["r_max"]) & (r >= d.get("r_min", 0.0))


def _random_detector(i):
    shape = ("disc", "annulus", "box")[i % 3]
    z0 = 10 ** RNG.uniform(0.5, 2.7)
    dz = z0 * RNG.uniform(0.01, 0.5)
    dims = {"z_min": z0, "z_max": z0 + dz}
    if shape == "box":
        for a in "xy":
            lo = RNG.uniform(-0.2, 0.1) * z0
            dims[f"{a}_min"], dims[f"{a}_max"] = lo, lo + RNG.uniform(0.01, 0.2) * z0
    else:
        r1 = RNG.uniform(0.002, 0.05) * z0
        dims["r_max"] = r1
        if shape == "annulus":
            dims["r_min"] = RNG.uniform(0.1, 0.9) * r1
    return D.detector_from_dict({"name": f"R{i}", "shape": shape, "dimensions": dims,
                                 "luminosity_fb": 1.0, "p_min_GeV": 0.0,
                                 "references": [{"citation": "test"}]})


def _random_point_in(det):
    d = det.dimensions
    z = RNG.uniform(d["z_min"], d["z_max"])
    if det.shape == "box":
        return np.array([RNG.uniform(d["x_min"], d["x_max"]),
                         RNG.uniform(d["y_min"], d["y_max"]), z])
    r = math.sqrt(RNG.uniform(d.get("r_min", 0.0) ** 2, d["r_max"] ** 2))
    a = RNG.uniform(0, 2 * math.pi)
    return np.array([r * math.cos(a), r * math.sin(a), z])


def test_decay_probability_against_brute_force_mc():
    dets = [_random_detector(i) for i in range(9)] + [
        D.get_detector(n) for n in ("FASER", "FASER2", "FACET", "MAPP2")]
    n_samples = 200_000
    n_checked = n_hit = 0
    for det in dets:
        for k in range(6):
            target = _random_point_in(det)
            if k >= 4:   # near misses: push the aim point outward by up to 30%
                target = target * np.array([1 + RNG.uniform(0, .3), 1 + RNG.uniform(0, .3), 1])
            theta = math.acos(target[2] / np.linalg.norm(target))
            phi = math.atan2(target[1], target[0])
            n = np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi),
                          math.cos(theta)])
            # λ around the detector distance, from well before to far beyond it
            lam = np.linalg.norm(target) * 10 ** RNG.uniform(-1.2, 1.5)
            ell = RNG.exponential(lam, n_samples)
            frac = _inside(det, ell[:, None] * n[None, :]).mean()
            P = float(D.decay_probability_lambda(det, theta, phi, lam))
            sigma = math.sqrt(max(P * (1 - P), 1.0 / n_samples) / n_samples)
            assert abs(frac - P) < 5 * sigma + 1e-12, (det.name, det.shape, theta, phi, lam)
            n_checked += 1
            n_hit += P > 0
    assert n_checked == 78 and n_hit >= 52


def test_path_interval_matches_membership_along_ray():
    """ℓ_in, ℓ_out bracket exactly the points of the ray that are inside (dense scan)."""
    for i in range(12):
        det = _random_detector(i)
        target = _random_point_in(det)
        theta = math.acos(target[2] / np.linalg.norm(target))
        phi = math.atan2(target[1], target[0])
        n = np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi),
                      math.cos(theta)])
        l_in, l_out = D.path_interval(det, theta, phi)
        ell = np.linspace(0, 2 * det.dimensions["z_max"] / math.cos(theta), 200_001)
        inside = _inside(det, ell[:, None] * n[None, :])
        assert inside.any()
        step = ell[1] - ell[0]
        assert ell[inside].min() == pytest.approx(float(l_in), abs=1.01 * step)
        assert ell[inside].max() == pytest.approx(float(l_out), abs=1.01 * step)
        assert det.contains(*(ell[inside][len(ell[inside]) // 2] * n))
