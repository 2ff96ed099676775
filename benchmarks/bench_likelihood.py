"""Throughput of the combined seed-004 likelihood (points per second, one core).

    python benchmarks/bench_likelihood.py [--n 1000000] [--dataset seed]

Evaluates build_likelihood(dataset) -- every default term: Delta a_mu, Delta a_e, mu->e gamma,
0vbb, h->mumu, h->ee, d_e, CMS tables, CKM -- on random points in (m_N, Lambda, U_e, U_mu,
C_e, C_mu), in one vectorized call per batch. Prints per-term timings too.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import hnlfit  # noqa: E402


def random_point(n: int, rng: np.random.Generator):
    m_N = 10 ** rng.uniform(2.0, 3.3, n)
    Lam = m_N * 10 ** rng.uniform(0.05, 1.5, n)
    return hnlfit.make_point(
        m_N=m_N, Lambda=Lam, U_mu=10 ** rng.uniform(-4, -1.5, n),
        U_e=10 ** rng.uniform(-4, -1.5, n),
        C_Hnue_mu=rng.choice([-1, 1], n) / Lam**2, C_Hnue_e=rng.choice([-1, 1], n) / Lam**2)


def best_of(f, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dataset", default="seed")
    args = ap.parse_args()
    like = hnlfit.build_likelihood(args.dataset)
    p = random_point(args.n, np.random.default_rng(1))
    like(p)  # warm-up: loads tables, fills caches
    t = best_of(lambda: like(p))
    print(f"combined '{args.dataset}' likelihood ({len(like.terms)} terms) on {args.n:,} points:"
          f" {t:.3f} s  ->  {args.n / t:,.0f} points/s")
    t_point = best_of(lambda: random_point(args.n, np.random.default_rng(1)), 3)
    print(f"  building and validating the Point:           {t_point:.3f} s")
    for term in like.terms:
        tt = best_of(lambda: term.chi2(p), 3)
        print(f"  {term.name:<28} {tt * 1e3:8.1f} ms   {args.n / tt:14,.0f} points/s")


if __name__ == "__main__":
    main()
