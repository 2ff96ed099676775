"""The shipped forward meson spectra (Pythia 8, hnlfit/data/spectra/14TeV) against their
metadata: file hashes, event numbers, cross sections, totals, statistical errors, the ratios
to seed 003 Table 1, the normalisation option, and the size budget."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from hnlfit.errors import DataError
from hnlfit.physics.forward import meson_decays as md
from hnlfit.spectra import (SEED003_TABLE1_FB, comparison_table, load_spectrum, metadata,
                            spectra_dir)
from hnlfit.spectra.generate import LOG10_P_EDGES, LOG10_THETA_EDGES, histogram


# ---------------------------------------------------------------------------------------
def test_shipped_spectra_match_metadata():
    meta = metadata()
    folder = spectra_dir()
    assert set(meta["mesons"]) == set(SEED003_TABLE1_FB)
    size = 0
    for m, proc in meta["mesons"].items():
        block = meta["processes"][proc]
        b = block["mesons"][m]
        path = folder / b["file"]
        size += path.stat().st_size
        assert hashlib.sha256(path.read_bytes()).hexdigest() == b["sha256"]
        with np.load(path) as f:
            counts = f["counts"]
            assert int(f["n_events"]) == block["n_events"]
            assert float(f["sigma_per_count_fb"]) == pytest.approx(
                block["sigma_gen_mb"] * 1e12 / (2 * block["n_events"]), rel=1e-12)
            assert counts.shape == (len(f["log10_theta_edges"]) - 1,
                                    len(f["log10_p_edges"]) - 1)
        assert int(counts.sum()) == b["entries"]
        s = load_spectrum(m)
        assert s.total_fb == pytest.approx(b["sigma_hemisphere_fb"], rel=1e-10)
        assert b["ratio_to_seed003"] == pytest.approx(
            s.total_fb / (SEED003_TABLE1_FB[m] * (2 if m in md.CHARGED_PSEUDOSCALAR else 1)))
        assert np.sqrt((s.sigma_err_fb ** 2).sum()) == pytest.approx(
            b["sigma_hemisphere_stat_err_fb"], rel=1e-8)
        assert load_spectrum(m, "seed003").total_fb == pytest.approx(
            SEED003_TABLE1_FB[m] * (2 if m in md.CHARGED_PSEUDOSCALAR else 1), rel=1e-10)
        assert block["pythia_version"].startswith("8.3") and block["settings"]
        assert any("Beams:eCM = 14000" in x for x in block["settings"])
        assert any(x.startswith("Random:seed") for x in block["settings"])
    assert size < 5e6
    # light mesons from sigma_inel agree with the seed's FORESEE (EPOS-LHC) totals within 40%
    for m in ("pi0", "eta", "rho0", "omega", "pi", "K"):
        assert 0.7 < meta["processes"]["softqcd"]["mesons"][m]["ratio_to_seed003"] < 1.4


def test_comparison_table_and_errors(capsys):
    rows = {r["meson"]: r for r in comparison_table()}
    assert set(rows) == set(SEED003_TABLE1_FB)
    assert rows["pi0"]["ratio"] == pytest.approx(rows["pi0"]["sigma_fb"] / 1.54e15)
    with pytest.raises(DataError, match="no spectrum for meson"):
        load_spectrum("kaon")
    with pytest.raises(ValueError, match="normalise"):
        load_spectrum("pi0", normalise="table1")
    from hnlfit import cli
    assert cli.main(["spectra", "info"]) == 0
    assert "upsilon1s" in capsys.readouterr().out


def test_histogram_binning_and_folding():
    """Edge bins collect the under/overflow; the table covers a whole hemisphere."""
    theta = np.array([1e-9, 1e-3, 1.0, 1.5])
    p = np.array([1e-3, 100.0, 5e4, 1.0])
    h = histogram(theta, p)
    assert h.sum() == 4
    assert h[0, 0] == 1 and h[-1, 0] == 0
    it = int((np.log10(1e-3) - LOG10_THETA_EDGES[0]) / 0.05 + 1e-9)
    ip = int((2.0 - LOG10_P_EDGES[0]) / 0.05 + 1e-9)
    assert h[it, ip] == 1
    assert h[:, -1].sum() == 1                                   # 50 TeV -> overflow bin
    assert 10 ** LOG10_THETA_EDGES[-1] > np.pi / 2               # folded θ ≤ π/2 fits
