"""Posterior sampling: priors, toy Gaussian, seed reproducibility, HDF5 resume, corner."""
import json

import h5py
import numpy as np
import pytest

from hnlfit.errors import DataError, HnlfitError
from hnlfit.fitter import (LogUniform, Sign, Uniform, load_posterior, prior_from_spec,
                           sample_posterior)
from hnlfit.fitter.expressions import resolve
from hnlfit.fitter.fingerprint import fingerprint
from hnlfit.fitter.posterior import LogPosterior
from hnlfit.likelihoods.terms import FunctionTerm

MU, SIGMA = 2.0, 0.3


def _gauss(p):
    return ((p["m_N"] - MU) / SIGMA) ** 2 - (MU / SIGMA) ** 2


GAUSS = FunctionTerm("gauss", _gauss, parameters=("m_N",))
PRIOR = {"m_N": {"prior": "uniform", "min": 0.5, "max": 4.0}}


def _signed(p):
    # prefers C_Hnue_mu = -1e-6 (Lambda = 1 TeV, negative sign) strongly
    return ((p["C_Hnue_mu"] * 1e6 + 1.0) / 0.1) ** 2 - 100.0


SIGNED = FunctionTerm("signed", _signed, parameters=("C_Hnue_mu",))


class Exploding:
    """A term that raises after a number of calls (an interrupted run)."""

    name = GAUSS.name  # the same likelihood, as far as the chain file is concerned

    def __init__(self, after):
        self.calls, self.after = 0, after

    def chi2(self, point):
        self.calls += 1
        if self.calls > self.after:
            raise KeyboardInterrupt
        return _gauss(point)

    def __repr__(self):
        return repr(GAUSS)  # the same likelihood, as far as the chain file is concerned

    def fingerprint(self):
        # its content is GAUSS's (the call counter is run-time state, not data)
        return fingerprint(GAUSS)


def test_priors():
    u = Uniform(0.0, 2.0)
    assert u.log_prob(1.0) == pytest.approx(-np.log(2.0)) and u.log_prob(2.5) == -np.inf
    lu = LogUniform(1e-6, 1e-2)
    assert lu.bounds == pytest.approx((-6.0, -2.0))
    assert lu.to_value(-4.0) == pytest.approx(1e-4)
    s = Sign()
    assert list(s.to_value([-0.3, 0.0, 0.7])) == [-1.0, 1.0, 1.0]
    assert prior_from_spec("Lambda", {"prior": "log_uniform", "min": 1e2, "max": 1e4}) == \
        LogUniform(1e2, 1e4)
    c = prior_from_spec("k", {"prior": "choice", "values": [1, 3, 5]})
    assert list(c.to_value([0.2, 1.5, 2.9])) == [1.0, 3.0, 5.0]
    for bad in ({"prior": "log_uniform", "min": 0.0, "max": 1.0},
                {"prior": "uniform", "min": 1.0},
                {"prior": "gaussian", "min": 0, "max": 1},
                {"prior": "uniform", "min": 0, "max": 1, "mean": 0}):
        with pytest.raises(DataError):
            prior_from_spec("x", bad)


def test_prior_outside_parameter_range_is_an_error():
    with pytest.raises(HnlfitError, match="U_mu"):
        sample_posterior(GAUSS, {"U_mu": {"prior": "uniform", "min": -0.1, "max": 0.1},
                                 **PRIOR}, nsteps=2, progress=False)


def test_log_posterior_vectorized_and_minus_inf_outside():
    lp = LogPosterior(GAUSS, {"m_N": Uniform(0.5, 4.0)}, {}, {})
    u = np.array([[2.0], [5.0], [1.0]])
    out = lp(u)
    assert out.shape == (3,) and out[1] == -np.inf
    assert out[0] - out[2] == pytest.approx(0.5 * (1.0 / SIGMA) ** 2)


def test_gaussian_posterior_mean_and_std():
    r = sample_posterior(GAUSS, PRIOR, nwalkers=16, nsteps=700, burn=200, seed=3,
                         progress=False)
    s = r.samples[:, 0]
    assert s.mean() == pytest.approx(MU, abs=0.04)
    assert s.std() == pytest.approx(SIGMA, rel=0.1)
    assert 0.3 < r.acceptance_fraction < 0.95
    assert np.all(np.isfinite(r.autocorr))
    assert r.chi2.min() == pytest.approx(-(MU / SIGMA) ** 2, abs=0.05)
    assert r.names == ["m_N"] and r.units == ["GeV"]


def test_same_seed_same_chain_other_seed_differs():
    a = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=40, seed=11, progress=False)
    b = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=40, seed=11, progress=False)
    c = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=40, seed=12, progress=False)
    assert np.array_equal(a.chain, b.chain)
    assert not np.array_equal(a.chain, c.chain)


def test_resume_runs_only_missing_steps(tmp_path):
    path = tmp_path / "chain.h5"
    first = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=50, seed=5, backend_path=path,
                             progress=False)
    assert first.nsteps == 50 and first.meta["nsteps_run"] == 50
    again = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=5,
                             backend_path=path, progress=False)
    assert again.meta["nsteps_run"] == 50 and again.nsteps == 100
    assert np.array_equal(again.chain[:50], first.chain)
    # resuming continues emcee's stored random state: same chain as one run of 100
    straight = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=5, progress=False)
    assert np.array_equal(again.chain, straight.chain)
    # nothing left to do
    done = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=5,
                            backend_path=path, progress=False)
    assert done.meta["nsteps_run"] == 0 and done.nsteps == 100
    # a different configuration is refused, resume=False overwrites
    with pytest.raises(HnlfitError, match="different configuration"):
        sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=120, seed=6, backend_path=path,
                         progress=False)
    fresh = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, seed=6, backend_path=path,
                             resume=False, progress=False)
    assert fresh.nsteps == 20
    assert load_posterior(path).nsteps == 20


def test_interrupted_run_leaves_usable_file(tmp_path):
    path = tmp_path / "chain.h5"
    # initial positions: a few calls; then each step calls the term twice (two halves)
    with pytest.raises(KeyboardInterrupt):
        sample_posterior(Exploding(after=41), PRIOR, nwalkers=8, nsteps=100, seed=5,
                         backend_path=path, progress=False)
    with h5py.File(path, "r") as f:
        steps = int(f["mcmc"].attrs["iteration"])
    assert 0 < steps < 100
    resumed = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=5,
                               backend_path=path, progress=False)
    assert resumed.meta["nsteps_run"] == 100 - steps and resumed.nsteps == 100
    straight = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=5, progress=False)
    assert np.array_equal(resumed.chain, straight.chain)


def test_sign_prior_with_derived_coupling():
    priors = {"Lambda": {"prior": "log_uniform", "min": 1e2, "max": 1e4},
              "sign": {"prior": "sign"}}
    r = sample_posterior(SIGNED, priors, derived={"C_Hnue_mu": "sign/Lambda**2"},
                         nwalkers=16, nsteps=300, seed=1, progress=False)
    summ = r.summary()
    assert summ["parameters"]["sign"]["probabilities"]["-1"] > 0.99
    lam = r.sample_dict()["Lambda"]
    assert np.median(lam) == pytest.approx(1e3, rel=0.05)
    assert r.labels() == ["log10(Lambda / GeV)", "sign (u; sign(u))"]


def test_corner_plot_and_outputs(tmp_path):
    priors = {"m_N": PRIOR["m_N"], "Lambda": {"prior": "log_uniform", "min": 10, "max": 1e3}}
    r = sample_posterior(GAUSS, priors, nwalkers=8, nsteps=60, seed=2, progress=False,
                         require_eft_valid=True)
    assert np.all(r.samples[:, 0] < r.samples[:, 1])
    out = r.corner_plot(tmp_path / "corner.png")
    assert out.exists() and out.stat().st_size > 1000
    r.corner_plot(tmp_path / "corner_phys.pdf", space="physical")
    assert (tmp_path / "corner_phys.pdf").exists()
    r.to_json(tmp_path / "post.json")
    d = json.loads((tmp_path / "post.json").read_text())
    assert d["nsteps"] == 60 and set(d["parameters"]) == {"m_N", "Lambda"}
    r.to_npz(tmp_path / "post.npz")
    with np.load(tmp_path / "post.npz") as z:
        assert z["samples"].shape == r.samples.shape
    assert not list(tmp_path.glob(".*"))


# ---- blocked chain file, exact resume, acceptance once per step (issue 8 item 3) ---------
def test_blocked_chain_interrupted_and_resumed_equals_straight(tmp_path):
    import emcee

    path = tmp_path / "chain.h5"
    with pytest.raises(KeyboardInterrupt):
        sample_posterior(Exploding(after=57), PRIOR, nwalkers=8, nsteps=100, seed=9,
                         backend_path=path, progress=False, flush_every=7)
    with h5py.File(path, "r") as f:
        g = f["mcmc"]
        steps = int(g.attrs["iteration"])
        # every finished step is on disk, not only the last full block of 7
        assert 20 < steps < 100 and g["chain"].shape[0] == steps
        assert np.array_equal(g["accepted"][:], g["accepted_steps"][:].sum(axis=0))
    resumed = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=9,
                               backend_path=path, progress=False, flush_every=7)
    straight = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=100, seed=9, progress=False)
    assert resumed.meta["nsteps_run"] == 100 - steps
    assert np.array_equal(resumed.chain, straight.chain)
    assert np.array_equal(resumed.log_prob, straight.log_prob)
    # acceptance counted once per step: identical to the uninterrupted chain's
    assert np.array_equal(resumed.acceptance, straight.acceptance)
    # the file keeps emcee's layout: emcee's own backend reads the same chain
    eb = emcee.backends.HDFBackend(str(path), read_only=True)
    assert eb.iteration == 100 and np.array_equal(eb.get_chain(), straight.chain)
    assert np.array_equal(eb.accepted / 100, straight.acceptance)
    assert not [p.name for p in tmp_path.iterdir() if p.name != "chain.h5"]


def test_temp_file_of_a_hard_killed_write_is_removed_and_chain_intact(tmp_path):
    path = tmp_path / "chain.h5"
    sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=30, seed=2, backend_path=path,
                     progress=False)
    stale = tmp_path / ".chain.h5.abc123.h5"  # what SIGKILL during a write leaves
    stale.write_bytes(b"half an HDF5 file")
    r = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=40, seed=2, backend_path=path,
                         progress=False)
    assert r.meta["nsteps_run"] == 10 and not stale.exists()


def test_chain_is_written_in_blocks_not_every_step(tmp_path):
    path = tmp_path / "chain.h5"
    seen = []

    def watching(p):
        if path.exists():
            with h5py.File(path, "r") as f:
                seen.append(int(f["mcmc"].attrs["iteration"]))
        return _gauss(p)

    term = FunctionTerm("gauss", watching, parameters=("m_N",))
    r = sample_posterior(term, PRIOR, nwalkers=8, nsteps=45, seed=4, backend_path=path,
                         progress=False, flush_every=10, flush_seconds=1e9)
    assert seen and set(seen) <= {10, 20, 30, 40}
    assert load_posterior(path).nsteps == 45 == r.nsteps


def test_log_posterior_equals_the_plain_formula_bit_for_bit():
    priors = {"m_N": Uniform(0.5, 4.0), "Lambda": LogUniform(10.0, 1e3), "sign": Sign()}
    derived = {"C_Hnue_mu": "sign/Lambda**2"}

    def f(p):
        return _gauss(p) + (p["C_Hnue_mu"] * 1e4) ** 2

    term = FunctionTerm("t", f, parameters=("m_N", "C_Hnue_mu"))
    lp = LogPosterior(term, priors, {}, derived, require_eft_valid=True)
    rng = np.random.default_rng(3)
    u = np.stack([rng.uniform(0.0, 4.5, 200), rng.uniform(0.5, 3.2, 200),
                  rng.uniform(-1.2, 1.2, 200)], axis=1)
    got = lp(u)
    # the plain formula, on the same rows (numpy's SIMD power can differ from the scalar
    # one in the last bit, so the transforms are applied to the same arrays)
    inside = ((u[:, 0] >= 0.5) & (u[:, 0] <= 4.0) & (u[:, 1] >= 1.0) & (u[:, 1] <= 3.0)
              & (np.abs(u[:, 2]) <= 1.0))
    m, lam = u[inside, 0], 10.0 ** u[inside, 1]
    sign = np.where(u[inside, 2] >= 0, 1.0, -1.0)
    c = resolve({"sign": sign, "Lambda": lam}, derived)["C_Hnue_mu"]
    prior = -np.log(3.5) + -np.log(2.0) + -np.log(2.0)
    expect = np.full(len(u), -np.inf)
    expect[inside] = np.where(m < lam, -0.5 * f({"m_N": m, "C_Hnue_mu": c}) + prior, -np.inf)
    assert 20 < np.isfinite(expect).sum() < 200
    assert np.array_equal(got, expect)  # exactly


# ---- a chain is continued only by the run that would have made it (issue 9 item 6) -------
def _shifted(mu):
    def f(p):
        return ((p["m_N"] - mu) / SIGMA) ** 2 - (mu / SIGMA) ** 2
    return FunctionTerm("gauss", f, parameters=("m_N",))


def test_changed_data_value_refuses_resume_and_names_the_term(tmp_path):
    path = tmp_path / "chain.h5"
    sample_posterior(_shifted(2.0), PRIOR, nwalkers=8, nsteps=30, seed=1, backend_path=path,
                     progress=False)
    before = path.read_bytes()
    with pytest.raises(HnlfitError, match="different configuration") as exc:
        sample_posterior(_shifted(2.1), PRIOR, nwalkers=8, nsteps=60, seed=1,
                         backend_path=path, progress=False)
    msg = str(exc.value)
    assert "likelihood terms changed: gauss" in msg and "--restart" in msg
    assert path.read_bytes() == before  # the stored chain is untouched
    # the same data again continues; resume=False starts afresh
    assert sample_posterior(_shifted(2.0), PRIOR, nwalkers=8, nsteps=60, seed=1,
                            backend_path=path, progress=False).meta["nsteps_run"] == 30
    fresh = sample_posterior(_shifted(2.1), PRIOR, nwalkers=8, nsteps=20, seed=1,
                             backend_path=path, progress=False, resume=False)
    assert fresh.meta["nsteps_run"] == 20 and load_posterior(path).nsteps == 20


@pytest.mark.parametrize("change, words", [
    ({"seed": 2}, "seed: 1 -> 2"),
    ({"nwalkers": 10}, "nwalkers: 8 -> 10"),
    ({"priors": {"m_N": {"prior": "uniform", "min": 0.5, "max": 5.0}}}, "priors:"),
    ({"require_eft_valid": True, "priors": {**PRIOR, "Lambda": {"prior": "log_uniform",
                                                                 "min": 10, "max": 100}}},
     "require_eft_valid: false -> true"),
])
def test_any_setup_change_is_named(tmp_path, change, words):
    path = tmp_path / "chain.h5"
    kw = dict(nwalkers=8, nsteps=20, seed=1, progress=False, priors=PRIOR)
    sample_posterior(GAUSS, backend_path=path, **kw)
    with pytest.raises(HnlfitError, match="different configuration") as exc:
        sample_posterior(GAUSS, backend_path=path, **{**kw, **change, "nsteps": 40})
    assert words in str(exc.value)


def test_shorter_run_never_reuses_a_longer_chain(tmp_path):
    path = tmp_path / "chain.h5"
    sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=60, seed=1, backend_path=path,
                     progress=False)
    with pytest.raises(HnlfitError, match="longer chain"):
        sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=30, seed=1, backend_path=path,
                         progress=False)


def test_second_run_on_the_same_chain_fails_at_once(tmp_path):
    import time

    from hnlfit.fitter.chainfile import ChainLocked, exclusive_lock

    path = tmp_path / "chain.h5"
    with exclusive_lock(path):  # another run holds the chain
        t0 = time.perf_counter()
        with pytest.raises(ChainLocked, match="another hnlfit run .* is writing the chain"):
            sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, backend_path=path,
                             progress=False)
        assert time.perf_counter() - t0 < 2.0
        assert not path.exists()
    # released: the lock file is gone and the chain can be written
    assert not (tmp_path / "chain.h5.lock").exists()
    assert sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, backend_path=path,
                            progress=False).nsteps == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.h5"]


def test_signals_during_a_write_are_held_until_it_is_done():
    import os
    import signal

    from hnlfit.fitter.chainfile import held_signals

    done = []
    # Python's own SIGINT handler, whatever an earlier test of the session left installed
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with held_signals():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("wrote")  # reached: the interrupt waits for the block
    finally:
        signal.signal(signal.SIGINT, previous)
    assert done == ["wrote"]


_CHILD = '''
import signal, sys, time
import numpy as np
# a child inherits an ignored SIGINT from its parent (a test runner may leave it so); a user's
# shell starts it with Python's default handler, which is the case under test
signal.signal(signal.SIGINT, signal.default_int_handler)
from hnlfit.fitter import sample_posterior

class Slow:
    name = "gauss"
    def chi2(self, p):
        time.sleep(0.004)
        return ((p["m_N"] - 2.0) / 0.3) ** 2 - (2.0 / 0.3) ** 2
    def fingerprint(self):
        return "slow-gauss-1"

PRIOR = {"m_N": {"prior": "uniform", "min": 0.5, "max": 4.0}}
if __name__ == "__main__":
    sample_posterior(Slow(), PRIOR, nwalkers=8, nsteps=100000, seed=5,
                     backend_path=sys.argv[1], progress=False, flush_every=5)
'''


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_killed_run_keeps_whole_steps_no_temp_files_no_double_count(tmp_path, signame):
    import importlib.util
    import os
    import signal
    import subprocess
    import sys
    import time

    from hnlfit.fitter.chainfile import ChainLocked

    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    path = tmp_path / "out" / "chain.h5"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, str(script), str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    spec = importlib.util.spec_from_file_location("child", script)
    child = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(child)
    try:
        deadline = time.time() + 60
        while not path.exists() and time.time() < deadline:
            time.sleep(0.05)
        assert path.exists(), proc.stderr.read() if proc.poll() is not None else "no file"
        # a second run on the same chain while the first is running: refused at once
        with pytest.raises(ChainLocked):
            sample_posterior(child.Slow(), child.PRIOR, nwalkers=8, nsteps=100000, seed=5,
                             backend_path=path, progress=False)
        time.sleep(0.3)
        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["chain.h5"]  # no temp, no lock
    with h5py.File(path, "r") as f:
        g = f["mcmc"]
        steps = int(g.attrs["iteration"])
        assert g["chain"].shape[0] == g["accepted_steps"].shape[0] == steps > 0
        assert np.array_equal(g["accepted"][:], g["accepted_steps"][:].sum(axis=0))
    total = steps + 6
    resumed = sample_posterior(child.Slow(), child.PRIOR, nwalkers=8, nsteps=total, seed=5,
                               backend_path=path, progress=False)
    straight = sample_posterior(child.Slow(), child.PRIOR, nwalkers=8, nsteps=total, seed=5,
                                progress=False)
    assert np.array_equal(resumed.chain, straight.chain)
    assert np.array_equal(resumed.acceptance, straight.acceptance)


# ---- credible regions and quantiles as numbers (issue 10 items 3-4) ----------------------
def test_hpd_contours_of_a_gaussian_are_the_analytic_circles():
    from hnlfit.fitter.credible import (contour_lines, density_2d, hpd_levels,
                                        quantile_summary)

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 400_000))
    xc, yc, p = density_2d(x, y, (-5, 5), (-5, 5), bins=100, smooth=1.0)
    assert p.sum() == pytest.approx(1.0)
    for c, t in zip((0.68, 0.95), hpd_levels(p, (0.68, 0.95))):
        lines = contour_lines(xc, yc, p, t)
        pts = np.concatenate(lines)
        r = np.hypot(pts[:, 0], pts[:, 1])
        # HPD region of a 2-d standard normal: r^2 < -2 ln(1 - c); kernel 0.1 widens by 0.5%
        assert r.mean() == pytest.approx(np.sqrt(-2 * np.log(1 - c)), rel=0.02)
        assert r.std() < 0.03
    q = quantile_summary(0.3 * x + 2.0)
    assert q["q50"] == pytest.approx(2.0, abs=0.003)
    assert q["q84"] - q["q16"] == pytest.approx(0.6, rel=0.01)
    assert q["q97.5"] - q["q2.5"] == pytest.approx(2 * 1.96 * 0.3, rel=0.01)


def test_sign_is_split_into_panels_not_an_axis(tmp_path):
    from hnlfit.fitter.posterior_regions import posterior_regions, quantile_rows, regions_rows

    priors = {"Lambda": {"prior": "log_uniform", "min": 1e2, "max": 1e4},
              "sign": {"prior": "sign"}}
    r = sample_posterior(SIGNED, priors, derived={"C_Hnue_mu": "sign/Lambda**2"},
                         nwalkers=16, nsteps=400, seed=1, progress=False)
    reg = posterior_regions([r], ["toy"])
    assert [reg.names[k] for k in reg.continuous] == ["Lambda"]
    assert reg.conditions == [{"sign": -1.0}, {"sign": 1.0}]
    minus, plus = reg.cells[0][0], reg.cells[1][0]
    assert minus["probability"] > 0.99 and minus["drawn"] and not plus["drawn"]
    quant, rows = quantile_rows(reg)
    by_cond = {tuple(b["condition"].items()): b for b in quant["toy"]["conditions"]}
    assert by_cond[(("sign", -1.0),)]["parameters"]["Lambda"]["q50"] == \
        pytest.approx(1e3, rel=0.05)
    assert rows[0][:5] == ["dataset", "condition", "probability", "n_samples", "parameter"]
    out = r.corner_plot(tmp_path / "c.png")
    assert out.stat().st_size > 1000


def _card(tmp_path, value=2.5e-9):
    data = tmp_path / "my_amu.yaml"
    data.write_text(f"""dataset: seed
description: a user's own Delta a_mu (test)
measurements:
  - name: my_amu
    kind: gaussian
    observable: delta_a_mu
    value: {value}
    sigma: 6.0e-10
    unit: "1"
    year: 2025
    description: test value
    references:
      - arxiv: "2105.11462"
""")
    card = tmp_path / "toy_posterior.yaml"
    card.write_text(f"""kind: posterior
name: toy_posterior
title: "toy"
datasets: [seed]
data: [{data}]
likelihood: {{include: [my_amu]}}
parameters:
  m_N: {{prior: log_uniform, min: 100, max: 2000}}
  Lambda: {{prior: log_uniform, min: 300, max: 30000}}
  sign: {{prior: sign}}
fixed: {{U_mu: 0.003}}
derived: {{C_Hnue_mu: "sign/Lambda**2"}}
require_eft_valid: true
sampler: {{nwalkers: 8, nsteps: 60, burn: 20, thin: 2, seed: 3}}
quick: {{nsteps: 30, burn: 10}}
""")
    return card, data


def test_card_after_a_data_change_refuses_then_restarts(tmp_path):
    import csv

    from hnlfit.cards import run_card

    card, data = _card(tmp_path)
    out = tmp_path / "out"
    first = run_card(card, outdir=out, progress=False)
    folder = out / "toy_posterior"
    meta = json.loads((folder / "toy_posterior.json").read_text())
    assert meta["posteriors"]["seed"]["nsteps"] == 60
    regions = meta["credible_regions"]["regions"]
    assert meta["credible_regions"]["levels"] == [0.68, 0.95]
    assert {(e["x"], e["y"]) for e in regions} <= {("m_N", "Lambda")}
    with open(folder / "toy_posterior_quantiles.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["parameter"] for r in rows} == {"m_N", "Lambda"}
    assert (folder / "toy_posterior_credible_regions.csv").exists()
    assert first["paths"]["quantiles_csv"].exists()

    # --quick after the full run: its own chain, never the 60-step one
    quick = run_card(card, outdir=out, progress=False, quick=True)
    assert quick["summary"]["posteriors"]["seed"]["nsteps"] == 30
    assert (folder / "chain_seed.quick.h5").exists()
    assert load_posterior(folder / "chain_seed.h5").nsteps == 60

    # the user changes the measured value: the old chain is not returned
    data.write_text(data.read_text().replace("value: 2.5e-09", "value: 2.0e-09"))
    with pytest.raises(HnlfitError, match="different configuration") as exc:
        run_card(card, outdir=out, progress=False)
    assert "my_amu" in str(exc.value) and "--restart" in str(exc.value)
    again = run_card(card, outdir=out, progress=False, restart=True)
    assert again["summary"]["posteriors"]["seed"]["nsteps"] == 60
    assert not [p for p in folder.iterdir() if p.name.startswith(".") or
                p.suffix == ".lock"]


def test_cli_restart_flag_and_one_line_refusal(tmp_path, capsys):
    from hnlfit.cli import main

    card, data = _card(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(card), "--quick", "--out", str(out), "--no-progress"]) == 0
    data.write_text(data.read_text().replace("value: 2.5e-09", "value: 3.0e-09"))
    capsys.readouterr()
    code = main(["run", str(card), "--quick", "--out", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code != 0 and "different configuration" in err and "--restart" in err
    assert "Traceback" not in err
    assert main(["run", str(card), "--quick", "--out", str(out), "--no-progress",
                 "--restart"]) == 0


def test_concurrent_card_run_fails_at_once(tmp_path):
    from hnlfit.cards import run_card
    from hnlfit.fitter.chainfile import ChainLocked, exclusive_lock

    card, _ = _card(tmp_path)
    out = tmp_path / "out"
    with exclusive_lock(out / "toy_posterior" / "toy_posterior.run", "output folder"):
        with pytest.raises(ChainLocked, match="output folder"):
            run_card(card, outdir=out, progress=False, quick=True)
    assert not (out / "toy_posterior" / "chain_seed.quick.h5").exists()


def test_chain_from_emcee_or_a_broken_file_is_not_continued(tmp_path):
    import emcee

    old = tmp_path / "old.h5"  # a chain written by emcee's own backend (older hnlfit)
    backend = emcee.backends.HDFBackend(str(old), name="mcmc")
    sampler = emcee.EnsembleSampler(8, 1, lambda u: -0.5 * float(u[0]) ** 2, backend=backend)
    sampler.run_mcmc(np.random.default_rng(0).uniform(1, 2, (8, 1)), 5)
    with pytest.raises(HnlfitError, match="no recorded setup"):
        sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, backend_path=old,
                         progress=False)
    broken = tmp_path / "broken.h5"
    broken.write_bytes(b"not hdf5")
    with pytest.raises(HnlfitError, match="not a readable chain file"):
        sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, backend_path=broken,
                         progress=False)
    # starting afresh replaces either
    for path in (old, broken):
        r = sample_posterior(GAUSS, PRIOR, nwalkers=8, nsteps=20, backend_path=path,
                             progress=False, resume=False)
        assert load_posterior(path).nsteps == 20 == r.nsteps


def test_term_hash_follows_data_not_evaluation_history():
    import copy

    from hnlfit.fitter.fingerprint import term_fingerprints
    from hnlfit.likelihoods.measurements import build_likelihood
    from hnlfit.params import make_point

    like = build_likelihood("current")
    before = term_fingerprints(like)
    # an evaluation fills the terms' memos
    like.chi2(make_point(m_N=np.array([150.0, 900.0]), U_mu=np.array([1e-3, 4e-3]),
                         C_Hnue_mu=np.array([1e-6, -2e-7]), Lambda=np.array([1e3, 5e3])))
    assert term_fingerprints(like) == before
    term = like["delta_a_mu"]
    moved = copy.copy(term)
    moved.value = term.value * (1 + 1e-12)  # one measured value, changed in the 12th digit
    assert fingerprint(moved) != fingerprint(term)
