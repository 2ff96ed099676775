"""The shipped parton-luminosity tables (hnlfit/data/lhc): Drell-Yan against Pythia's own cross
section, internal consistency, the content hash, and bad input.

The Pythia numbers are recorded in hnlfit/data/lhc/drell_yan_pythia.json with the settings
that produced them (``hnlfit lhc generate --drell-yan``, 3M events per window); this test does
not need Pythia.
"""
import json
import math
import shutil

import numpy as np
import pytest

from hnlfit import constants as c
from hnlfit.errors import DataError, ObservableError
from hnlfit.physics.lhc import luminosity as lum

CHARGE = {"d": -1 / 3, "u": 2 / 3, "s": -1 / 3, "c": 2 / 3, "b": -1 / 3}


def drell_yan_from_tables(sqrt_s, m_lo, m_hi, alpha, n=200):
    """σ(pp → γ* → μμ) = Σ_q ∫ dm (2m/s) dL_qq̄/dτ 4πα²Q_q²/(9 m²), m̂ in [m_lo, m_hi]."""
    x, w = np.polynomial.legendre.leggauss(n)
    lm = math.log(m_lo) + 0.5 * (x + 1) * math.log(m_hi / m_lo)
    m = np.exp(lm)
    wm = 0.5 * w * math.log(m_hi / m_lo) * m          # dm = m d(ln m)
    total = 0.0
    for q, Q in CHARGE.items():
        L = lum.dL_dtau(f"{q}{q}bar", m, sqrt_s)
        total += np.sum(wm * 2 * m / sqrt_s ** 2 * L * 4 * math.pi * alpha ** 2 * Q * Q / (9 * m * m))
    return total * c.GEV2_TO_PB


def test_drell_yan_against_pythia():
    ref = json.loads((lum.data_dir() / "drell_yan_pythia.json").read_text())
    assert len(ref["windows"]) >= 4
    for row in ref["windows"]:
        mine = drell_yan_from_tables(row["sqrt_s_GeV"], row["mhat_min_GeV"], row["mhat_max_GeV"],
                                     row["alpha_em"])
        rel = mine / row["sigma_pb"] - 1
        # better than 1% required; the tables reproduce Pythia within its MC error (~3e-4)
        assert abs(rel) < 4 * row["sigma_err_pb"] / row["sigma_pb"] + 5e-4, (row, mine)


def test_rapidity_tables_integrate_to_the_luminosity():
    """∫ dy [F(τ, y) + F(τ, -y)] from the sampler's 2-d table = dL/dτ (1-d table)."""
    grid, u, F = lum.rapidity_table("uubar", 14000.0)
    for i in (20, 120, 220):
        ymax = -math.log(grid[i] ** 2 / 14000.0 ** 2) / 2
        G = F[i] + F[i][::-1]
        integral = np.trapezoid(G, u) * ymax if hasattr(np, "trapezoid") else np.trapz(G, u) * ymax
        np.testing.assert_allclose(integral, lum.dL_dtau("uubar", grid[i], 14000.0), rtol=0.02)


def test_scale_variations_and_energies_are_ordered():
    rs = np.array([100.0, 1000.0, 5000.0])
    nom = lum.dL_dtau("uubar", rs)
    up, down = lum.dL_dtau("uubar", rs, scale="up"), lum.dL_dtau("uubar", rs, scale="down")
    assert np.all(np.abs(up / nom - 1) < 0.3) and np.all(np.abs(down / nom - 1) < 0.3)
    assert np.all(up != nom) and np.all(down != nom)
    # fixed √ŝ: a larger √s means smaller τ and more luminosity per unit τ × s
    r14 = lum.dL_dtau("uubar", 1000.0, 14000.0) / 14000.0 ** 2
    r136 = lum.dL_dtau("uubar", 1000.0, 13600.0) / 13600.0 ** 2
    assert r14 > r136
    assert lum.dL_dtau("uubar", 20000.0) == 0.0 and lum.dL_dtau("uubar", 1.0) == 0.0
    # u ubar > d dbar > s sbar > b bbar at 1 TeV, and u dbar > d ubar (valence)
    L = {p: float(lum.dL_dtau(p, 1000.0)) for p in ("uubar", "ddbar", "ssbar", "bbbar",
                                                    "udbar", "dubar")}
    assert L["uubar"] > L["ddbar"] > L["ssbar"] > L["bbbar"] > 0
    assert L["udbar"] > L["dubar"] > 0


def test_combined_luminosity_is_the_weighted_sum():
    rs = np.geomspace(10, 8000, 7)
    comb = lum.combined_dL_dtau({"uubar": 2.0, "ddbar": 0.5}, rs)
    np.testing.assert_allclose(comb, 2 * lum.dL_dtau("uubar", rs) + 0.5 * lum.dL_dtau("ddbar", rs),
                               rtol=2e-3)


def test_hash_mismatch_and_bad_inputs(tmp_path, monkeypatch):
    src = lum.data_dir()
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    with open(tmp_path / "luminosity_14TeV.npz", "ab") as fh:
        fh.write(b"tampered")
    monkeypatch.setattr(lum, "data_dir", lambda: tmp_path)
    lum.table.cache_clear()
    lum.metadata.cache_clear()
    try:
        with pytest.raises(DataError, match="SHA-256"):
            lum.table(14000.0)
    finally:
        monkeypatch.undo()
        lum.table.cache_clear()
        lum.metadata.cache_clear()
    with pytest.raises(ObservableError, match="13600"):
        lum.dL_dtau("uubar", 100.0, 7000.0)
    with pytest.raises(ObservableError, match="scale"):
        lum.dL_dtau("uubar", 100.0, scale="double")
    with pytest.raises(ObservableError, match="parton pair"):
        lum.dL_dtau("ttbar", 100.0)


def test_charged_current_luminosities_against_pythia_w_production():
    """σ(pp → W±) from the u d̄-type tables (mixing cross section at m_N → 0 over BR(W → eν))
    against Pythia's LO σ_gen of the shipped W spectra run (hnlfit/data/spectra/14TeV,
    WeakSingleBoson:ffbar2W, same PDF and μ_F = m̂): total and W⁺ fraction."""
    from hnlfit.physics.lhc import partonic as pt, production as prod
    meta = json.loads((lum.data_dir().parent / "spectra" / "14TeV" / "metadata.json").read_text())
    w = meta["processes"]["wboson"]
    pythia_nb = w["sigma_gen_mb"] * 1e6
    plus, minus = (w["bosons"][k]["sigma_hemisphere_fb"] for k in ("Wplus", "Wminus"))
    g = pt.g_weak()
    br_enu = g * g * c.M_W / (48 * math.pi) / c.GAMMA_W
    mine_pb = prod.sigma_pp_to_l_N_mixing(1e-3, 1.0)
    assert mine_pb / br_enu / 1e3 == pytest.approx(pythia_nb, rel=0.015)
    wplus = prod._charged_integral(lambda sh: pt.sigma_hat_W_mixing(sh, 1e-3, 0.0, 1.0),
                                   np.float64(1e-6), 14000.0, "nominal", charges=(1,))
    assert wplus / mine_pb == pytest.approx(plus / (plus + minus), abs=0.003)


def test_cli_lhc_info(capsys):
    from hnlfit.cli import main
    assert main(["lhc", "info"]) == 0
    out = capsys.readouterr().out
    assert "NNPDF2.3" in out and "14000" in out
