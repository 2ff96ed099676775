"""Published d_gamma bounds from the HNLimits curve files: catalogue, units, edges, the rate
ratio and the opt-in likelihood terms."""
import math
from pathlib import Path

import numpy as np
import pytest

import hnlfit
from hnlfit import constants as c
from hnlfit.errors import DataError
from hnlfit.likelihoods.measurements import build_term, load_file
from hnlfit.physics.published import bounds as pb

FOLDER = pb.data_dir()
LIKE = FOLDER / "likelihood.yaml"


def raw(name):
    rows = [line.split() for line in (FOLDER / name).read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    return np.array([[float(a), float(b)] for a, b, *_ in rows])


def test_catalogue_files_and_licence():
    import yaml
    doc = yaml.safe_load((FOLDER / "catalogue.yaml").read_text())
    listed = set()
    for e in doc["curves"].values():
        listed.add(e["file"])
        listed.update([e["top_file"]] if "top_file" in e else [])
    on_disk = {p.name for p in FOLDER.glob("*.dat")}
    assert listed == on_disk                       # every shipped curve is catalogued
    assert "MIT License" in (FOLDER / "LICENSE-HNLimits.txt").read_text()
    assert doc["source"]["licence"] == "MIT"
    assert set(pb.catalogue()) == set(doc["curves"])


def test_units_are_converted_to_gev():
    # LEPgz_d.dat is in MeV: its plateau 2.1e-5 GeV^-1 sits at 1 MeV - 10 GeV
    lep = pb.get_curve("lep_magill")
    assert lep.m_range[0] == pytest.approx(1.002e-3, rel=1e-3)
    assert float(lep.d_low(1.0)) == pytest.approx(2.1e-5, rel=0.03)
    # SN 1987A is in Bohr magnetons: d = mu mu_B / 2, mu_B = e/(2 m_e) = 296.3 GeV^-1
    assert pb.MU_BOHR_TO_D == pytest.approx(0.5 * math.sqrt(4 * math.pi * c.ALPHA_EM)
                                            / (2 * c.M_E))
    bottom = raw("SN1987A_muB_bottom.dat")
    m, mu = bottom[10]
    assert float(pb.get_curve("sn1987a").d_low(m * 1e-3)) == pytest.approx(
        mu * pb.MU_BOHR_TO_D, rel=0.05)


def test_lower_edges_follow_the_digitised_points():
    for name, file in (("charm2", "CHARMII_dmu.dat"), ("xenon1t", "Xenon1T_d.dat"),
                       ("miniboone", "MiniBooNE_dmu.dat")):
        pts = raw(file)
        cv = pb.get_curve(name)
        lo = np.log10(pts[:, 0])
        sel = (lo > cv.log_m[0] + 0.05) & (lo < cv.log_m[-1] - 0.05)
        for m, d in pts[sel][:10]:
            assert float(cv.d_low(m)) <= d * 1.001          # the edge is the lowest crossing
        # and it touches the lower part of the outline
        m, d = pts[sel][np.argmin(pts[sel][:, 1])]
        assert float(cv.d_low(m)) == pytest.approx(d, rel=0.02)


def test_rate_ratio_is_one_on_the_curve_and_scales_as_d_squared():
    m = 0.05
    cv = pb.get_curve("charm2")                      # quoted for d_mu
    d0 = float(cv.d_low(m))
    p = hnlfit.make_point(m_N=m, d_gamma_mu=[d0, 2 * d0, 0.5 * d0])
    np.testing.assert_allclose(cv.rate_ratio(p), [1.0, 4.0, 0.25], rtol=1e-12)
    # other flavours do not enter a mu bound
    assert float(cv.rate_ratio(hnlfit.make_point(m_N=m, d_gamma_e=10 * d0))) == 0.0
    # a bound derived with flavour-universal couplings: one flavour needs sqrt(3) more
    bx = pb.get_curve("xenon1t")
    dx = float(bx.d_low(0.005))
    one = hnlfit.make_point(m_N=0.005, d_gamma_tau=math.sqrt(3) * dx)
    uni = hnlfit.make_point(m_N=0.005, d_gamma_e=dx, d_gamma_mu=dx, d_gamma_tau=dx)
    assert float(bx.rate_ratio(one)) == pytest.approx(1.0)
    assert float(bx.rate_ratio(uni)) == pytest.approx(1.0)


def test_regions_with_an_upper_edge_and_the_mass_range():
    nomad = pb.get_curve("nomad")
    top = float(nomad.d_top(1.0))
    assert top == pytest.approx(5.57e-5, rel=0.01)
    p = hnlfit.make_point(m_N=1.0, d_gamma_mu=[0.9 * top, 1.1 * top])
    r = nomad.rate_ratio(p)
    assert r[0] > 1 and r[1] == 0.0                  # above the top the N decays too early
    assert float(nomad.rate_ratio(hnlfit.make_point(m_N=20.0, d_gamma_mu=1e-3))) == 0.0


def test_union_and_observables_and_no_hnl():
    p = hnlfit.make_point(m_N=np.geomspace(1e-3, 10, 40)[:, None],
                          d_gamma_mu=np.geomspace(1e-9, 1e-2, 30)[None, :])
    union = hnlfit.predict("published_bounds_max", p)
    parts = [hnlfit.predict(f"published_bound_{n}", p) for n in pb.curve_names("overlay")]
    np.testing.assert_array_equal(union, np.max(parts, axis=0))
    assert union.shape == (40, 30) and np.all(np.isfinite(union))
    assert np.all(hnlfit.predict("published_bounds_max", p.no_hnl()) == 0.0)
    with pytest.raises(DataError, match="charm2"):
        pb.get_curve("charm")


def test_likelihood_entries_are_one_sided_at_the_published_cl():
    entries = {e["name"]: e for e in load_file(LIKE)}
    for name in pb.curve_names("likelihood"):
        e = entries[f"published_{name}"]
        cv = pb.get_curve(name)
        assert e["cl"] == cv.cl and e["limit"] == 1.0 and e.get("default", True)
        term = build_term(e)
        m = 10 ** (0.5 * (cv.log_m[0] + cv.log_m[-1]))
        # on the curve: every flavour the bound is quoted for at d_low (universal bounds:
        # d_e = d_mu = d_tau = d_low, so d_eff = d_low)
        kw = {f"d_gamma_{f}": float(cv.d_low(m)) for f in cv.weights}
        p = hnlfit.make_point(m_N=m, **kw)
        if cv.top == "edge" and float(cv.d_top(m)) < float(cv.d_low(m)) * 1.0001:
            continue
        z = {0.90: 1.2816, 0.95: 1.6449}[cv.cl]
        assert float(term.chi2(p)) == pytest.approx(z ** 2, rel=1e-3), name
        assert float(term.chi2(p.no_hnl())) == 0.0
    for name in ("published_bounds_union", "published_lep_magill", "published_bbn"):
        assert entries[name]["default"] is False


def test_opt_in_through_extra_files():
    like = hnlfit.build_likelihood("seed", include=["delta_a_mu"], extra_files=[LIKE])
    assert [t.name for t in like.terms] == ["delta_a_mu"]          # include= still selects
    like = hnlfit.build_likelihood("seed", extra_files=[LIKE])
    names = {t.name for t in like.terms}
    assert "published_charm2" in names and "published_bounds_union" not in names
    assert Path(str(LIKE)).exists()
