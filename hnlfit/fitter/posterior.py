"""Posterior sampling with emcee: declared priors, a fixed seed, a resumable HDF5 chain.

``log p(u) = -chi2(point(u)) / 2 + sum_i log prior_i(u_i)``, ``-inf`` outside the priors,
where a derived value is not finite, a parameter leaves its allowed range, chi2 is NaN, or
(``require_eft_valid``) ``m_N >= Lambda``.  The walkers move in the priors' sampling
coordinates (log10 for log-uniform priors, ``u`` in [-1, 1] for a sign; see
:mod:`hnlfit.fitter.priors`).  The sampler is ``emcee.EnsembleSampler(...,
vectorize=True)``: the log-probability receives the ``(n, ndim)`` array of proposals and
builds one Point from its columns, so each step is one vectorized likelihood call.

Reproducibility: ``seed`` seeds ``np.random.default_rng`` for the initial positions and,
through it, emcee's random state.  The same seed, settings and likelihood give an
identical chain.  The HDF5 backend stores emcee's random state with every step, so a run
that is stopped and resumed gives the same chain as one run straight through.

Resuming: with ``backend_path`` set, emcee's :class:`~emcee.backends.HDFBackend` writes
every step to the file (the file is opened, written and closed per step, and the step
counter is updated last).  If the run is interrupted (Ctrl-C, a time limit, an exception in
the likelihood) the file holds every completed step; calling :func:`sample_posterior`
again with ``resume=True`` continues from the last stored step up to ``nsteps`` in total.
The file also stores the sampling configuration (priors, fixed, derived, walkers, seed,
likelihood) and refuses to resume a different one.  A hard kill in the middle of an HDF5
write (SIGKILL, power loss) can still corrupt the file -- HDF5 has no journal; then start
again with ``resume=False``.  ``resume=False`` overwrites the chain in the file.
"""
from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .. import io
from ..errors import HnlfitError
from ..params import PARAMETERS, make_point
from .expressions import chi2_or_nan, resolve
from .priors import Prior, Sign, names_and_units, parse_priors
from .scan import _clean, prepare_inputs

__all__ = ["sample_posterior", "load_posterior", "PosteriorResult", "LogPosterior",
           "corner_overlay"]

GROUP = "mcmc"
CONFIG_ATTR = "hnlfit_config"


class LogPosterior:
    """Vectorized log-posterior over the priors' sampling coordinates (picklable)."""

    def __init__(self, term, priors: Mapping[str, Prior], fixed: Mapping[str, float],
                 derived: Mapping[str, str], require_eft_valid: bool = False):
        self.term = term
        self.names = list(priors)
        self.priors = [priors[n] for n in self.names]
        self.fixed = dict(fixed)
        self.derived = dict(derived)
        self.require_eft_valid = require_eft_valid

    def log_prior(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        return sum(p.log_prob(u[:, k]) for k, p in enumerate(self.priors))

    def values(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Physical values of the sampled variables (columns of ``u``)."""
        u = np.atleast_2d(u)
        return {n: p.to_value(u[:, k]) for k, (n, p) in enumerate(zip(self.names, self.priors))}

    def chi2(self, u: np.ndarray) -> np.ndarray:
        """chi2 at the rows of ``u``; NaN where the point is invalid."""
        u = np.atleast_2d(u)
        n = u.shape[0]
        vals = self.values(u)
        vals.update(self.fixed)
        full = resolve(vals, self.derived, check_finite=False)
        chi2 = chi2_or_nan(self.term, full, None, n)
        if self.require_eft_valid:
            m_n = np.broadcast_to(full["m_N"], (n,)) if "m_N" in full else None
            lam = np.broadcast_to(full["Lambda"], (n,)) if "Lambda" in full else None
            if m_n is None or lam is None:
                raise HnlfitError("require_eft_valid needs both m_N and Lambda (sampled, "
                                  "fixed or derived)")
            chi2 = np.where(m_n < lam, chi2, np.nan)
        return chi2

    def __call__(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        lp = self.log_prior(u)
        out = np.full(u.shape[0], -np.inf)
        ok = np.isfinite(lp)
        if ok.any():
            chi2 = self.chi2(u[ok])
            good = np.isfinite(chi2)
            res = np.full(chi2.shape, -np.inf)
            res[good] = -0.5 * chi2[good] + lp[ok][good]
            out[ok] = res
        return out


class DiscreteJump:
    """Metropolis proposal for the discrete coordinates (sign, choice priors).

    Each walker picks one discrete coordinate at random and moves it to another value:
    a sign flips, ``u -> -u``; a choice shifts ``u -> (u + j) mod k`` with ``j`` uniform in
    ``1..k-1``.  Both are symmetric and keep the uniform prior, so the Metropolis ratio is
    the likelihood ratio.  Without it a walker left on the wrong sign can be stranded: the
    stretch move only crosses ``u = 0`` along lines through other walkers, which often land
    far from the mode in the continuous coordinates.
    """

    def __init__(self, columns: Sequence[int], priors: Sequence[Prior]):
        self.columns = list(columns)
        self.priors = list(priors)

    def __call__(self, coords: np.ndarray, random) -> tuple[np.ndarray, np.ndarray]:
        q = np.array(coords, dtype=np.float64, copy=True)
        n = q.shape[0]
        pick = random.randint(len(self.columns), size=n)
        for j, (col, prior) in enumerate(zip(self.columns, self.priors)):
            rows = np.flatnonzero(pick == j)
            if rows.size == 0:
                continue
            if isinstance(prior, Sign):
                q[rows, col] = -q[rows, col]
            else:
                k = len(prior.values)
                q[rows, col] = (q[rows, col] + random.randint(1, k, size=rows.size)) % k
        return q, np.zeros(n)


def _moves(priors: Mapping[str, Prior]):
    """Stretch moves; plus discrete jumps (25%) when a sign or choice is sampled."""
    import emcee

    discrete = [(k, p) for k, p in enumerate(priors.values()) if p.kind in ("sign", "choice")]
    if not discrete:
        return None
    jump = emcee.moves.MHMove(DiscreteJump([k for k, _ in discrete], [p for _, p in discrete]))
    return [(emcee.moves.StretchMove(), 0.75), (jump, 0.25)]


def _config(term, priors, fixed, derived, nwalkers, seed, require_eft_valid) -> dict:
    return _clean({"names": list(priors), "priors": {n: p.spec() for n, p in priors.items()},
                   "fixed": dict(fixed), "derived": dict(derived), "nwalkers": nwalkers,
                   "seed": seed, "likelihood": repr(term),
                   "require_eft_valid": bool(require_eft_valid)})


def _read_config(path: Path) -> dict | None:
    import h5py

    with h5py.File(path, "r") as f:
        if GROUP not in f or CONFIG_ATTR not in f[GROUP].attrs:
            return None
        return json.loads(f[GROUP].attrs[CONFIG_ATTR])


def _write_config(path: Path, config: dict) -> None:
    import h5py

    with h5py.File(path, "a") as f:
        f[GROUP].attrs[CONFIG_ATTR] = json.dumps(config)


def _check_prior_ranges(priors: Mapping[str, Prior]) -> None:
    """Every value a prior can produce must be allowed for its parameter."""
    for name, p in priors.items():
        if name not in PARAMETERS:
            continue
        lo, hi = p.value_range()
        spec = PARAMETERS[name]
        # an open lower edge equal to the prior's lower edge is fine (measure zero)
        lo_test = np.nextafter(lo, math.inf) if spec.strict_lower and lo == spec.lower else lo
        for v in (lo_test, hi):
            try:
                make_point(**{name: v})
            except HnlfitError as exc:
                raise HnlfitError(f"prior of {name!r} [{lo:g}, {hi:g}] reaches outside the "
                                  f"allowed range: {exc}") from None


def _initial_positions(logpost: LogPosterior, rng: np.random.Generator, nwalkers: int,
                       start: Mapping[str, float] | None, max_tries: int = 1000):
    priors = logpost.priors
    start = dict(start or {})
    unknown = sorted(set(start) - set(logpost.names))
    if unknown:
        raise HnlfitError(f"start values given for {unknown}, which are not sampled "
                          f"({', '.join(logpost.names)})")

    def draw(n):
        cols = []
        for name, p in zip(logpost.names, priors):
            a, b = p.bounds
            if name in start:
                c = float(p.to_coord(start[name]))
                if not a <= c <= b:
                    raise HnlfitError(f"start value of {name!r} is outside its prior")
                col = c + 1e-3 * (b - a) * rng.standard_normal(n)
                col = np.clip(col, a, b)
            else:
                col = p.sample(rng, n)
            cols.append(col)
        return np.stack(cols, axis=1)

    p0 = draw(nwalkers)
    lp = logpost(p0)
    for _ in range(max_tries):
        bad = ~np.isfinite(lp)
        if not bad.any():
            return p0, lp
        p0[bad] = draw(int(bad.sum()))
        lp[bad] = logpost(p0[bad])
    raise HnlfitError(f"could not place {int((~np.isfinite(lp)).sum())} of {nwalkers} walkers "
                      f"where the posterior is finite after {max_tries} draws from the prior; "
                      "check the priors, the fixed values and require_eft_valid")


def sample_posterior(term, priors: Mapping[str, Any], fixed: Mapping[str, Any] | None = None,
                     derived: Mapping[str, str] | None = None, *, nwalkers: int = 32,
                     nsteps: int = 2000, seed: int = 0,
                     backend_path: str | Path | None = None, progress: bool = True,
                     resume: bool = True, burn: int | None = None, thin: int = 1,
                     start: Mapping[str, float] | None = None,
                     require_eft_valid: bool = False) -> "PosteriorResult":
    """Sample the posterior of ``term`` under ``priors`` with emcee.

    Parameters
    ----------
    term : Term
        The likelihood (chi2 relative to the no-HNL point).
    priors : dict name -> Prior or run-card spec (``{prior: log_uniform, min, max}``)
        The sampled variables: model parameters or auxiliary variables (e.g. ``sign``)
        read by ``derived``.
    fixed, derived : as for :func:`~hnlfit.fitter.scan.grid_scan`.
    nwalkers, nsteps : int
        Walkers (>= 2 ndim) and the *total* number of steps of the chain.
    seed : int
        Seeds the initial positions and emcee's random state.
    backend_path : path, optional
        HDF5 file of the chain (emcee ``HDFBackend``); in memory when None.
    resume : bool
        Continue the chain in ``backend_path`` if it has steps (only the missing steps
        up to ``nsteps`` are run); False starts afresh and overwrites it.
    burn, thin : int
        Steps discarded at the start (default ``nsteps // 4``) and thinning of the flat
        samples.
    start : dict name -> value, optional
        Start those variables' walkers in a small ball around a value instead of
        drawing them from the prior.
    require_eft_valid : bool
        Posterior zero where ``m_N >= Lambda``.
    """
    import emcee

    priors = parse_priors(priors)
    fixed, derived = prepare_inputs({n: None for n in priors}, fixed, derived)
    _check_prior_ranges(priors)
    ndim = len(priors)
    if nwalkers < 2 * ndim:
        raise HnlfitError(f"emcee needs nwalkers >= 2 * ndim = {2 * ndim}, got {nwalkers}")
    if nwalkers % 2:
        raise HnlfitError(f"nwalkers must be even for emcee's stretch move, got {nwalkers}")
    if nsteps < 1:
        raise HnlfitError(f"nsteps must be >= 1, got {nsteps}")
    burn = nsteps // 4 if burn is None else int(burn)
    if not 0 <= burn < nsteps:
        raise HnlfitError(f"burn must be in [0, nsteps) = [0, {nsteps}), got {burn}")

    logpost = LogPosterior(term, priors, fixed, derived, require_eft_valid)
    config = _config(term, priors, fixed, derived, nwalkers, seed, require_eft_valid)

    path = Path(backend_path) if backend_path is not None else None
    done = 0
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        backend = emcee.backends.HDFBackend(str(path), name=GROUP)
        if resume and backend.initialized and backend.iteration > 0:
            stored = _read_config(path)
            if stored != config:
                diff = sorted(k for k in set(config) | set(stored or {})
                              if (stored or {}).get(k) != config.get(k))
                raise HnlfitError(
                    f"{path} holds a chain with a different configuration (differs in: "
                    f"{', '.join(diff)}); use resume=False to overwrite it, or another path")
            if tuple(backend.shape) != (nwalkers, ndim):
                raise HnlfitError(f"{path} holds {backend.shape} walkers x dims, asked for "
                                  f"{(nwalkers, ndim)}")
            done = int(backend.iteration)
        else:
            backend.reset(nwalkers, ndim)
            _write_config(path, config)
    else:
        backend = emcee.backends.Backend()
        backend.reset(nwalkers, ndim)

    t0 = time.perf_counter()
    sampler = emcee.EnsembleSampler(nwalkers, ndim, logpost, vectorize=True, backend=backend,
                                    moves=_moves(priors))
    remaining = nsteps - done
    if done == 0:
        rng = np.random.default_rng(seed)
        p0, lp0 = _initial_positions(logpost, rng, nwalkers, start)
        emcee_state = np.random.RandomState(int(rng.integers(0, 2**32))).get_state()
        state = emcee.State(p0, log_prob=lp0, random_state=emcee_state)
        sampler.run_mcmc(state, remaining, progress=progress)
    elif remaining > 0:
        sampler.run_mcmc(backend.get_last_sample(), remaining, progress=progress)
    elapsed = time.perf_counter() - t0

    return _result_from_backend(backend, priors, fixed, derived, burn=burn, thin=thin,
                                seed=seed, path=path, nsteps_run=max(remaining, 0),
                                elapsed=elapsed, logpost=logpost)


def _result_from_backend(backend, priors, fixed, derived, *, burn, thin, seed, path,
                         nsteps_run, elapsed, logpost=None) -> "PosteriorResult":
    import emcee

    chain = backend.get_chain()
    log_prob = backend.get_log_prob()
    nsteps = chain.shape[0]
    if burn >= nsteps:
        raise HnlfitError(f"burn = {burn} leaves no samples of a chain of {nsteps} steps")
    accept = np.asarray(backend.accepted, dtype=np.float64) / max(nsteps, 1)
    log = logging.getLogger("emcee.autocorr")
    level = log.level
    log.setLevel(logging.ERROR)  # "chain shorter than 50 tau": reported in meta instead
    try:
        tau = emcee.autocorr.integrated_time(chain[burn:], quiet=True)
    except Exception:  # noqa: BLE001 -- e.g. a constant column
        tau = np.full(chain.shape[2], np.nan)
    finally:
        log.setLevel(level)
    tau = np.asarray(tau, dtype=np.float64)
    reliable = bool(np.all(np.isfinite(tau)) and (nsteps - burn) > 50 * np.max(tau))
    if logpost is None:
        logpost = LogPosterior(None, priors, fixed, derived)
    return PosteriorResult(names=list(priors), priors=dict(priors), chain=chain,
                           log_prob=log_prob, log_prior=logpost.log_prior(
                               chain.reshape(-1, chain.shape[2])).reshape(chain.shape[:2]),
                           burn=burn, thin=int(thin), acceptance=accept,
                           autocorr=tau, seed=seed,
                           backend_path=path, fixed=dict(fixed), derived=dict(derived),
                           meta={"nsteps_run": nsteps_run, "elapsed_s": elapsed,
                                 "autocorr_reliable": reliable})


def load_posterior(backend_path: str | Path, *, burn: int | None = None,
                   thin: int = 1) -> "PosteriorResult":
    """Rebuild a :class:`PosteriorResult` from a chain file written by sample_posterior."""
    import emcee

    path = Path(backend_path)
    if not path.exists():
        raise HnlfitError(f"chain file {path} does not exist")
    config = _read_config(path)
    if config is None:
        raise HnlfitError(f"{path} has no hnlfit chain (group {GROUP!r} with its config)")
    backend = emcee.backends.HDFBackend(str(path), name=GROUP, read_only=True)
    priors = parse_priors(config["priors"])
    n = int(backend.iteration)
    if n == 0:
        raise HnlfitError(f"{path} holds no steps yet")
    return _result_from_backend(backend, priors, config["fixed"], config["derived"],
                                burn=n // 4 if burn is None else burn, thin=thin,
                                seed=config["seed"], path=path, nsteps_run=0, elapsed=0.0)


@dataclass
class PosteriorResult:
    """A chain and what it means.

    ``chain`` (nsteps, nwalkers, ndim) and the flat ``coords`` are in the priors' sampling
    coordinates; ``samples`` are physical values; both flat arrays drop ``burn`` steps and
    keep every ``thin``-th.  ``acceptance`` is per walker over the whole chain;
    ``autocorr`` the integrated autocorrelation time per variable (after burn-in; a
    rough estimate when the chain is shorter than 50 tau -- then
    ``meta["autocorr_reliable"]`` is False -- and NaN if undefined).
    """

    names: list[str]
    priors: dict[str, Prior]
    chain: np.ndarray
    log_prob: np.ndarray
    log_prior: np.ndarray
    burn: int
    thin: int
    acceptance: np.ndarray
    autocorr: np.ndarray
    seed: int
    backend_path: Path | None = None
    fixed: dict[str, float] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def nsteps(self) -> int:
        return self.chain.shape[0]

    @property
    def nwalkers(self) -> int:
        return self.chain.shape[1]

    @property
    def units(self) -> list[str]:
        return names_and_units(self.priors)[1]

    @property
    def acceptance_fraction(self) -> float:
        return float(np.mean(self.acceptance))

    @property
    def coords(self) -> np.ndarray:
        """Flat samples in sampling coordinates, (n, ndim)."""
        c = self.chain[self.burn::self.thin]
        return c.reshape(-1, c.shape[2])

    @property
    def samples(self) -> np.ndarray:
        """Flat samples of the physical values, (n, ndim)."""
        u = self.coords
        return np.stack([p.to_value(u[:, k]) for k, p in enumerate(self.priors.values())],
                        axis=1)

    @property
    def chi2(self) -> np.ndarray:
        """chi2 (relative to no-HNL) of each flat sample: -2 (log_prob - log_prior)."""
        lp = self.log_prob[self.burn::self.thin].ravel()
        pr = self.log_prior[self.burn::self.thin].ravel()
        return -2.0 * (lp - pr)

    def sample_dict(self) -> dict[str, np.ndarray]:
        s = self.samples
        return {n: s[:, k] for k, n in enumerate(self.names)}

    def labels(self, space: str = "sampling") -> list[str]:
        """Axis labels with units: ``log10(Lambda / GeV)``, ``m_N [GeV]``, ..."""
        out = []
        for (n, p), unit in zip(self.priors.items(), self.units):
            if space == "sampling":
                out.append(p.coord_label(n, unit))
            else:
                u = "" if unit in ("", "1") else unit
                lab = p.label or n
                out.append(f"{lab} [{u}]" if u else lab)
        return out

    def summary(self) -> dict[str, Any]:
        """Per variable: mean, std and 16/50/84% quantiles of the physical value (sign and
        choice variables: the posterior probability of each value)."""
        s = self.samples
        out: dict[str, Any] = {}
        for k, (n, p) in enumerate(self.priors.items()):
            col = s[:, k]
            if isinstance(p, Sign) or p.kind == "choice":
                vals = (-1.0, 1.0) if isinstance(p, Sign) else p.values
                out[n] = {"probabilities": {f"{v:g}": float(np.mean(col == v)) for v in vals}}
            else:
                q16, q50, q84 = np.percentile(col, [16, 50, 84])
                out[n] = {"mean": float(col.mean()), "std": float(col.std()),
                          "q16": float(q16), "median": float(q50), "q84": float(q84)}
        chi2 = self.chi2
        best = int(np.argmin(chi2)) if chi2.size else None
        return _clean({
            "parameters": out,
            "best_sample": ({n: float(s[best, k]) for k, n in enumerate(self.names)}
                            | {"chi2": float(chi2[best])}) if best is not None else None,
            "n_samples": int(s.shape[0]), "nsteps": self.nsteps, "nwalkers": self.nwalkers,
            "burn": self.burn, "thin": self.thin,
            "acceptance_fraction": self.acceptance_fraction,
            "autocorr_time": dict(zip(self.names, self.autocorr.tolist())),
            "seed": self.seed, "priors": {n: p.spec() for n, p in self.priors.items()},
            "fixed": self.fixed, "derived": self.derived,
            "backend": str(self.backend_path) if self.backend_path else None,
            "meta": self.meta})

    def to_json(self, path: str | Path) -> Path:
        """The :meth:`summary`, written atomically."""
        return io.write_json(path, self.summary())

    def to_npz(self, path: str | Path) -> Path:
        """Flat samples (physical and sampling coordinates), chi2 and names, atomically."""
        return io.write_npz(path, names=np.array(self.names), samples=self.samples,
                            coords=self.coords, chi2=self.chi2,
                            acceptance=self.acceptance, autocorr=self.autocorr)

    def corner_plot(self, path: str | Path, *, space: str = "sampling", truths=None,
                    label: str | None = None, **corner_kwargs) -> Path:
        """Corner plot of the flat samples (labels with units), saved atomically."""
        return corner_overlay([self], path, labels=[label] if label else None, space=space,
                              truths=truths, **corner_kwargs)

    def __repr__(self) -> str:
        return (f"PosteriorResult({self.names}, nsteps={self.nsteps}, "
                f"nwalkers={self.nwalkers}, acceptance={self.acceptance_fraction:.2f})")


def corner_overlay(results: Sequence[PosteriorResult], path: str | Path, *,
                   labels: Sequence[str] | None = None, colors: Sequence[str] | None = None,
                   space: str = "sampling", truths=None, title: str = "",
                   **corner_kwargs) -> Path:
    """One corner plot with several posteriors overlaid (same variables), saved
    atomically with :func:`hnlfit.io.save_figure`.

    ``space="sampling"`` plots the sampling coordinates (log10 of log-uniform variables,
    ``u`` of a sign), ``"physical"`` the values.  Each posterior's histograms are
    normalised, so chains of different length compare.
    """
    import corner
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if not results:
        raise ValueError("corner_overlay needs at least one posterior")
    names = results[0].names
    for r in results[1:]:
        if r.names != names:
            raise ValueError(f"posteriors sample different variables: {names} vs {r.names}")
    if space not in ("sampling", "physical"):
        raise ValueError(f"space must be 'sampling' or 'physical', got {space!r}")
    data = [r.coords if space == "sampling" else r.samples for r in results]
    ranges = []
    for k in range(len(names)):
        lo = min(float(np.min(d[:, k])) for d in data)
        hi = max(float(np.max(d[:, k])) for d in data)
        pad = 0.02 * (hi - lo) if hi > lo else max(abs(lo) * 0.1, 0.5)
        ranges.append((lo - pad, hi + pad))
    colors = list(colors or [f"C{i}" for i in range(len(results))])
    fig = None
    kw = dict(labels=results[0].labels(space), range=ranges, smooth=None,
              plot_datapoints=False, levels=(0.68, 0.95), label_kwargs={"fontsize": 11})
    kw.update(corner_kwargs)
    for i, d in enumerate(data):
        fig = corner.corner(d, fig=fig, color=colors[i % len(colors)],
                            weights=np.full(d.shape[0], 1.0 / d.shape[0]),
                            truths=truths if i == 0 else None, **kw)
    # corner scales each diagonal histogram to the first data set drawn; rescale so that
    # every overlaid (normalised) histogram fits
    ndim = len(names)
    bins = kw.get("bins", 20)
    for k in range(ndim):
        peak = max(np.histogram(d[:, k], bins=bins, range=ranges[k],
                                weights=np.full(d.shape[0], 1.0 / d.shape[0]))[0].max()
                   for d in data)
        fig.axes[k * ndim + k].set_ylim(0.0, 1.1 * peak)
    if labels:
        handles = [Line2D([], [], color=colors[i % len(colors)], label=lab)
                   for i, lab in enumerate(labels)]
        fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.98, 0.93),
                   frameon=False, fontsize=12)
    if title:
        fig.suptitle(title, x=0.02, y=0.995, ha="left", fontsize=13)
    try:
        return io.save_figure(fig, path, dpi=120)
    finally:
        plt.close(fig)
