"""Throughput of the five nuSMEFT predictions, as ratios to a numpy baseline (one core).

    python benchmarks/bench_predictions.py [--n 1000000] [--repeat 7]

The predictions delta_a_mu, delta_a_e, br_mu_to_e_gamma, inv_half_life_xe136 and mu_h_mumu
(2105.11462) on random points in (m_N, Lambda, U_e, U_mu, C_Hnue_e, C_Hnue_mu), each one
vectorized ``hnlfit.predict`` call on a prebuilt Point, timed alone and as the sum of the five.
Each time is the minimum over ``--repeat`` runs, divided by the minimum time of the baseline
``np.log(np.exp(x) + 1)`` on ``--n`` doubles measured in the same process (the machine is
shared, so absolute times are noisy; the ratio is the figure to compare).

Only the public API is used (``hnlfit.make_point``, ``hnlfit.predict``), so the same script
measures an older checkout: ``PYTHONPATH=/path/to/old python benchmarks/bench_predictions.py``
run from outside the working tree.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import hnlfit  # noqa: E402

PREDICTIONS = ("delta_a_mu", "delta_a_e", "br_mu_to_e_gamma", "inv_half_life_xe136",
               "mu_h_mumu")


def random_params(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """m_N log-uniform in 100 GeV-2 TeV, Lambda above it, |U| in 1e-4..0.03, C = +-1/Lambda^2."""
    m_N = 10 ** rng.uniform(2.0, 3.3, n)
    lam = m_N * 10 ** rng.uniform(0.05, 1.5, n)
    return dict(m_N=m_N, Lambda=lam, U_mu=10 ** rng.uniform(-4, -1.5, n),
                U_e=10 ** rng.uniform(-4, -1.5, n),
                C_Hnue_mu=rng.choice([-1, 1], n) / lam ** 2,
                C_Hnue_e=rng.choice([-1, 1], n) / lam ** 2)


def best_of(f, repeat: int) -> float:
    """Minimum wall time of ``repeat`` calls of f (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def settle_allocator(n: int) -> None:
    """Free one 3n-double array first, so that both the code under test and the baseline see
    the same allocator: glibc raises its mmap threshold to the largest block freed so far,
    and below it 8n-byte arrays come from the heap, above it from fresh (page-faulting)
    mmaps.  Without this the baseline's speed depends on which arrays the code happened to
    free before it (2x between two versions of hnlfit on the same machine)."""
    np.ones(3 * n).sum()


def baseline(n: int, repeat: int) -> float:
    """Time of np.log(np.exp(x) + 1) on n doubles (the unit of every ratio)."""
    x = np.random.default_rng(0).standard_normal(n)
    return best_of(lambda: np.log(np.exp(x) + 1.0), repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    settle_allocator(args.n)
    p = hnlfit.make_point(**random_params(args.n, np.random.default_rng(1)))
    for name in PREDICTIONS:
        hnlfit.predict(name, p)          # warm-up: tables, caches

    def all_five():
        for name in PREDICTIONS:
            hnlfit.predict(name, p)

    t_base = baseline(args.n, args.repeat)
    times = {name: best_of(lambda: hnlfit.predict(name, p), args.repeat) for name in PREDICTIONS}
    times["all five"] = best_of(all_five, args.repeat)
    t_base = min(t_base, baseline(args.n, args.repeat))      # before and after: the minimum
    print(f"hnlfit from {os.path.dirname(hnlfit.__file__)}")
    print(f"baseline np.log(np.exp(x) + 1) on {args.n:,} doubles: {t_base * 1e3:.2f} ms")
    for name, t in times.items():
        print(f"  {name:<22} {t * 1e3:8.2f} ms   {t / t_base:6.1f} x baseline")

if __name__ == "__main__":
    main()
