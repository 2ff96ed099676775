"""Every run card in quick mode, the plugin example, atomic outputs, CLI behaviour."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import hnlfit
from hnlfit import cli
from hnlfit.errors import DataError
from hnlfit.cards import run_card

ROOT = Path(__file__).resolve().parents[1]
CARDS = sorted((ROOT / "runs").glob("*.yaml"))


@pytest.mark.parametrize("card", CARDS, ids=[c.stem for c in CARDS])
def test_every_run_card_in_quick_mode(card, tmp_path):
    res = run_card(card, outdir=tmp_path, quick=True, progress=False)
    folder = tmp_path / card.stem
    for ext in ("png", "pdf", "npz", "json"):
        f = folder / f"{card.stem}.{ext}"
        assert f.exists() and f.stat().st_size > 0, f
    meta = json.loads((folder / f"{card.stem}.json").read_text())
    assert meta["card"]["name"] == card.stem
    tables = {"plane": ("_contours.json", "_contours.csv", "_limits.csv", "_hepdata.tar.gz"),
              "curves": ("_curves.csv",)}.get(meta["card"]["kind"], ())
    for suffix in tables:                            # limits as data beside the figure
        assert (folder / f"{card.stem}{suffix}").stat().st_size > 0, suffix
    if meta["card"]["kind"] == "plane":
        assert meta["limits"] and all("regions" in lim for lim in meta["limits"])
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp files left
    assert res["summary"]["outputs"]


def test_g2_muon_plane_has_the_seed_features(tmp_path):
    """Fig. 5: the band exists; CMS excludes small m_N at low Lambda; m_N > Lambda is flagged."""
    run_card(ROOT / "runs" / "g2_muon.yaml", outdir=tmp_path, quick=True, progress=False)
    meta = json.loads((tmp_path / "g2_muon" / "g2_muon.json").read_text())
    rules = {layer["label"]: layer["rule"] for layer in meta["layers"]}
    assert any(r.startswith("|pull| < [2, 1]") for r in rules.values())
    data = np.load(tmp_path / "g2_muon" / "g2_muon.npz")
    band = data["panel0_layer2_mask1"]            # delta_a_mu, 1 sigma
    cms = data["panel0_layer0_mask"]
    assert band.any() and cms.any()
    assert not (band & cms).any()                   # CMS does not reach the 1 sigma band yet


def test_plugin_example_adds_an_experiment(tmp_path):
    card = ROOT / "examples" / "tau_g2" / "card.yaml"
    res = run_card(card, outdir=tmp_path, quick=True, progress=False)
    assert (tmp_path / "tau_g2_example" / "tau_g2_example.png").exists()
    # the plugin's observable is now registered and predicts eq. 3.11 with l = tau
    v = hnlfit.predict("delta_a_tau", m_N=500.0, U_tau=0.05, C_Hnue_tau=-1e-6)
    mu = hnlfit.predict("delta_a_mu", m_N=500.0, U_mu=0.05, C_Hnue_mu=-1e-6)
    assert np.isclose(v / mu, hnlfit.constants.M_TAU / hnlfit.constants.M_MU)
    assert res["summary"]["layers"][1]["measurement"] == "delta_a_tau_delphi"


def test_interrupted_run_leaves_no_result(tmp_path, monkeypatch):
    import hnlfit.plotting

    def boom(*a, **k):
        raise RuntimeError("interrupted while drawing")

    monkeypatch.setattr(hnlfit.plotting, "plane_figure", boom)
    with pytest.raises(RuntimeError):
        run_card(ROOT / "runs" / "g2_muon.yaml", outdir=tmp_path, quick=True, progress=False)
    assert not list(tmp_path.rglob("*.*"))


def test_failed_save_keeps_no_partial_file(tmp_path):
    from hnlfit.io import atomic_path

    target = tmp_path / "result.json"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text('{"half": ')
            raise RuntimeError("disk full")
    assert not target.exists() and not list(tmp_path.iterdir())


def test_bad_run_cards_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: plane\nname: x\ndataset: seed\nx: {name: m_N, min: 1, max: 2}\n"
                   "y: {name: Lambda, min: 1, max: 2, n: 3}\nlayers: [{kind: band}]\n")
    with pytest.raises(DataError, match="x"):
        run_card(bad, outdir=tmp_path, progress=False)
    bad.write_text("kind: scan\n")
    with pytest.raises(DataError, match="kind"):
        run_card(bad, outdir=tmp_path, progress=False)
    card = (ROOT / "runs" / "g2_muon.yaml").read_text().replace("lhc_hnl_mu,", "lhc_hnl_mux,")
    bad.write_text(card)
    with pytest.raises(DataError, match="lhc_hnl_mu"):
        run_card(bad, outdir=tmp_path, progress=False, quick=True)


def test_cli_predict_json_and_errors(capsys):
    assert cli.main(["predict", "delta_a_mu", "m_N=300", "U_mu=0.01", "C_Hnue_mu=-6.9e-7",
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["observable"] == "delta_a_mu" and out["value"] > 0
    assert cli.main(["predict", "delta_a_mu", "m_N=-3"]) == 2
    assert "m_N" in capsys.readouterr().err
    assert cli.main(["predict", "delta_a_muu", "m_N=3"]) == 2
    assert "delta_a_mu" in capsys.readouterr().err


def test_cli_lists_and_breakdown(capsys):
    assert cli.main(["observables"]) == 0
    out = capsys.readouterr().out
    for name in ("delta_a_mu", "delta_a_e", "br_mu_to_e_gamma", "inv_half_life_xe136",
                 "mu_h_mumu", "br_h_to_ee", "d_e"):
        assert name in out
    assert cli.main(["parameters"]) == 0 and "Lambda" in capsys.readouterr().out
    assert cli.main(["data"]) == 0 and "delta_a_mu" in capsys.readouterr().out
    assert cli.main(["breakdown", "m_N=300", "U_mu=0.01", "C_Hnue_mu=-6.9e-7",
                     "Lambda=1200"]) == 0
    assert "delta_a_mu" in capsys.readouterr().out


def test_curves_card_draws_the_registered_observables(tmp_path):
    """kind: curves: each stored curve is the observable at the panel's parameters."""
    run_card(ROOT / "runs" / "meson_brs.yaml", outdir=tmp_path, quick=True, progress=False)
    data = np.load(tmp_path / "meson_brs" / "meson_brs.npz")
    x = data["x"]
    np.testing.assert_allclose(data["panel0_curve9"],
                               hnlfit.predict("br_K_to_N", m_N=x, d_gamma_e=1e-4))
    np.testing.assert_allclose(data["panel1_curve0"],
                               hnlfit.predict("br_rho0_to_N", m_N=x, d_gamma_tau=1e-4))
    assert np.all(data["panel1_curve9"] == 0.0)        # K -> gamma tau N is closed
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: curves\nname: b\nx: {name: m_N, min: 0.1, max: 1, n: 5}\n"
                   "curves: [{observable: br_rho_to_N}]\n")
    with pytest.raises(Exception, match="br_rho0_to_N"):
        run_card(bad, outdir=tmp_path, progress=False)
