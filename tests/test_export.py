"""Limits as data (contour points, per-mass limits, HEPData), smooth refined contours, the
house style's colour table and TeX-safe titles, one progress bar over a whole card run."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from hnlfit.cards import run_card
from hnlfit.cards.load import load_card
from hnlfit.cards.regions import first_interval, refine_field, region_geometry
from hnlfit.likelihoods.measurements import build_term, load_entries
from hnlfit.params import make_point

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def g2_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("g2")
    res = run_card(ROOT / "runs" / "g2_muon.yaml", outdir=out, quick=True, progress=False)
    return out / "g2_muon", res


def _cms_pull_over_z(m, lam, u_mu=0.01):
    """|pull|/z of the CMS term at (m_N, Lambda) with [C]_4mu = -1/Lambda^2 (the card)."""
    entry = {e["name"]: e for e in load_entries("seed")}["lhc_hnl_mu"]
    term = build_term(entry)
    p = make_point(m_N=np.asarray(m, float), Lambda=np.asarray(lam, float), U_mu=u_mu,
                   C_Hnue_mu=-1.0 / np.asarray(lam, float) ** 2)
    return np.abs(term.pull_at(p)) / term.exclusion_z(0.95)


def test_plane_card_writes_contours_limits_and_a_valid_hepdata_submission(g2_run):
    folder, res = g2_run
    for f in ("g2_muon_contours.json", "g2_muon_contours.csv", "g2_muon_limits.csv",
              "g2_muon_hepdata.tar.gz", "g2_muon_hepdata/submission.yaml"):
        assert (folder / f).stat().st_size > 0, f
    from hepdata_validator.full_submission_validator import FullSubmissionValidator

    v = FullSubmissionValidator()
    assert v.validate(directory=str(folder / "g2_muon_hepdata")), v.get_messages()
    sub = (folder / "g2_muon_hepdata" / "submission.yaml").read_text()
    assert "arxiv.org/abs/2105.11462" in sub and "CL" in sub
    # a limit table names its variables with units and qualifiers
    table = next((folder / "g2_muon_hepdata").glob("p1_l1_level_1_limit.yaml")).read_text()
    assert "units: GeV" in table and "95%" in table and "lhc_hnl_mu" in table


def test_limits_sit_where_the_measurement_crosses_its_threshold(g2_run):
    """The JSON's per-mass limit of the CMS layer is where |pull|/z = 1, evaluated
    independently from the term (the refined grid puts it within 1% in Lambda)."""
    folder, _ = g2_run
    meta = json.loads((folder / "g2_muon.json").read_text())
    lim = next(x for x in meta["limits"] if x["panel"] == 0 and x["layer"] == 0)
    r = lim["regions"][0]
    x = np.array(r["x"])
    high = np.array([np.nan if h is None else h for h in r["high"]])
    ok = np.isfinite(high) & ~np.array(r["high_is_edge"])
    assert ok.sum() >= 10
    f = _cms_pull_over_z(x[ok], high[ok])
    np.testing.assert_allclose(f, 1.0, atol=0.03)
    # and just below / above the limit the point is excluded / allowed
    assert np.all(_cms_pull_over_z(x[ok], high[ok] * 0.99) > 1.0)
    assert np.all(_cms_pull_over_z(x[ok], high[ok] * 1.01) < 1.0)
    rows = list(csv.DictReader((folder / "g2_muon_limits.csv").open()))
    first = [row for row in rows if row["panel"] == "0" and row["layer"] == "0"]
    assert len(first) == int(np.isfinite(np.array(r["low"], dtype=float)).sum())


def test_contour_points_lie_on_the_threshold_and_arrays_are_nx_ny(g2_run):
    folder, _ = g2_run
    doc = json.loads((folder / "g2_muon_contours.json").read_text())
    c = next(c for c in doc["contours"] if c["panel"] == 0 and c["layer"] == 0)
    pts = np.concatenate([np.array(ln) for ln in c["lines"]])
    inside = (pts[:, 0] > 96.0) & (pts[:, 1] > 301.0)       # not on the grid's edge
    f = _cms_pull_over_z(pts[inside, 0], pts[inside, 1])
    assert np.median(np.abs(f - 1.0)) < 0.01 and np.max(np.abs(f - 1.0)) < 0.05
    card = load_card(ROOT / "runs" / "g2_muon.yaml", quick=True)
    data = np.load(folder / "g2_muon.npz")
    assert data["panel0_layer0_field"].shape == (card["x"]["n"], card["y"]["n"])
    assert "(nx, ny)" in json.loads((folder / "g2_muon.json").read_text())["axes_order"]


def test_refinement_removes_the_staircase_of_a_jump():
    """A region bounded by a circle below and a jump (field -> 0 above a line): on a 12x12
    grid the plain contour of the jump is a grid line away; refined, within a fine cell."""
    def field(x, y):
        r = np.hypot(x - 0.5, y - 0.3)
        return np.where(y < 0.42 + 0.1 * x, 0.25 / np.maximum(r, 1e-9), 0.0)

    x = y = np.linspace(0.0, 1.0, 12)
    X, Y = np.meshgrid(x, y, indexing="ij")
    coarse = field(X, Y)
    ref = refine_field(field, x, y, coarse, [1.0], log_x=False, log_y=False, factor=12)
    geo = region_geometry(ref, 1.0, above=True)
    pts = np.concatenate(geo.lines)
    top = pts[np.abs(np.hypot(pts[:, 0] - 0.5, pts[:, 1] - 0.3) - 0.25) > 0.02]
    err_top = np.abs(top[:, 1] - (0.42 + 0.1 * top[:, 0]))
    circle = pts[np.abs(pts[:, 1] - (0.42 + 0.1 * pts[:, 0])) > 0.02]
    err_circle = np.abs(np.hypot(circle[:, 0] - 0.5, circle[:, 1] - 0.3) - 0.25)
    fine = 1.0 / 11 / 12
    assert err_top.max() < 1.01 * fine and err_circle.max() < 0.2 * fine
    plain = refine_field(field, x, y, coarse, [1.0], log_x=False, log_y=False, factor=1)
    p = np.concatenate(region_geometry(plain, 1.0, above=True).lines)
    ptop = p[np.abs(np.hypot(p[:, 0] - 0.5, p[:, 1] - 0.3) - 0.25) > 0.05]
    assert np.abs(ptop[:, 1] - (0.42 + 0.1 * ptop[:, 0])).max() > 2.5 * fine
    # per-x first interval: the circle's chord, from the refined columns
    iv = first_interval(ref, 1.0, above=True)
    i = np.argmin(np.abs(iv["x"] - 0.5))
    assert iv["low"][i] == pytest.approx(0.05, abs=fine) and iv["n_intervals"][i] == 1
    assert ref.n_exact < 0.5 * ref.field.size       # only near the boundary


def test_a_copied_card_runs_and_finds_its_own_files(tmp_path):
    """Shipped data by 'hnlfit:data/...' (works from anywhere); a user's own files relative
    to the card (the example's plugin and measurement file copied along)."""
    here = tmp_path / "elsewhere"
    here.mkdir()
    shutil.copy(ROOT / "runs" / "lep_vs_magill.yaml", here / "mine.yaml")
    res = run_card(here / "mine.yaml", outdir=tmp_path / "out", quick=True, progress=False)
    assert res["paths"]["png"].exists()
    ex = tmp_path / "my_tau"
    shutil.copytree(ROOT / "examples" / "tau_g2", ex)
    res = run_card(ex / "card.yaml", outdir=tmp_path / "out", quick=True, progress=False)
    assert res["summary"]["layers"][1]["measurement"] == "delta_a_tau_delphi"


def test_curves_card_writes_its_curves_as_a_table(tmp_path):
    run_card(ROOT / "runs" / "meson_brs.yaml", outdir=tmp_path, quick=True, progress=False)
    folder = tmp_path / "meson_brs"
    rows = list(csv.reader((folder / "meson_brs_curves.csv").open()))
    data = np.load(folder / "meson_brs.npz")
    table = np.array(rows[1:], dtype=float)
    np.testing.assert_allclose(table[:, 0], data["x"], rtol=1e-5)
    np.testing.assert_allclose(table[:, 1], data["panel0_curve0"], rtol=1e-5)
    assert rows[0][0] == "m_N [GeV]" and "rho" in rows[0][1]


def test_one_progress_bar_covers_scan_refinement_figure_and_writing(tmp_path, monkeypatch):
    import hnlfit.cards.plane as plane

    class Bar:
        def __init__(self, total):
            self.total, self.n, self.stages, self.n_at = total, 0, [], {}

        def update(self, k=1):
            self.n += k

        def set_postfix_str(self, s):
            self.stages.append(s)
            self.n_at[s.split(" panel")[0]] = self.n

        def refresh(self):
            pass

        def close(self):
            pass

    bars = []
    monkeypatch.setattr(plane, "card_progress",
                        lambda card, total, progress: bars.append(Bar(total)) or bars[-1])
    run_card(ROOT / "runs" / "lep_dipole_e.yaml", outdir=tmp_path, quick=True, progress=True)
    (bar,) = bars
    assert bar.n == bar.total                      # the planned steps are the steps taken
    kinds = {s.split(" ")[0] for s in bar.stages}
    assert {"scan", "refine", "figure", "writing", "done"} <= kinds
    assert bar.n_at["writing HEPData"] < bar.total and bar.n_at["writing png"] > bar.total / 2


def test_house_style_colours_and_tex_safe_titles():
    from hnlfit.plotting.style import style_for, wrap_text

    assert style_for("l3_z_gamma_invisible") == style_for("l3_z_gamma_invisible")
    assert style_for("l3_z_gamma_invisible")[0] != style_for("opal_monophoton_lep1")[0]
    new = style_for("some_future_measurement")          # not in the table: stable colour
    assert new == style_for("some_future_measurement") and new[0].startswith("#")
    assert style_for("faser2_hllhc", color="k", style="dotted") == ("k", ":")
    title = (r"$\Delta a_\mu$ from $\mathcal{O}_{H\nu e}$: $[\bar C_{H\nu e}]_{4\mu} = "
             r"-1/\Lambda^2$ with a long tail of words to wrap")
    for width in (10, 20, 30):
        for line in wrap_text(title, width).split("\n"):
            assert line.count("$") % 2 == 0, line      # never a line break inside TeX
