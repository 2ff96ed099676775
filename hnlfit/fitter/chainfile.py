"""The chain file of a posterior: held in memory, written to HDF5 in blocks, atomically.

:class:`BlockedChain` is an emcee backend.  Each step is stored in memory (a few array
copies) and committed with one assignment, so an interruption anywhere in the step leaves
either the step complete or not there at all.  Every ``flush_every`` steps, every
``flush_seconds`` seconds, at the end of a run and when the run is interrupted, the whole
chain is written to a temporary file beside the chain file and renamed onto it
(:func:`hnlfit.io.atomic_path`): the file on disk is always a complete chain of whole steps,
even after a hard kill (SIGKILL, power loss) during a write.  SIGINT and SIGTERM arriving
during a write are held until it is done (:func:`held_signals`).

Acceptance is stored per step and walker (``accepted_steps``); the total ``accepted`` is
their sum over the stored steps, so no step can be counted twice.

The file keeps emcee's ``HDFBackend`` layout (group ``mcmc``: ``chain``, ``log_prob``,
``accepted``, attributes ``iteration``, ``nwalkers``, ``ndim``, ``random_state_*``), readable
with ``emcee.backends.HDFBackend(path, read_only=True)``, plus ``accepted_steps`` and the
attributes ``hnlfit_setup`` (JSON) and ``hnlfit_hash`` (:mod:`hnlfit.fitter.fingerprint`).

:func:`exclusive_lock` takes an advisory lock (``flock``) on ``<path>.lock``; a second run
on the same file fails at once.  The lock goes with the process, so a killed run leaves no
stale lock.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from .. import io
from ..errors import HnlfitError

__all__ = ["BlockedChain", "read_chain_setup", "exclusive_lock", "held_signals",
           "sigterm_raises", "ChainLocked"]

GROUP = "mcmc"
SETUP_ATTR = "hnlfit_setup"
HASH_ATTR = "hnlfit_hash"


class ChainLocked(HnlfitError):
    """Another run holds the lock on a chain or output folder."""


def _emcee_backend_base():
    import emcee

    return emcee.backends.Backend


class BlockedChain(_emcee_backend_base()):
    """emcee backend in memory, flushed to ``path`` (or nowhere if None) in blocks."""

    def __init__(self, path: str | Path | None = None, *, flush_every: int = 250,
                 flush_seconds: float = 30.0, setup: dict | None = None,
                 setup_hash: str | None = None):
        super().__init__()
        self.path = Path(path) if path is not None else None
        self.flush_every = max(int(flush_every), 1)
        self.flush_seconds = float(flush_seconds)
        self.setup = setup
        self.setup_hash = setup_hash
        self._committed = (0, None)
        self._flushed = 0
        self._last_flush = time.monotonic()

    # --- emcee's backend interface -------------------------------------------------
    def reset(self, nwalkers, ndim):
        self.nwalkers, self.ndim = int(nwalkers), int(ndim)
        self.chain = np.empty((0, self.nwalkers, self.ndim), dtype=self.dtype)
        self.log_prob = np.empty((0, self.nwalkers), dtype=self.dtype)
        self.accepted_steps = np.empty((0, self.nwalkers), dtype=bool)
        self.blobs = None
        self._committed = (0, None)
        self._flushed = 0
        self.initialized = True

    @property
    def iteration(self) -> int:
        return self._committed[0]

    @property
    def random_state(self):
        return self._committed[1]

    @property
    def accepted(self) -> np.ndarray:
        """Accepted proposals per walker, summed over the stored steps."""
        return self.accepted_steps[: self.iteration].sum(axis=0, dtype=np.float64)

    def grow(self, ngrow, blobs):
        if blobs is not None:
            raise HnlfitError("hnlfit chains do not store blobs")
        need = self.iteration + int(ngrow) - len(self.chain)
        if need > 0:
            self.chain = np.concatenate(
                (self.chain, np.empty((need, self.nwalkers, self.ndim), self.dtype)))
            self.log_prob = np.concatenate(
                (self.log_prob, np.empty((need, self.nwalkers), self.dtype)))
            self.accepted_steps = np.concatenate(
                (self.accepted_steps, np.zeros((need, self.nwalkers), bool)))

    def save_step(self, state, accepted):
        i = self.iteration
        if state.coords.shape != (self.nwalkers, self.ndim) or \
                np.shape(state.log_prob) != (self.nwalkers,):
            raise ValueError(f"step of shape {state.coords.shape}, expected "
                             f"{(self.nwalkers, self.ndim)}")
        self.chain[i] = state.coords
        self.log_prob[i] = state.log_prob
        self.accepted_steps[i] = accepted
        # the commit: step count and random state together, in one assignment
        self._committed = (i + 1, state.random_state)
        if (i + 1 - self._flushed >= self.flush_every
                or time.monotonic() - self._last_flush >= self.flush_seconds):
            self.flush()

    # --- the file ------------------------------------------------------------------
    @property
    def unflushed(self) -> int:
        return self.iteration - self._flushed

    def flush(self) -> None:
        """Write every committed step to the file (atomically); no-op without a path,
        without steps, or when nothing is new."""
        if self.path is None or self.iteration in (0, self._flushed):
            return
        n, rstate = self._committed
        with held_signals(), io.atomic_path(self.path, suffix=".h5") as tmp:
            _write_file(tmp, self, n, rstate)
        self._flushed = n
        self._last_flush = time.monotonic()

    def load(self) -> None:
        """Read the chain stored in ``path`` (whole steps only)."""
        import h5py

        with h5py.File(self.path, "r") as f:
            g = f[GROUP]
            n = int(g.attrs["iteration"])
            self.reset(int(g.attrs["nwalkers"]), int(g.attrs["ndim"]))
            self.chain = g["chain"][:n].astype(self.dtype)
            self.log_prob = g["log_prob"][:n].astype(self.dtype)
            if "accepted_steps" in g:
                self.accepted_steps = g["accepted_steps"][:n].astype(bool)
            else:
                raise HnlfitError(f"{self.path} has no per-step acceptance (written by "
                                  "emcee's own backend or an older hnlfit); start afresh")
            rstate = _read_random_state(g)
        self._committed = (n, rstate)
        self._flushed = n


def _write_file(tmp: Path, chain: BlockedChain, n: int, rstate) -> None:
    import emcee
    import h5py

    with h5py.File(tmp, "w") as f:
        g = f.create_group(GROUP)
        g.attrs["version"] = emcee.__version__
        g.attrs["nwalkers"] = chain.nwalkers
        g.attrs["ndim"] = chain.ndim
        g.attrs["has_blobs"] = False
        g.attrs["iteration"] = n
        g.create_dataset("chain", data=chain.chain[:n], maxshape=(None, chain.nwalkers,
                                                                  chain.ndim))
        g.create_dataset("log_prob", data=chain.log_prob[:n],
                         maxshape=(None, chain.nwalkers))
        acc = chain.accepted_steps[:n]
        g.create_dataset("accepted_steps", data=acc)
        g.create_dataset("accepted", data=acc.sum(axis=0, dtype=np.float64))
        if rstate is not None:
            for i, v in enumerate(rstate):
                g.attrs[f"random_state_{i}"] = v
        if chain.setup is not None:
            g.attrs[SETUP_ATTR] = json.dumps(chain.setup, sort_keys=True, default=str)
        if chain.setup_hash is not None:
            g.attrs[HASH_ATTR] = chain.setup_hash


def _read_random_state(g):
    items = sorted((int(k.rsplit("_", 1)[1]), v) for k, v in g.attrs.items()
                   if k.startswith("random_state_"))
    if not items:
        return None
    vals = [v for _, v in items]
    # numpy RandomState.get_state(): (str, uint32[624], int, int, float)
    name = vals[0].decode() if isinstance(vals[0], bytes) else str(vals[0])
    return (name, np.asarray(vals[1], dtype=np.uint32), int(vals[2]), int(vals[3]),
            float(vals[4]))


def read_chain_setup(path: str | Path) -> tuple[dict | None, str | None, int]:
    """``(setup, hash, steps)`` recorded in a chain file; ``(None, None, steps)`` for a file
    without a recorded setup.  A file that is not an HDF5 chain is an HnlfitError."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            if GROUP not in f:
                raise HnlfitError(f"{path} holds no chain (no group {GROUP!r})")
            g = f[GROUP]
            steps = int(g.attrs.get("iteration", 0))
            setup = json.loads(g.attrs[SETUP_ATTR]) if SETUP_ATTR in g.attrs else None
            h = g.attrs.get(HASH_ATTR)
            return setup, (str(h) if h is not None else None), steps
    except OSError as exc:
        raise HnlfitError(f"{path} is not a readable chain file ({exc}); remove it or "
                          "start afresh") from None


# --- signals -------------------------------------------------------------------------
def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM during the block; deliver the first one afterwards."""
    if not _in_main_thread():
        yield
        return
    got: list[int] = []
    sigs = (signal.SIGINT, signal.SIGTERM)
    old = {s: signal.getsignal(s) for s in sigs}
    for s in sigs:
        signal.signal(s, lambda signum, frame: got.append(signum))
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if got:
            signal.raise_signal(got[0])


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so that files are closed and locks released."""


def _raise_terminated(signum, frame):
    raise Terminated(f"terminated by signal {signum}")


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside: SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) instead of
    killing the process on the spot, so ``finally`` blocks run (a no-op outside the main
    thread, or when someone else already handles SIGTERM)."""
    if not _in_main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


# --- locks ---------------------------------------------------------------------------
@contextmanager
def exclusive_lock(path: str | Path, what: str = "chain") -> Iterator[Path]:
    """Hold an exclusive lock on ``path`` (the file ``<path>.lock``) or fail at once with
    :class:`ChainLocked`.  The lock file is removed on release."""
    import fcntl

    lock = Path(str(path) + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(20):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            finally:
                os.close(fd)
            raise ChainLocked(
                f"another hnlfit run (pid {holder}) is writing the {what} {path}; wait "
                "for it to finish, or use another output folder (--out)") from None
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the file was removed by the previous holder meanwhile: retry
    else:
        raise ChainLocked(f"could not lock {lock}")
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock
    finally:
        try:
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)
