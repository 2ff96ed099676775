"""Posterior sampling: priors, toy Gaussian, seed reproducibility, HDF5 resume, corner."""
import json

import h5py
import numpy as np
import pytest

from hnlfit.errors import DataError, HnlfitError
from hnlfit.fitter import (LogUniform, Sign, Uniform, load_posterior, prior_from_spec,
                           sample_posterior)
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
