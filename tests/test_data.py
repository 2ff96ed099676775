"""The shipped measurement data sets (`seed`, `current`) and the loader's error reporting.

The seed numbers are checked against 2105.11462 digit for digit; the `current` numbers that
are derived (Delta a_mu, Delta a_e) are recomputed here from the primary values quoted in
their `note`.  Likelihood terms are built only for entries whose kind is pure data (tables,
limits): building them does not evaluate an observable.
"""
import datetime
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from hnlfit.errors import DataError
from hnlfit.likelihoods import measurements
from hnlfit.likelihoods.measurements import build_term, load_entries, load_file, select

DATASETS = ("seed", "current")

# Observable names agreed for the nuSMEFT observables (2105.11462); ckm_first_row entries
# carry no observable.
KNOWN_OBSERVABLES = {
    "delta_a_mu", "delta_a_e", "br_mu_to_e_gamma", "br_tau_to_mu_gamma",
    "br_tau_to_e_gamma", "inv_half_life_xe136", "mu_h_mumu", "br_h_to_ee", "y_ratio_e",
    "d_e", "x_lhc_e", "x_lhc_mu",
}
ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
LIMIT_KINDS = {"upper_limit", "inverse_lower_limit", "upper_limit_table"}

# 2105.11462 tables 3 and 4: 95% CL limits on X = |U_l4|^2 + |C_Hnue|^2/4 vs. m_4 [GeV]
TABLE3_MU = ([95, 100, 130, 150, 200, 400, 600, 800, 1000, 1200],
             [3.46e-3, 4.32e-3, 7.17e-3, 7.97e-3, 8.88e-3,
              3.01e-2, 8.35e-2, 2.06e-1, 4.41e-1, 8.48e-1])
TABLE4_E = ([90, 100, 130, 150, 200, 400, 600, 800, 1000, 1200],
            [6.22e-3, 6.52e-3, 1.10e-2, 1.43e-2, 1.36e-2,
             5.24e-2, 1.67e-1, 4.28e-1, 9.49e-1, 1.84])


def by_name(dataset):
    return {e["name"]: e for e in load_entries(dataset)}


def own_entries(dataset):
    """Entries of this task's files (ckm.yaml is maintained separately)."""
    return [e for e in load_entries(dataset) if e["kind"] != "ckm_first_row"]


# ---------------------------------------------------------------- both data sets


@pytest.mark.parametrize("dataset", DATASETS)
def test_data_set_loads_and_is_listed(dataset):
    assert dataset in measurements.datasets()
    entries = load_entries(dataset)
    assert len(own_entries(dataset)) >= 10
    assert all(isinstance(e, dict) for e in entries)


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_entry_has_references_and_a_year(dataset):
    for e in load_entries(dataset):
        assert e["references"], e["name"]
        assert isinstance(e["year"], int) and 1950 <= e["year"] <= datetime.date.today().year, e["name"]
        for r in e["references"]:
            if "arxiv" in r:
                assert ARXIV_ID.match(r["arxiv"]), (e["name"], r["arxiv"])


@pytest.mark.parametrize("dataset", DATASETS)
def test_names_are_unique(dataset):
    names = [e["name"] for e in load_entries(dataset)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("dataset", DATASETS)
def test_observables_units_and_confidence_levels(dataset):
    for e in own_entries(dataset):
        assert e["observable"] in KNOWN_OBSERVABLES, e["name"]
        assert "unit" in e and "description" in e, e["name"]
        if e["kind"] in LIMIT_KINDS:
            assert e["cl"] in (0.90, 0.95), e["name"]
        for key in ("value", "sigma", "sigma_up", "sigma_down", "limit", "lower_limit",
                    "limit_scale"):
            if key in e:  # YAML "251e-11" would be a string: the schema must have caught it
                assert isinstance(e[key], float), (e["name"], key)


@pytest.mark.parametrize("dataset", DATASETS)
def test_files_declare_their_data_set(dataset):
    folder = Path(str(measurements.dataset_folder(dataset)))
    for f in folder.glob("*.yaml"):
        assert yaml.safe_load(f.read_text())["dataset"] == dataset, f.name


@pytest.mark.parametrize("dataset", DATASETS)
def test_default_selection_leaves_out_projections_and_alternatives(dataset):
    entries = load_entries(dataset)
    chosen = {e["name"] for e in select(entries)}
    with_proj = {e["name"] for e in select(entries, projections=True)}
    for e in entries:
        if e.get("default", True) is False:
            assert e["name"] not in chosen and e["name"] not in with_proj
        elif e.get("projection"):
            assert e["name"] not in chosen and e["name"] in with_proj
        else:
            assert e["name"] in chosen
    # one electron g-2 input at a time: Cs by default, Rb only when asked for
    assert "delta_a_e_cs" in chosen and "delta_a_e_rb" not in chosen
    # nEXO and the HL-LHC projections all come in together with projections=True
    for name in ("dbd_xe136_nexo", "h_mumu_hllhc", "h_ee_yukawa_hllhc", "lhc_hnl_mu_hllhc",
                 "lhc_hnl_e_hllhc"):
        assert name in with_proj and name not in chosen


@pytest.mark.parametrize("dataset", DATASETS)
def test_lhc_tables_are_the_seed_tables(dataset):
    d = by_name(dataset)
    for name, (m, lim) in (("lhc_hnl_mu", TABLE3_MU), ("lhc_hnl_e", TABLE4_E)):
        for suffix, scale in (("", None), ("_hllhc", 0.1095)):
            e = d[name + suffix]
            assert e["table"]["m_N"] == [float(x) for x in m]
            assert e["table"]["limit"] == lim
            assert e["cl"] == 0.95
            assert e.get("limit_scale") == scale
            assert bool(e.get("projection")) == bool(suffix)
    assert d["lhc_hnl_mu"]["observable"] == "x_lhc_mu"
    assert d["lhc_hnl_e"]["observable"] == "x_lhc_e"


# ---------------------------------------------------------------- seed = 2105.11462


def test_seed_g2_numbers():
    d = by_name("seed")
    assert (d["delta_a_mu"]["value"], d["delta_a_mu"]["sigma"]) == (251e-11, 59e-11)
    assert (d["delta_a_e_cs"]["value"], d["delta_a_e_cs"]["sigma"]) == (-0.88e-12, 0.36e-12)
    assert (d["delta_a_e_rb"]["value"], d["delta_a_e_rb"]["sigma"]) == (0.48e-12, 0.30e-12)
    assert d["delta_a_e_cs"].get("default", True) is True
    assert d["delta_a_e_rb"]["default"] is False
    # eq. 1.3 from eqs. 1.1-1.2
    assert 116592061 - 116591810 == 251
    assert round(math.hypot(41, 43)) == 59


def test_seed_limits():
    d = by_name("seed")
    assert (d["mu_to_e_gamma"]["limit"], d["mu_to_e_gamma"]["cl"]) == (4.2e-13, 0.90)
    assert d["mu_to_e_gamma"]["year"] == 2016
    assert (d["dbd_xe136"]["lower_limit"], d["dbd_xe136"]["cl"]) == (1.07e26, 0.90)
    assert d["dbd_xe136"]["observable_args"] == {"terms": "c1r"}
    assert (d["dbd_xe136_nexo"]["lower_limit"], d["dbd_xe136_nexo"]["cl"]) == (1e28, 0.90)
    assert d["dbd_xe136_nexo"]["projection"] is True
    assert (d["d_e"]["limit"], d["d_e"]["cl"], d["d_e"]["year"]) == (1.1e-29, 0.90, 2018)
    assert not any(e["observable"].startswith("br_tau") for e in own_entries("seed"))


def test_seed_higgs_numbers():
    d = by_name("seed")
    h = d["h_mumu_cms"]
    assert (h["value"], h["sigma_up"], h["sigma_down"]) == (1.19, 0.44, 0.42)
    hl = d["h_mumu_hllhc"]
    assert (hl["value"], hl["sigma"], hl["projection"]) == (1.0, 0.1, True)
    assert (d["h_ee"]["observable"], d["h_ee"]["limit"], d["h_ee"]["cl"]) == (
        "br_h_to_ee", 3.6e-4, 0.95)
    assert (d["h_ee_yukawa"]["limit"], d["h_ee_yukawa"]["default"]) == (268.0, False)
    e = d["h_ee_yukawa_hllhc"]
    assert (e["observable"], e["limit"], e["projection"]) == ("y_ratio_e", 58.0, True)
    assert round(268 * math.sqrt(139 / 3000)) == 58          # eq. 4.11
    assert abs(math.sqrt(36 / 3000) - 0.1095) < 1e-4          # HL-LHC table scaling


def test_every_seed_entry_cites_the_seed():
    for e in own_entries("seed"):
        assert any(r.get("arxiv") == "2105.11462" for r in e["references"]), e["name"]


# ---------------------------------------------------------------- current


def test_current_delta_a_mu_is_fnal_final_minus_wp25():
    e = by_name("current")["delta_a_mu"]
    exp, sexp = 116592071.5e-11, 14.5e-11    # arXiv:2506.03069, world average
    sm, ssm = 116592033e-11, 62e-11          # arXiv:2505.21476 (WP25)
    assert e["value"] == pytest.approx(exp - sm, abs=0.05e-11)
    assert e["sigma"] == pytest.approx(math.hypot(sexp, ssm), abs=0.05e-11)
    refs = {r.get("arxiv") for r in e["references"]}
    assert {"2506.03069", "2505.21476"} <= refs


def test_current_delta_a_e_from_fan_2023_and_alpha():
    d = by_name("current")
    alpha_inv_g2, s_g2 = 137.035999166, 0.015e-6   # Fan et al. 2023, from a_e + SM
    a = 1 / alpha_inv_g2
    dadalpha = (0.5 + 2 * (-0.328478965) * a / math.pi
                + 3 * 1.181241456 * (a / math.pi) ** 2) / math.pi
    k = dadalpha * a * a
    for name, (alpha_inv, s) in (("delta_a_e_cs", (137.035999046, 0.027e-6)),
                                 ("delta_a_e_rb", (137.035999206, 0.011e-6))):
        e = d[name]
        assert e["value"] == pytest.approx(k * (alpha_inv - alpha_inv_g2), abs=0.006e-12)
        assert e["sigma"] == pytest.approx(k * math.hypot(s, s_g2), abs=0.006e-12)
    assert d["delta_a_e_rb"]["default"] is False


def test_current_limits():
    d = by_name("current")
    expect = {  # name: (observable, limit, cl, year, arXiv)
        "mu_to_e_gamma": ("br_mu_to_e_gamma", 1.5e-13, 0.90, 2025, "2504.15711"),
        "tau_to_mu_gamma": ("br_tau_to_mu_gamma", 4.2e-8, 0.90, 2021, "2103.12994"),
        "tau_to_e_gamma": ("br_tau_to_e_gamma", 3.3e-8, 0.90, 2010, "0908.2381"),
        "tau_to_mu_gamma_babar": ("br_tau_to_mu_gamma", 4.4e-8, 0.90, 2010, "0908.2381"),
        "tau_to_e_gamma_belle": ("br_tau_to_e_gamma", 5.6e-8, 0.90, 2021, "2103.12994"),
        "h_ee": ("br_h_to_ee", 3.0e-4, 0.95, 2022, "2208.00265"),
        "d_e": ("d_e", 4.1e-30, 0.90, 2023, "2212.11841"),
    }
    for name, (obs, lim, cl, year, arxiv) in expect.items():
        e = d[name]
        assert (e["observable"], e["limit"], e["cl"], e["year"]) == (obs, lim, cl, year), name
        assert any(r.get("arxiv") == arxiv for r in e["references"]), name
    k = d["dbd_xe136"]
    assert (k["lower_limit"], k["cl"], k["year"]) == (3.8e26, 0.90, 2024)
    assert k["references"][0]["arxiv"] == "2406.11438"
    assert d["dbd_xe136_full"]["default"] is False
    assert d["dbd_xe136_full"]["observable_args"] == {"terms": "full"}


def test_current_higgs_mumu():
    d = by_name("current")
    c = d["h_mumu_cms"]
    assert (c["value"], c["sigma_up"], c["sigma_down"]) == (1.19, 0.43, 0.41)
    assert c["sigma_up"] == round(math.hypot(0.40, 0.15), 2)   # journal stat (+) syst
    assert c["sigma_down"] == round(math.hypot(0.39, 0.14), 2)
    a = d["h_mumu_atlas"]
    assert (a["value"], a["sigma"], a["year"]) == (1.4, 0.4, 2025)


# ---------------------------------------------------------------- terms from pure data


@pytest.mark.parametrize("dataset", DATASETS)
def test_table_terms_interpolate_the_published_limits(dataset):
    d = by_name(dataset)
    mu, hl = build_term(d["lhc_hnl_mu"]), build_term(d["lhc_hnl_mu_hllhc"])
    assert mu.limit_at(np.array(100.0)) == pytest.approx(4.32e-3, rel=1e-12)
    assert hl.limit_at(np.array(100.0)) == pytest.approx(4.32e-3 * 0.1095, rel=1e-12)
    assert build_term(d["lhc_hnl_e"]).limit_at(np.array(1200.0)) == pytest.approx(1.84)
    # between grid points: log-log interpolation, inside the bracketing values
    between = float(mu.limit_at(np.array(math.sqrt(200.0 * 400.0))))
    assert 8.88e-3 < between < 3.01e-2
    assert between == pytest.approx(math.sqrt(8.88e-3 * 3.01e-2), rel=1e-12)
    assert mu.chi2_at_limit == pytest.approx(2.7055, abs=1e-4)   # z = 1.645 at 95% CL


@pytest.mark.parametrize("dataset", DATASETS)
def test_inverse_lower_limit_becomes_an_upper_limit_on_the_rate(dataset):
    e = by_name(dataset)["dbd_xe136"]
    t = build_term(e)
    assert t.limit == pytest.approx(1.0 / e["lower_limit"])
    assert t.chi2_at_limit == pytest.approx(1.2816 ** 2, abs=1e-3)   # 90% CL
    assert t.obs_args == {"terms": "c1r"}


# ---------------------------------------------------------------- broken files

GOOD_ENTRY = """\
  - name: fine_entry
    kind: upper_limit
    observable: d_e
    limit: 1.1e-29
    cl: 0.90
    year: 2018
    references: [{arxiv: "2105.11462"}]
"""

BROKEN = {
    "missing_references": """\
  - name: no_refs
    kind: upper_limit
    observable: d_e
    limit: 1.1e-29
    cl: 0.90
    year: 2018
""",
    "string_value": """\
  - name: stringy_value
    kind: gaussian
    observable: delta_a_mu
    value: "a lot"
    sigma: 5.9e-10
    year: 2021
    references: [{arxiv: "2105.11462"}]
""",
    # PyYAML reads 251e-11 (no dot, unsigned exponent) as the *string* "251e-11"
    "yaml_float_trap": """\
  - name: exponent_trap
    kind: gaussian
    observable: delta_a_mu
    value: 251e-11
    sigma: 5.9e-10
    year: 2021
    references: [{arxiv: "2105.11462"}]
""",
    "unknown_kind": """\
  - name: odd_kind
    kind: lower_limit
    observable: inv_half_life_xe136
    limit: 1.07e+26
    cl: 0.90
    year: 2016
    references: [{arxiv: "1605.02889"}]
""",
}
BROKEN_NAMES = {"missing_references": "no_refs", "string_value": "stringy_value",
                "yaml_float_trap": "exponent_trap", "unknown_kind": "odd_kind"}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_names_file_and_entry(tmp_path, case):
    f = tmp_path / f"{case}.yaml"
    f.write_text("dataset: broken\nmeasurements:\n" + GOOD_ENTRY + BROKEN[case])
    with pytest.raises(DataError) as err:
        load_file(f)
    msg = str(err.value)
    assert str(f) in msg
    assert repr(BROKEN_NAMES[case]) in msg


@pytest.mark.parametrize("case,word", [("missing_references", "references"),
                                       ("string_value", "value"),
                                       ("unknown_kind", "lower_limit")])
def test_broken_file_message_names_the_problem(tmp_path, case, word):
    f = tmp_path / f"{case}.yaml"
    f.write_text("dataset: broken\nmeasurements:\n" + BROKEN[case])
    with pytest.raises(DataError) as err:
        load_file(f)
    reason = str(err.value).split("):", 1)[1]   # after "file (entry 'name', kind k):"
    assert word in reason
    assert "not valid under any of the given schemas" not in reason


def test_invalid_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("measurements: [\n  - name: x\n")
    with pytest.raises(DataError, match="not valid YAML"):
        load_file(bad)
    with pytest.raises(DataError, match="does not exist"):
        load_file(tmp_path / "nope.yaml")


def test_duplicate_names_in_a_data_set(tmp_path, monkeypatch):
    folder = tmp_path / "dupset"
    folder.mkdir()
    for fname in ("a.yaml", "b.yaml"):
        (folder / fname).write_text("dataset: dupset\nmeasurements:\n" + GOOD_ENTRY)
    monkeypatch.setattr(measurements, "DATA_ROOT", tmp_path)
    measurements._dataset_entries.cache_clear()
    try:
        with pytest.raises(DataError, match="fine_entry"):
            load_entries("dupset")
    finally:
        measurements._dataset_entries.cache_clear()
