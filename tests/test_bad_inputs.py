"""Bad inputs and faults as a user hits them through the Python API (issue 9).

Every case asserts the error class, that the message names the offending thing, and (where
files are involved) that nothing is left behind. The command line is in test_cli.py.
"""
import os
import shutil
import stat
import warnings
from pathlib import Path

import numpy as np
import pytest

import hnlfit
from hnlfit import cache
from hnlfit.errors import (CacheWarning, DataError, DomainError, ObservableError,
                           ParameterError, PluginError, UnknownNameError, ValidityWarning)
from hnlfit.observables import registry
from hnlfit.observables.registry import likelihood_flags
from hnlfit.physics.forward import meson_decays as md

REPO = Path(__file__).resolve().parents[1]
G2 = dict(m_N=300.0, U_mu=0.01, C_Hnue_mu=-1 / 1200.0 ** 2)


# ---- names ------------------------------------------------------------------------------
def test_typo_in_a_parameter_suggests_the_parameter():
    with pytest.raises(ParameterError) as err:
        hnlfit.predict("delta_a_mu", m_n=300, U_mu=0.01, C_Hnue_mu=-1e-6)
    msg = str(err.value)
    assert "'m_n'" in msg and "Did you mean 'm_N'" in msg and "delta_a_mu" in msg
    assert isinstance(err.value, ObservableError)       # callers that caught this still do


def test_typo_in_an_argument_suggests_the_argument():
    with pytest.raises(UnknownNameError, match=r"'sqrt_S'.*Did you mean 'sqrt_s'"):
        hnlfit.predict("sigma_ee_to_N_nu", m_N=1.0, d_gamma_e=1e-5, sqrt_S=91.0)


def test_parameter_the_observable_does_not_read_lists_what_it_reads():
    with pytest.raises(ParameterError) as err:
        hnlfit.predict("delta_a_mu", U_e=0.1, **G2)
    msg = str(err.value)
    assert "'U_e'" in msg and "m_N, U_mu, C_Hnue_mu" in msg and "strict=False" in msg
    # relaxed for scripts passing one point to many observables, and for a ready Point
    assert hnlfit.predict("delta_a_mu", U_e=0.1, strict=False, **G2) > 0
    assert hnlfit.predict("delta_a_mu", hnlfit.make_point(U_e=0.1, **G2)) > 0
    with pytest.raises(ParameterError, match="'U_e'"):
        hnlfit.predict("delta_a_mu", {"U_e": 0.1, **G2})


def test_inputs_that_derive_a_read_parameter_count_as_read():
    # a and d_UB/d_UW determine d_Z, d_W, d_gamma; Lambda is read by the validity flag
    hnlfit.predict("gamma_N", m_N=1.0, d_gamma_e=1e-6, a=0.3)
    hnlfit.predict("gamma_N", m_N=1.0, d_UB_e=1e-6, d_UW_e=2e-6)
    hnlfit.predict("delta_a_mu", Lambda=1200.0, **G2)


# ---- types ------------------------------------------------------------------------------
@pytest.mark.parametrize("value, words", [
    ("300", ["str"]), (None, ["None"]), (1 + 2j, ["complex"]),
    (np.array([1 + 2j, 3.0]), ["m_N"]), (10 ** 400, ["too large"]),
    ([1.0, 10 ** 400], ["too large"]), (True, ["bool"]), (np.array([True, False]), ["m_N"]),
    (np.array(["1", "2"]), ["m_N"]), ([1.0, [2.0, 3.0]], ["m_N"]), ([1.0, None], ["m_N"]),
    (np.array([1.0, np.nan]), ["non-finite"]), ([1.0, -np.inf], ["non-finite"]),
    (np.inf, ["non-finite"]), (-5.0, ["allowed range"]),
])
def test_values_that_are_not_real_numbers_name_the_parameter(value, words):
    with pytest.raises(ParameterError) as err:
        hnlfit.make_point(m_N=value)
    assert "'m_N'" in str(err.value)
    for w in words:
        assert w in str(err.value)


def test_numbers_of_every_numeric_kind_are_accepted():
    for v in (300, 300.0, np.float32(300), np.int64(300), [300, 400], np.arange(3) + 1):
        p = hnlfit.make_point(m_N=v)
        assert p["m_N"].dtype == np.float64
    assert hnlfit.make_point(m_N=[]).shape == (0,)


def test_point_bounds_are_the_min_and_max():
    p = hnlfit.make_point(m_N=[3.0, 1.0, 2.0], Lambda=5.0)
    assert p.bounds("m_N") == (1.0, 3.0) and p.bounds("U_mu") == (0.0, 0.0)
    assert p.no_hnl().bounds("U_mu") == (0.0, 0.0)
    with pytest.raises(ValueError):            # points are read-only for the physics code
        p["m_N"][0] = 7.0


@pytest.mark.parametrize("obs, args, word", [
    ("gamma_N", {"majorana": "False"}, "majorana"),
    ("gamma_N", {"majorana": 0}, "majorana"),
    ("br_eta_to_N", {"p0_norm": 1}, "p0_norm"),
])
def test_argument_types(obs, args, word):
    with pytest.raises(ParameterError, match=word):
        hnlfit.predict(obs, m_N=0.1, d_gamma_e=1e-6, **args)


# ---- validity domains ---------------------------------------------------------------------
def test_huge_mass_is_outside_the_eft_not_a_huge_g2():
    with pytest.raises(DomainError) as err:
        hnlfit.predict("delta_a_mu", m_N=1e30, U_mu=0.01, C_Hnue_mu=-1e-6)
    assert "m_N" in str(err.value) and "C_Hnue_mu" in str(err.value)
    like = hnlfit.build_likelihood("seed")
    with pytest.raises(DomainError, match="m_N"):
        like(m_N=1e30, U_mu=0.01, C_Hnue_mu=-1e-6, Lambda=2e30)
    # the check is per element: one bad point in an array is found
    with pytest.raises(DomainError, match="1 of 3 points"):
        hnlfit.predict("delta_a_mu", m_N=[100.0, 1e30, 200.0], U_mu=0.01, C_Hnue_mu=-1e-6)


def test_eft_validity_is_a_warning_in_predictions_and_a_flag_in_breakdowns():
    kw = dict(m_N=2000.0, U_mu=0.01, C_Hnue_mu=-1e-6, Lambda=1000.0)
    with pytest.warns(ValidityWarning, match=r"m_N < Lambda"):
        hnlfit.predict("mu_h_mumu", **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hnlfit.predict("mu_h_mumu", **{**kw, "Lambda": 3000.0})     # inside: no warning
    like = hnlfit.build_likelihood("seed", include=["delta_a_mu", "h_mumu_cms",
                                                    "ckm_first_row"])
    flags = likelihood_flags(like, hnlfit.make_point(**kw))
    assert set(flags) == {"delta_a_mu", "h_mumu_cms"}
    assert not likelihood_flags(like, hnlfit.make_point(**{**kw, "Lambda": 3000.0}))


def test_higgs_tables_have_a_mass_range():
    with pytest.raises(DomainError, match="2.5e"):
        hnlfit.predict("mu_h_mumu", m_N=1e9, U_mu=0.01, C_Hnue_mu=-1e-20, Lambda=1e10)


@pytest.mark.parametrize("sqrt_s", [-91.0, 0.0, [91.0, -1.0]])
def test_centre_of_mass_energy_must_be_positive(sqrt_s):
    with pytest.raises(DomainError, match="sqrt_s"):
        hnlfit.predict("sigma_ee_to_N_nu", m_N=1.0, d_gamma_e=1e-5, a=0.0, sqrt_s=sqrt_s)


def test_above_threshold_the_cross_section_is_zero():
    s = hnlfit.predict("sigma_ee_to_N_nu", m_N=[50.0, 150.0], d_gamma_e=1e-5, sqrt_s=91.19)
    assert s[0] > 0 and s[1] == 0.0


def test_lab_energy_below_the_mass_is_an_error():
    with pytest.raises(DomainError, match="E_N"):
        hnlfit.predict("decay_length_N", m_N=1.0, d_gamma_e=1e-5, E_N=0.5)
    with pytest.raises(DomainError, match="1 of 2"):
        hnlfit.predict("decay_length_N", m_N=1.0, d_gamma_e=1e-5, E_N=np.array([2.0, 0.5]))


def test_branching_ratios_stay_below_one_at_large_coupling():
    b = md.branching_ratio("jpsi", 1.0, 1.0)                       # Gamma_N / Gamma_tot(PDG)
    assert b == pytest.approx(5.8, rel=0.01)
    br = hnlfit.predict("br_jpsi_to_N", m_N=1.0, d_gamma_e=1.0)
    assert br == pytest.approx(b / (1 + b), rel=1e-12) and br < 1
    assert hnlfit.predict("br_jpsi_to_N", m_N=4.0, d_gamma_e=1.0) == 0.0   # closed
    for name in ("br_pi0_to_N", "br_Ds_to_N", "br_B_to_N"):
        v = hnlfit.predict(name, m_N=0.05, d_gamma_e=1e3, d_gamma_tau=1e3)
        assert 0 < v < 1, name
    ee = hnlfit.predict("br_h_to_ee", m_N=1000.0, Lambda=3000.0, U_e=0.02, C_Hnue_e=1e-4)
    assert 0.9 < ee < 1          # BR_SM x mu = 60 before


# ---- measurement files ------------------------------------------------------------------
ENTRY = ("  - {name: NAME, kind: gaussian, observable: delta_a_mu, value: VALUE, sigma: SIGMA,"
         " year: 2020, references: [{arxiv: \"1234.5678\"}]}\n")


def _file(tmp_path, entries, name="m.yaml"):
    f = tmp_path / name
    f.write_text("measurements:\n" + "".join(entries))
    return f


@pytest.mark.parametrize("value, sigma, words", [
    (".nan", "1.0e-10", ["value", "finite"]), ("1.0e-9", ".inf", ["sigma", "finite"]),
    ("1.0e-9", "0", ["sigma"]), ("1.0e-9", "-1.0e-10", ["sigma"]),
    ("-.inf", "1.0e-10", ["value", "finite"]),
])
def test_measurement_numbers(tmp_path, value, sigma, words):
    f = _file(tmp_path, [ENTRY.replace("NAME", "x1").replace("VALUE", value)
                         .replace("SIGMA", sigma)])
    with pytest.raises(DataError) as err:
        hnlfit.build_likelihood("seed", include=["x1"], extra_files=[f])
    assert str(f) in str(err.value) and "'x1'" in str(err.value)
    for w in words:
        assert w in str(err.value)


def test_measurement_names_used_twice(tmp_path):
    e = ENTRY.replace("VALUE", "1.0e-9").replace("SIGMA", "1.0e-10")
    f = _file(tmp_path, [e.replace("NAME", "x1"), e.replace("NAME", "x1")])
    with pytest.raises(DataError, match=r"'x1' is used twice"):
        hnlfit.build_likelihood("seed", extra_files=[f])
    g = _file(tmp_path, [e.replace("NAME", "delta_a_mu")], "g.yaml")
    with pytest.raises(DataError, match=r"'delta_a_mu'.*already defined by data set 'seed'"):
        hnlfit.build_likelihood("seed", extra_files=[g])


@pytest.mark.parametrize("table, word", [
    ("{m_N: [1, 2, 3], limit: [1, 2]}", "different lengths"),
    ("{m_N: [1, 1, 3], limit: [1, 2, 3]}", "repeated masses"),
])
def test_measurement_tables(tmp_path, table, word):
    f = tmp_path / "t.yaml"
    f.write_text("measurements:\n  - {name: tab, kind: upper_limit_table, observable: x_lhc_mu,"
                 f" cl: 0.95, table: {table}, year: 2020, references: [{{arxiv: \"1234.5678\"}}]}}\n")
    with pytest.raises(DataError) as err:
        hnlfit.build_likelihood("seed", include=["tab"], extra_files=[f])
    assert word in str(err.value) and "'tab'" in str(err.value) and str(f) in str(err.value)


@pytest.mark.parametrize("kwargs, word", [
    (dict(include="delta_a_mu"), "include"), (dict(exclude="d_e"), "exclude"),
    (dict(projections="no"), "projections"), (dict(dataset=3), "data set"),
])
def test_build_likelihood_arguments(kwargs, word):
    with pytest.raises(DataError, match=word):
        hnlfit.build_likelihood(**{"dataset": "seed", **kwargs})


def test_an_empty_likelihood_says_which_flag_adds_terms():
    with pytest.raises(DataError) as err:
        hnlfit.build_likelihood("lhc_projections")
    msg = str(err.value)
    assert "--projections" in msg and "projections=True" in msg and "lhc_B1_hllhc" in msg


# ---- run cards --------------------------------------------------------------------------
CARD = """kind: curves
name: NAME
x: {name: m_N, min: XMIN, max: 1.0, n: 5, log: true}
panels: [{fixed: {d_gamma_e: 1.0e-4}}]
curves: [{observable: br_jpsi_to_N}]
quick: {n: 5}
"""


def _card(tmp_path, **subs):
    text = CARD
    for k, v in {"NAME": "c", "XMIN": "0.01", **subs}.items():
        text = text.replace(k, v)
    f = tmp_path / "card.yaml"
    f.write_text(text)
    return f


@pytest.mark.parametrize("subs, words", [
    ({"NAME": "../../x"}, ["../../x", "file stem"]),
    ({"NAME": "a/b"}, ["a/b"]),
    ({"XMIN": "1.0"}, ["min < max", "m_N"]),
    ({"XMIN": "0.0"}, ["min > 0"]),
    ({"quick: {n: 5}": "quick: {n: 5, nstep: 3}"}, ["'nstep'"]),
    ({"curves:": "curvs:"}, ["'curvs'", "Did you mean 'curves'"]),
])
def test_bad_cards_name_the_key(tmp_path, subs, words):
    from hnlfit.cards import run_card

    out = tmp_path / "out"
    with pytest.raises(DataError) as err:
        run_card(_card(tmp_path, **subs), outdir=out, quick=True, progress=False)
    for w in words:
        assert w in str(err.value)
    assert not out.exists() and not (tmp_path.parent / "x").exists()


def test_burn_longer_than_the_chain(tmp_path):
    from hnlfit.cards.load import load_card

    card = (REPO / "runs" / "g2_posterior.yaml").read_text()
    f = tmp_path / "p.yaml"
    f.write_text(card.replace("burn: 1000", "burn: 4000"))
    with pytest.raises(DataError, match=r"burn = 4000.*nsteps = 4000"):
        load_card(f)
    f.write_text(card.replace("quick: {nsteps: 120, burn: 40}", "quick: {nsteps: 120, burn: 120}"))
    load_card(f)
    with pytest.raises(DataError, match="quick mode"):
        load_card(f, quick=True)


def test_unwritable_output_fails_before_any_computation(tmp_path, monkeypatch):
    from hnlfit import cards

    called = []
    monkeypatch.setitem(cards.RUNNERS, "curves", lambda *a: called.append(1))
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(DataError, match="a_file"):
        cards.run_card(_card(tmp_path), outdir=blocker / "results", quick=True, progress=False)
    assert not called and sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "card.yaml"]


def test_a_card_copied_to_another_folder_runs(tmp_path):
    from hnlfit.cards import run_card

    src = (REPO / "runs" / "meson_brs.yaml").read_text()
    (tmp_path / "elsewhere").mkdir()
    f = tmp_path / "elsewhere" / "meson_brs.yaml"
    f.write_text(src + "data: [hnlfit:data/published_bounds/likelihood.yaml]\n"
                 if "data:" not in src else src)
    res = run_card(f, outdir=tmp_path / "out", quick=True, progress=False)
    assert all(Path(p).exists() for p in res["paths"].values())
    assert all(str(tmp_path / "out") in str(p) for p in res["paths"].values())


# ---- plugins ----------------------------------------------------------------------------
PLUGIN = '''import hnlfit


@hnlfit.observable("{name}", unit="1", tex="x", params=("m_N",), refs=("test",))
def f(p):
    return {body}
'''


@pytest.fixture(autouse=True)
def _registry_restored():
    """Observables a test's plugin registers are removed again (other tests loop over all)."""
    from hnlfit import plugins

    before, loaded = dict(registry._REGISTRY), dict(plugins._LOADED)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)
    plugins._LOADED.clear()
    plugins._LOADED.update(loaded)


def _plugin(tmp_path, name, body="p['m_N'] * 2.0", extra=""):
    f = tmp_path / f"{name}.py"
    f.write_text(PLUGIN.format(name=name, body=body) + extra)
    return f


@pytest.mark.parametrize("extra, words", [
    ("\nx = = 3\n", ["line 8", "SyntaxError"]),
    ("\nimport no_such_module_for_hnlfit\n", ["line 8", "no_such_module_for_hnlfit"]),
    ("\nraise RuntimeError('boom')\n", ["line 8", "boom"]),
])
def test_plugin_import_failures_are_one_clear_error(tmp_path, extra, words):
    from hnlfit.plugins import load_plugin

    name = f"plug_fail_{abs(hash(extra)) % 10**6}"
    f = _plugin(tmp_path, name, extra=extra)
    with pytest.raises(PluginError) as err:
        load_plugin(f)
    assert str(f) in str(err.value)
    for w in words:
        assert w in str(err.value)
    assert name not in registry.names()        # what it registered before failing is undone


def test_missing_plugin(tmp_path):
    from hnlfit.plugins import load_plugin

    with pytest.raises(PluginError, match="nope.py"):
        load_plugin(tmp_path / "nope.py")
    with pytest.raises(PluginError, match="no_such_plugin_module"):
        load_plugin("no_such_plugin_module")


def test_same_plugin_twice_is_a_noop(tmp_path, monkeypatch):
    from hnlfit.plugins import load_plugin

    f = _plugin(tmp_path, "plug_twice")
    load_plugin(f)
    monkeypatch.chdir(tmp_path)
    load_plugin("plug_twice.py")                 # the same file by another path
    assert hnlfit.predict("plug_twice", m_N=2.0) == 4.0
    (tmp_path / "copy").mkdir()                  # a card copied with its plugin
    shutil.copy(tmp_path / "plug_twice.py", tmp_path / "copy" / "plug_twice.py")
    load_plugin(tmp_path / "copy" / "plug_twice.py")


def test_plugin_output_shape_is_checked(tmp_path):
    from hnlfit.plugins import load_plugin

    load_plugin(_plugin(tmp_path, "plug_shape", body="p['m_N'][:2]"))
    with pytest.raises(ObservableError, match=r"shape \(2,\).*shape \(3,\)"):
        hnlfit.predict("plug_shape", m_N=[1.0, 2.0, 3.0])
    load_plugin(_plugin(tmp_path, "plug_scalar", body="1.0"))
    assert hnlfit.predict("plug_scalar", m_N=[1.0, 2.0]).shape == (2,)


# ---- cache ------------------------------------------------------------------------------
def _table(calls):
    def compute():
        calls.append(1)
        return {"x": np.arange(5.0), "y": np.arange(5.0) ** 2}
    return compute


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "foreign"])
def test_a_damaged_cache_file_is_recomputed_once(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    calls = []
    first = cache.cached_table("t_damage", {"v": 1}, _table(calls))
    path, = tmp_path.glob("t_damage-*.npz")
    raw = path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    else:                                        # another table under this file's name
        cache.cached_table("t_other", {"v": 2}, _table([]))
        other, = tmp_path.glob("t_other-*.npz")
        shutil.copy(other, path)
    with pytest.warns(CacheWarning, match=str(path.name)):
        again = cache.cached_table("t_damage", {"v": 1}, _table(calls))
    assert len(calls) == 2 and all(np.array_equal(first[k], again[k]) for k in first)
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # healed: read back without a warning
        cache.cached_table("t_damage", {"v": 1}, _table(calls))
    assert len(calls) == 2 and not list(tmp_path.glob("*.tmp"))


def test_an_unusable_cache_folder_computes_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(blocker / "cache"))
    calls = []
    with pytest.warns(CacheWarning, match="not usable"):
        a = cache.cached_table("t_mem", {"v": 1}, _table(calls))
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # one warning, then quietly from memory
        b = cache.cached_table("t_mem", {"v": 1}, _table(calls))
    assert len(calls) == 1 and np.array_equal(a["y"], b["y"])
    monkeypatch.delenv("HNLFIT_CACHE_DIR")
    monkeypatch.setenv("HOME", str(blocker))     # ~/.cache cannot be made under a file
    with pytest.warns(CacheWarning, match="not usable"):
        cache.cached_table("t_mem2", {"v": 1}, _table(calls))


def test_cache_and_result_files_honour_the_umask(tmp_path, monkeypatch):
    from hnlfit.io import write_json

    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    old = os.umask(0o027)
    try:
        cache.cached_table("t_mode", {"v": 1}, _table([]))
        write_json(tmp_path / "r.json", {"a": float("nan")})
    finally:
        os.umask(old)
    path, = tmp_path.glob("t_mode-*.npz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o640
    assert '"a": null' in (tmp_path / "r.json").read_text()


def test_cache_info_and_clear(tmp_path, monkeypatch):
    monkeypatch.setenv("HNLFIT_CACHE_DIR", str(tmp_path))
    cache.cached_table("t_info", {"v": 1}, _table([]))
    info = cache.info()
    assert info["files"] == 1 and info["bytes"] > 0 and info["usable"]
    assert cache.clear()[0] == 1 and not list(tmp_path.iterdir())
