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
identical chain; a chain stopped and resumed is the same, bit for bit, as one run straight
through (emcee's random state is stored with the last step).

The chain file (``backend_path``; :mod:`hnlfit.fitter.chainfile`): the chain is kept in
memory and written to HDF5 in blocks -- every ``flush_every`` steps or ``flush_seconds``,
at the end, and when the run is interrupted (Ctrl-C, SIGTERM, an exception in the
likelihood) -- each time to a temporary file renamed onto the chain, so the file always
holds whole steps, even after SIGKILL.  Acceptance is stored per step, so no step is
counted twice.  While sampling, ``<backend_path>.lock`` is held: a second run on the same
file fails at once.

Resuming: the file records the *setup* that determines the chain (:func:`chain_setup`:
content hashes of the likelihood's terms including their data, the likelihood's values at
fixed check points, priors, fixed and derived values, walkers, moves, seed, start,
versions, and the caller's ``provenance`` such as the data set's files).  With
``resume=True`` a stored chain is continued up to ``nsteps`` only if its setup hash is
equal and it is not longer than ``nsteps``; otherwise :class:`ChainMismatch` says what
changed and how to start afresh (``resume=False``, ``hnlfit run --restart``).
"""
from __future__ import annotations

import logging
import math
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .. import io
from ..errors import HnlfitError
from ..params import PARAMETERS, make_point
from .chainfile import (BlockedChain, exclusive_lock, read_chain_setup,
                        sigterm_raises)
from .expressions import resolve, valid_mask
from .fingerprint import describe_changes, probe_hash, setup_hash, term_fingerprints
from .priors import Prior, Sign, names_and_units, parse_priors, stack_bounds
from .scan import _clean, prepare_inputs

__all__ = ["sample_posterior", "load_posterior", "PosteriorResult", "LogPosterior",
           "corner_overlay"]



class LogPosterior:
    """Vectorized log-posterior over the priors' sampling coordinates (picklable).

    Built once per chain, so that a call does only what depends on the proposals: one
    support test of all coordinates against the stacked prior bounds, the physical values,
    the derived expressions, a validity mask only for the parameters that can leave their
    allowed range (derived ones, and sampled ones whose prior reaches the range's edge),
    and one likelihood call.  The arithmetic (and the rows handed to the likelihood) is
    that of the plain formula, so the log-posterior is the same to the last bit.
    """

    def __init__(self, term, priors: Mapping[str, Prior], fixed: Mapping[str, float],
                 derived: Mapping[str, str], require_eft_valid: bool = False):
        self.term = term
        self.names = list(priors)
        self.priors = [priors[n] for n in self.names]
        self.fixed = dict(fixed)
        self.derived = dict(derived)
        self.require_eft_valid = require_eft_valid
        self._lo, self._hi = stack_bounds(self.priors)
        # sum in the order of the priors, as sum(p.log_prob(...)) would add them
        self._log_norm = sum(-math.log(b - a) for a, b in (p.bounds for p in self.priors))
        self._transforms = [(n, p.to_value, k) for k, (n, p) in
                            enumerate(zip(self.names, self.priors))]
        self._checked = [n for n in self.derived if n in PARAMETERS] + \
            [n for n, p in zip(self.names, self.priors)
             if n in PARAMETERS and _may_leave_range(PARAMETERS[n], p)]
        if require_eft_valid:
            known = set(self.names) | set(self.fixed) | set(self.derived)
            if not {"m_N", "Lambda"} <= known:
                raise HnlfitError("require_eft_valid needs both m_N and Lambda (sampled, "
                                  "fixed or derived)")

    def log_prior(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        inside = np.all((u >= self._lo) & (u <= self._hi), axis=1)
        return np.where(inside, self._log_norm, -np.inf)

    def values(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Physical values of the sampled variables (columns of ``u``)."""
        u = np.atleast_2d(u)
        return {n: to_value(u[:, k]) for n, to_value, k in self._transforms}

    def chi2(self, u: np.ndarray) -> np.ndarray:
        """chi2 at the rows of ``u``; NaN where the point is invalid."""
        u = np.atleast_2d(u)
        n = u.shape[0]
        vals = self.values(u)
        vals.update(self.fixed)
        full = resolve(vals, self.derived, check_finite=False) if self.derived else vals
        params = {k: (v if np.shape(v) == (n,) else np.broadcast_to(v, (n,)))
                  for k, v in full.items() if k in PARAMETERS}
        ok = valid_mask({k: params[k] for k in self._checked}, n)
        out = np.full(n, np.nan)
        if ok.any():
            if not ok.all():
                params = {k: v[ok] for k, v in params.items()}
            point = make_point(**params)
            chi2 = np.asarray(self.term.chi2(point), dtype=np.float64)
            out[ok] = chi2
        if self.require_eft_valid:
            out = np.where(np.asarray(full["m_N"]) < np.asarray(full["Lambda"]), out, np.nan)
        return out

    def __call__(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        inside = np.all((u >= self._lo) & (u <= self._hi), axis=1)
        out = np.full(u.shape[0], -np.inf)
        if inside.any():
            chi2 = self.chi2(u if inside.all() else u[inside])
            res = np.where(np.isfinite(chi2), -0.5 * chi2 + self._log_norm, -np.inf)
            out[inside] = res
        return out


def _may_leave_range(spec, prior: Prior) -> bool:
    """Whether the prior's values can touch the edge of the parameter's allowed range (then
    each proposal is checked; otherwise the prior alone keeps it inside)."""
    lo, hi = prior.value_range()
    margin_lo = lo - spec.lower > 1e-9 * max(abs(lo), abs(spec.lower), 1e-300)
    margin_hi = spec.upper - hi > 1e-9 * max(abs(hi), abs(spec.upper), 1e-300)
    return not (margin_lo and margin_hi)


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


def _describe_moves(moves) -> list:
    if moves is None:
        return [["StretchMove(a=2.0)", 1.0]]
    out = []
    for move, weight in moves:
        inner = getattr(move, "proposal_function", None)
        text = type(move).__name__ + (f"({type(inner).__name__}{inner.columns})"
                                      if isinstance(inner, DiscreteJump) else
                                      f"(a={getattr(move, 'a', '?')})")
        out.append([text, weight])
    return out


N_PROBE = 64
PROBE_SEED = 20240917


def chain_setup(logpost: "LogPosterior", priors: Mapping[str, Prior], *, nwalkers: int,
                seed: int, moves, start: Mapping[str, float] | None,
                provenance: Mapping[str, Any] | None = None) -> dict:
    """Everything that determines a chain, as JSON-able components (see
    :mod:`hnlfit.fitter.fingerprint`): the likelihood's terms (content hashes), the
    likelihood's values at ``N_PROBE`` fixed points drawn from the priors (a hash), priors,
    fixed and derived values, walkers, moves, seed, start, hnlfit and emcee versions, and
    the caller's ``provenance`` (e.g. the data set's files) under ``data``."""
    import emcee

    from .._version import __version__

    terms = term_fingerprints(logpost.term)
    rng = np.random.default_rng(PROBE_SEED)
    probe = np.stack([p.sample(rng, N_PROBE) for p in priors.values()], axis=1)
    with np.errstate(all="ignore"):
        values = logpost.chi2(probe)
    return _clean({
        "names": list(priors),
        "likelihood": terms,
        "probe": probe_hash(values),
        "priors": {n: p.spec() for n, p in priors.items()},
        "fixed": dict(logpost.fixed), "derived": dict(logpost.derived),
        "require_eft_valid": bool(logpost.require_eft_valid),
        "nwalkers": int(nwalkers), "seed": int(seed), "moves": _describe_moves(moves),
        "start": dict(start or {}),
        "versions": {"hnlfit": __version__, "emcee": emcee.__version__},
        "data": dict(provenance or {}),
    })


class ChainMismatch(HnlfitError):
    """A stored chain was made with a different setup than the one asked for."""


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
                     backend_path: str | Path | None = None, progress: bool | str = True,
                     resume: bool = True, burn: int | None = None, thin: int = 1,
                     start: Mapping[str, float] | None = None,
                     require_eft_valid: bool = False,
                     provenance: Mapping[str, Any] | None = None,
                     flush_every: int = 250, flush_seconds: float = 30.0,
                     progress_label: str | None = None) -> "PosteriorResult":
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
        HDF5 chain file (:class:`~hnlfit.fitter.chainfile.BlockedChain`: emcee's layout,
        written every ``flush_every`` steps or ``flush_seconds`` seconds, at the end and on
        interruption, each time atomically); in memory only when None.  While sampling,
        ``<backend_path>.lock`` is held: a second run on the same file fails at once.
    resume : bool
        Continue the chain in ``backend_path`` if it has steps (only the missing steps
        up to ``nsteps`` are run) -- only if it was made with exactly this setup
        (:func:`chain_setup`; otherwise :class:`ChainMismatch` says what changed) and is
        not longer than ``nsteps``.  False starts afresh and replaces it.
    burn, thin : int
        Steps discarded at the start (default ``nsteps // 4``) and thinning of the flat
        samples.
    start : dict name -> value, optional
        Start those variables' walkers in a small ball around a value instead of
        drawing them from the prior.
    require_eft_valid : bool
        Posterior zero where ``m_N >= Lambda``.
    provenance : dict, optional
        Extra components of the setup recorded with the chain (e.g. the data set's name,
        selection and file hashes); a change refuses the resume like any other.
    progress, progress_label : show emcee's progress bar, with this description.
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
    moves = _moves(priors)
    path = Path(backend_path) if backend_path is not None else None
    lock = exclusive_lock(path, "chain") if path is not None else nullcontext()
    with lock, sigterm_raises():
        if path is not None:  # temporary files of a killed (SIGKILL) write: ours to remove
            for stale in path.parent.glob(f".{path.name}.*"):
                stale.unlink(missing_ok=True)
        setup = chain_setup(logpost, priors, nwalkers=nwalkers, seed=seed, moves=moves,
                            start=start, provenance=provenance) if path is not None else None
        backend = BlockedChain(path, flush_every=flush_every, flush_seconds=flush_seconds,
                               setup=setup,
                               setup_hash=setup_hash(setup) if setup is not None else None)
        done = _open_stored(backend, path, setup, resume, nwalkers, ndim, nsteps)
        t0 = time.perf_counter()
        sampler = emcee.EnsembleSampler(nwalkers, ndim, logpost, vectorize=True,
                                        backend=backend, moves=moves)
        remaining = nsteps - done
        bar = {"desc": progress_label} if progress_label else None
        try:
            if done == 0:
                rng = np.random.default_rng(seed)
                p0, lp0 = _initial_positions(logpost, rng, nwalkers, start)
                emcee_state = np.random.RandomState(int(rng.integers(0, 2**32))).get_state()
                state = emcee.State(p0, log_prob=lp0, random_state=emcee_state)
                sampler.run_mcmc(state, remaining, progress=progress, progress_kwargs=bar)
            elif remaining > 0:
                sampler.run_mcmc(backend.get_last_sample(), remaining, progress=progress,
                                 progress_kwargs=bar)
        except BaseException:
            unsaved = backend.unflushed
            backend.flush()
            if path is not None and backend.iteration:
                logging.getLogger("hnlfit").warning(
                    "interrupted: %s holds %d of %d steps (%d written now); run again to "
                    "continue the chain", path, backend.iteration, nsteps, unsaved)
            raise
        backend.flush()
        elapsed = time.perf_counter() - t0

    return _result_from_backend(backend, priors, fixed, derived, burn=burn, thin=thin,
                                seed=seed, path=path, nsteps_run=max(remaining, 0),
                                elapsed=elapsed, logpost=logpost)


def _open_stored(backend: "BlockedChain", path: Path | None, setup, resume: bool,
                 nwalkers: int, ndim: int, nsteps: int) -> int:
    """Load the stored chain to continue (checked against the setup) or start an empty
    one; returns the number of stored steps."""
    backend.reset(nwalkers, ndim)
    if path is None or not resume or not path.exists():
        return 0
    stored, stored_hash, steps = read_chain_setup(path)
    if steps == 0:
        return 0
    if stored_hash != setup_hash(setup):
        changes = describe_changes(stored, setup)
        raise ChainMismatch(
            f"{path} holds a chain of {steps} steps made with a different configuration "
            f"({'; '.join(changes) or 'the recorded hash differs'}); it is not continued. "
            "Start afresh with `hnlfit run --restart` (Python: resume=False), or write to "
            "another output folder (--out)")
    if steps > nsteps:
        raise ChainMismatch(
            f"{path} holds a longer chain ({steps} steps) than the {nsteps} asked for; a "
            "shorter run never reuses a longer chain. Use the full settings, another output "
            "folder (--out), or start afresh with `hnlfit run --restart` (Python: "
            "resume=False)")
    backend.load()
    if backend.shape != (nwalkers, ndim):
        raise ChainMismatch(f"{path} holds {backend.shape} walkers x dims, asked for "
                            f"{(nwalkers, ndim)}")
    return steps


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
    path = Path(backend_path)
    if not path.exists():
        raise HnlfitError(f"chain file {path} does not exist")
    setup, _, n = read_chain_setup(path)
    if setup is None:
        raise HnlfitError(f"{path} has no hnlfit chain (no recorded setup)")
    if n == 0:
        raise HnlfitError(f"{path} holds no steps yet")
    backend = BlockedChain(path)
    backend.load()
    priors = parse_priors({n: setup["priors"][n] for n in setup["names"]})
    return _result_from_backend(backend, priors, setup["fixed"], setup["derived"],
                                burn=n // 4 if burn is None else burn, thin=thin,
                                seed=setup["seed"], path=path, nsteps_run=0, elapsed=0.0)


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

    def corner_plot(self, path: str | Path, *, space: str = "physical", truths=None,
                    label: str | None = None, **corner_kwargs) -> Path:
        """Corner plot of the flat samples (labels with units), saved atomically."""
        return corner_overlay([self], path, labels=[label] if label else None, space=space,
                              truths=truths, **corner_kwargs)

    def __repr__(self) -> str:
        return (f"PosteriorResult({self.names}, nsteps={self.nsteps}, "
                f"nwalkers={self.nwalkers}, acceptance={self.acceptance_fraction:.2f})")


def corner_overlay(results: Sequence[PosteriorResult], path: str | Path, *,
                   labels: Sequence[str] | None = None, colors: Sequence[str] | None = None,
                   space: str = "physical", truths=None, title: str = "",
                   regions=None, **region_kwargs) -> Path:
    """One corner figure with several posteriors overlaid (same variables), saved
    atomically (:mod:`hnlfit.fitter.posterior_figure`): 68%/95% highest-density regions of
    the smoothed samples, one colour per posterior, one panel group per value of a
    discrete variable (a sign), never a sign axis.

    ``space="physical"`` draws log-uniform variables on log axes in their units,
    ``"sampling"`` as log10 on linear axes.  ``regions`` (from
    :func:`~hnlfit.fitter.posterior_regions.posterior_regions`) reuses computed regions;
    otherwise ``region_kwargs`` (levels, bins, bins1, min_smooth, min_effective) go to it.
    """
    from .posterior_figure import corner_figure
    from .posterior_regions import posterior_regions

    if not results:
        raise ValueError("corner_overlay needs at least one posterior")
    names = results[0].names
    for r in results[1:]:
        if r.names != names:
            raise ValueError(f"posteriors sample different variables: {names} vs {r.names}")
    if space not in ("sampling", "physical"):
        raise ValueError(f"space must be 'sampling' or 'physical', got {space!r}")
    labels = list(labels) if labels else [f"posterior {i + 1}" for i in range(len(results))]
    if regions is None:
        regions = posterior_regions(results, labels, **region_kwargs)
    return corner_figure(regions, path, colors=colors, space=space, title=title,
                         truths=truths)
