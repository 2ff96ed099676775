"""Speed of the combined likelihood ``build_likelihood(dataset)``, as a ratio to a numpy
baseline at 10^6 points and in milliseconds per call at 16 points (the sampler's size).

    python benchmarks/bench_likelihood.py [--n 1000000] [--dataset seed] [--repeat 5]

Big batch: every default term of the data set (seed: Delta a_mu, Delta a_e, mu -> e gamma,
0vbb, h -> mumu, h -> ee, d_e, the CMS tables, CKM) on random points in
(m_N, Lambda, U_e, U_mu, C_Hnue_e, C_Hnue_mu) prebuilt as one Point; the time is the minimum
over ``--repeat`` calls divided by the minimum time of ``np.log(np.exp(x) + 1)`` on ``--n``
doubles measured in the same process.  Per-term times follow (``term.chi2`` alone).

Small calls: ``like(**params)`` with 16-element arrays, the way the posterior sampler calls
it (32 walkers, half of them per stretch move), *including* building and validating the
Point.  Two parameter sets: the g2_posterior card's (m_N, Lambda, U_mu, C_Hnue_mu; the
electron couplings at their default 0) and the six-parameter point of the big batch.

Only the public API is used, so ``PYTHONPATH=/path/to/old python benchmarks/...`` (run from
outside the working tree) measures an older checkout the same way.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import hnlfit  # noqa: E402
from bench_predictions import baseline, best_of, random_params, settle_allocator  # noqa: E402

SAMPLER_PARAMS = ("m_N", "Lambda", "U_mu", "C_Hnue_mu")


def per_call_ms(like, params: dict, calls: int, repeat: int) -> float:
    """Minimum over ``repeat`` of the mean time of ``calls`` calls of like(**params), in ms."""
    def run():
        for _ in range(calls):
            like(**params)
    return best_of(run, repeat) / calls * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dataset", default="seed")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--calls", type=int, default=400, help="small calls per timing")
    args = ap.parse_args()
    settle_allocator(args.n)
    like = hnlfit.build_likelihood(args.dataset)
    p = hnlfit.make_point(**random_params(args.n, np.random.default_rng(1)))
    like(p)                                   # warm-up: loads tables, fills caches
    t_base = baseline(args.n, args.repeat)
    t = best_of(lambda: like(p), args.repeat)
    terms = {term.name: best_of(lambda: term.chi2(p), args.repeat) for term in like.terms}
    t_point = best_of(lambda: hnlfit.make_point(**random_params(args.n,
                                                                np.random.default_rng(1))), 3)
    # the CKM term alone on blocks of 32768 points (the block size of the combined call)
    params = random_params(args.n, np.random.default_rng(1))
    parts = [hnlfit.make_point(**{k: v[lo:lo + 32768] for k, v in params.items()})
             for lo in range(0, args.n, 32768)]
    ckm = like["ckm_first_row"] if "ckm_first_row" in [t.name for t in like.terms] else None
    t_ckm_blocks = (best_of(lambda: [ckm.chi2(q) for q in parts], args.repeat)
                    if ckm is not None else None)
    t_base = min(t_base, baseline(args.n, args.repeat))
    print(f"hnlfit from {os.path.dirname(hnlfit.__file__)}")
    print(f"baseline np.log(np.exp(x) + 1) on {args.n:,} doubles: {t_base * 1e3:.2f} ms")
    print(f"combined '{args.dataset}' likelihood ({len(like.terms)} terms) on {args.n:,} points:"
          f" {t * 1e3:.1f} ms  {t / t_base:6.1f} x baseline  ({args.n / t:,.0f} points/s)")
    for name, tt in terms.items():
        print(f"  {name:<28} {tt * 1e3:8.1f} ms  {tt / t_base:6.1f} x baseline")
    if t_ckm_blocks is not None:
        print(f"  ckm_first_row in blocks of 32768: {t_ckm_blocks * 1e3:8.1f} ms  "
              f"{t_ckm_blocks / t_base:6.1f} x baseline")
    print(f"  (drawing + validating the Point: {t_point * 1e3:.1f} ms, not in the figures above)")

    small = random_params(16, np.random.default_rng(2))
    for label, params in (("sampler point (m_N, Lambda, U_mu, C_Hnue_mu)",
                           {k: small[k] for k in SAMPLER_PARAMS}),
                          ("six-parameter point", small)):
        like(**params)
        ms = per_call_ms(like, params, args.calls, args.repeat)
        pt = hnlfit.make_point(**params)
        ms_eval = per_call_ms(lambda **_: like(pt), {}, args.calls, args.repeat)
        print(f"16 points per call, {label}: {ms:.3f} ms/call "
              f"({ms_eval:.3f} ms with the Point prebuilt)")


if __name__ == "__main__":
    main()
