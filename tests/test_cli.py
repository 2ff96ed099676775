"""The command line as a user types it (issue 9 items 2, issue 10 item 5).

Through ``hnlfit.cli.main([...])`` (fast) and, for the no-traceback promise, a subprocess.
An expected error is one line on stderr and exit code 2.
"""
import json
import subprocess
import sys

import numpy as np
import pytest

import hnlfit
from hnlfit.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def expect_error(capsys, *argv, words=()):
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    lines = [ln for ln in err.splitlines() if ln.startswith("hnlfit: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def value_of(out: str) -> float:
    return float(out.split("=")[1].split()[0])


def test_version(capsys):
    with pytest.raises(SystemExit) as ex:
        main(["--version"])
    assert ex.value.code == 0 and hnlfit.__version__ in capsys.readouterr().out


@pytest.mark.parametrize("text, majorana", [("False", False), ("false", False), ("no", False),
                                            ("0", False), ("True", True), ("yes", True),
                                            ("1", True)])
def test_booleans(capsys, text, majorana):
    code, out, _ = run(capsys, "predict", "gamma_N", "m_N=1", "d_gamma_e=1e-6",
                       f"majorana={text}")
    want = hnlfit.predict("gamma_N", m_N=1.0, d_gamma_e=1e-6, majorana=majorana)
    assert code == 0 and value_of(out) == pytest.approx(float(want), rel=1e-5)


def test_majorana_false_is_the_dirac_width(capsys):
    _, dirac, _ = run(capsys, "predict", "gamma_N", "m_N=1", "d_gamma_e=1e-6", "majorana=False")
    _, major, _ = run(capsys, "predict", "gamma_N", "m_N=1", "d_gamma_e=1e-6", "majorana=true")
    assert value_of(major) == pytest.approx(2 * value_of(dirac), rel=1e-5)


def test_expressions_as_in_cards(capsys):
    _, a, _ = run(capsys, "predict", "delta_a_mu", "m_N=300", "U_mu=0.01",
                  "C_Hnue_mu=-1/1200**2")
    _, b, _ = run(capsys, "predict", "delta_a_mu", "m_N=300", "U_mu=0.01",
                  f"C_Hnue_mu={-1 / 1200 ** 2!r}")
    _, c, _ = run(capsys, "predict", "delta_a_mu", "m_N=300", "U_mu=0.01", "Lambda=1200",
                  "C_Hnue_mu=-1/Lambda**2")
    assert value_of(a) == value_of(b) == value_of(c) == pytest.approx(2.35e-9, rel=0.01)


def test_lists(capsys):
    code, out, _ = run(capsys, "predict", "delta_a_mu", "m_N=100,300", "U_mu=0.01",
                       "C_Hnue_mu=-1e-6", "--json")
    assert code == 0 and len(json.loads(out)["value"]) == 2


@pytest.mark.parametrize("argv, words", [
    (["predict", "gamma_N", "m_N=1", "d_gamma_e=1e-6", "majorana=maybe"], ["majorana", "maybe"]),
    (["predict", "delta_a_mu", "m_N=300", "m_N=400"], ["'m_N'", "twice"]),
    (["predict", "delta_a_mu", "m_N"], ["key=value", "m_N"]),
    (["predict", "delta_a_mu", "m_N=__import__('os')"], ["m_N", "__import__"]),
    (["predict", "delta_a_mu", "m_n=300"], ["'m_n'", "Did you mean 'm_N'"]),
    (["predict", "delta_a_mu", "m_N=300", "U_e=0.1"], ["'U_e'", "reads"]),
    (["predict", "delta_a_mu", "m_N=heavy"], ["m_N", "heavy"]),
    (["predict", "delta_a_muu", "m_N=300"], ["delta_a_mu"]),
    (["predict", "sigma_ee_to_N_nu", "m_N=1", "d_gamma_e=1e-5", "sqrt_s=-91"], ["sqrt_s"]),
    (["predict", "decay_length_N", "m_N=1", "d_gamma_e=1e-5", "E_N=0.5"], ["E_N"]),
    (["predict", "delta_a_mu", "m_N=1e30", "U_mu=0.01", "C_Hnue_mu=-1e-6"], ["m_N", "4 pi"]),
    (["breakdown", "m_N=300", "--dataset", "nope"], ["nope"]),
    (["limit", "m_N", "--at", "U_mu=0.1"], ["'m_N'", "not a coupling"]),
    (["limit", "U_mu", "--at", "m_N=300", "U_mu=0.1"], ["U_mu", "scanned"]),
    (["data", "--dataset", "seeed"], ["seeed", "Did you mean 'seed'"]),
    (["breakdown", "m_N=1", "d_gamma_e=1e-6"], ["'d_gamma_e'", "reads"]),
    (["limit", "d_gamma_e", "--at", "m_N=1"], ["'d_gamma_e'", "reads"]),
    (["limit", "U_mu", "--at", "m_N=300", "--include", "ckm_first_row", "--cl", "1.5"], ["cl"]),
])
def test_expected_errors_are_one_line(capsys, argv, words):
    expect_error(capsys, *argv, words=words)


def test_debug_shows_the_traceback(capsys):
    with pytest.raises(hnlfit.ParameterError):
        main(["predict", "delta_a_mu", "m_n=300", "--debug"])


def test_no_traceback_in_a_real_process():
    r = subprocess.run([sys.executable, "-m", "hnlfit.cli", "predict", "delta_a_mu", "m_n=1"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().startswith("hnlfit: error:") and len(r.stderr.splitlines()) == 1


def test_json_is_strict_with_nan_and_inf_as_null(capsys):
    # no coupling: the decay length is infinite
    code, out, _ = run(capsys, "predict", "decay_length_N", "m_N=0.15", "d_gamma_e=0",
                       "E_N=100", "--json")
    d = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert code == 0 and d["value"] is None and d["non_finite_as_null"] == ["value"]


@pytest.mark.parametrize("argv", [["observables"], ["parameters"], ["data"], ["spectra", "info"],
                                  ["data", "--dataset", "published_bounds"], ["cache", "info"],
                                  ["breakdown", "m_N=300", "U_mu=0.01", "C_Hnue_mu=-1e-6",
                                   "Lambda=1200"]])
def test_every_listing_has_json(capsys, argv, tmp_path, monkeypatch):
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0
    json.loads(out, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


def test_validity_warning_on_the_command_line(capsys):
    code, out, err = run(capsys, "predict", "mu_h_mumu", "m_N=2000", "U_mu=0.01",
                         "C_Hnue_mu=-1e-6", "Lambda=1000")
    assert code == 0 and "hnlfit: warning:" in err and "m_N < Lambda" in err


def test_data_shows_values_limits_cl_year_and_references(capsys):
    code, out, _ = run(capsys, "data", "--dataset", "seed")
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("delta_a_mu "))
    assert "2.51e-09 +- 5.9e-10" in line and "2021" in line and "arXiv:2105.11462" in line
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("mu_to_e_gamma "))
    assert "< 4.2e-13" in line and "90% CL" in line
    _, out, _ = run(capsys, "data")
    assert "== published_bounds" in out and "published_xenon1t" in out
    _, out, _ = run(capsys, "data", "--dataset", "seed", "--json")
    entry = next(e for e in json.loads(out)[0]["entries"] if e["name"] == "delta_a_mu")
    assert entry["value"] == 2.51e-9 and entry["sigma"] == 5.9e-10 and entry["year"] == 2021


def test_limit_one_sided(capsys):
    code, out, _ = run(capsys, "limit", "U_mu", "--at", "m_N=300", "--include",
                       "ckm_first_row", "--json")
    d = json.loads(out)
    assert code == 0 and d["one_sided"] and d["threshold"] == pytest.approx(2.706, abs=1e-3)
    assert d["sides"]["+"]["upper"] == pytest.approx(0.0094, abs=2e-4)   # README, eq. 4.22
    assert "no-HNL" in d["reference_point"]
    _, text, _ = run(capsys, "limit", "U_mu", "--at", "m_N=300", "--include", "ckm_first_row")
    assert "|U_mu| < 0.0094" in text and "2.706" in text


def test_limit_two_sided_when_the_data_prefer_a_coupling(capsys):
    code, out, _ = run(capsys, "limit", "C_Hnue_mu", "--at", "m_N=300", "U_mu=0.01",
                       "--include", "delta_a_mu", "--json")
    d = json.loads(out)
    assert code == 0 and not d["one_sided"] and d["threshold"] == pytest.approx(3.841, abs=1e-3)
    (lo, hi), = d["sides"]["-"]["allowed"]
    # Delta a_mu = 2.51e-9 +- 5.9e-10 is linear in C: the 2-sigma interval of |C|
    a1 = float(hnlfit.predict("delta_a_mu", m_N=300.0, U_mu=0.01, C_Hnue_mu=-1e-7)) / 1e-7
    z = np.sqrt(3.841)
    assert lo == pytest.approx((2.51e-9 - z * 5.9e-10) / a1, rel=2e-3)
    assert hi == pytest.approx((2.51e-9 + z * 5.9e-10) / a1, rel=2e-3)
    assert d["sides"]["+"]["allowed"] == []


def test_breakdown_explains_an_empty_likelihood(capsys):
    expect_error(capsys, "breakdown", "m_N=300", "--dataset", "lhc_projections",
                 words=["--projections", "--include"])


def test_breakdown_prints_clean_numbers(capsys):
    code, out, _ = run(capsys, "breakdown", "m_N=300", "U_mu=0.01", "C_Hnue_mu=-6.9e-7",
                       "Lambda=1200", "--dataset", "current")
    assert code == 0 and "total Delta chi2" in out
    assert not any(tok == "-0" for ln in out.splitlines() for tok in ln.split())


def test_breakdown_flags_the_eft_validity(capsys):
    _, out, _ = run(capsys, "breakdown", "m_N=3000", "U_mu=0.01", "C_Hnue_mu=-1e-7",
                    "Lambda=1200", "--include", "delta_a_mu")
    assert "outside validity" in out and "m_N < Lambda" in out


def test_run_errors_before_computing(capsys, tmp_path):
    card = tmp_path / "c.yaml"
    card.write_text("kind: curves\nname: ../../escape\nx: {name: m_N, min: 0.01, max: 1, n: 3}\n"
                    "curves: [{observable: br_jpsi_to_N}]\n")
    expect_error(capsys, "run", str(card), "--out", str(tmp_path / "out"), "--no-progress",
                 words=["escape", "file stem"])
    blocker = tmp_path / "f"
    blocker.write_text("")
    card.write_text(card.read_text().replace("../../escape", "ok"))
    expect_error(capsys, "run", str(card), "--out", str(blocker / "out"), "--no-progress",
                 words=["not a folder"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "f"]


def test_cache_info_and_clear(capsys, tmp_path, monkeypatch):
    from hnlfit.cache import cached_table

    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    cached_table("t_cli", {"v": 1}, lambda: {"x": np.arange(3.0)})
    code, out, _ = run(capsys, "cache", "info")
    assert code == 0 and str(tmp_path) in out and "1 files" in out
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0 and "removed 1 files" in out and not list(tmp_path.iterdir())
