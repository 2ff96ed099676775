"""Speed of the low-energy terms (issue 13) as ratios to the numpy baseline of
bench_predictions (np.log(np.exp(x) + 1) on --n doubles, same process, minimum of --repeat).

    python benchmarks/bench_lowenergy.py [--n 100000] [--repeat 5]

Terms: xenonnt_sr0_er (binned Poisson, 116 bins, profiled background normalisation),
borexino_phase2, sn1987a_energy_loss, sn1987a_gamma_smm, bbn_thermal on random points in
log m_N ∈ [−6, −1], log d ∈ [−11, −6] (equal couplings).  Tables are built (or loaded) before
timing.
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import hnlfit  # noqa: E402
from bench_predictions import baseline, best_of, settle_allocator  # noqa: E402

TERMS = ("xenonnt_sr0_er", "xenonnt_8b_cevns_nr", "borexino_phase2", "sn1987a_energy_loss",
         "sn1987a_gamma_smm", "bbn_thermal")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    settle_allocator(args.n)
    rng = np.random.default_rng(13)
    d = 10 ** rng.uniform(-11, -6, args.n)
    p = hnlfit.make_point(m_N=10 ** rng.uniform(-6, -1, args.n), d_gamma_e=d, d_gamma_mu=d,
                          d_gamma_tau=d)
    like = hnlfit.build_likelihood("low_energy_current", include=list(TERMS))
    like(p)
    t_base = baseline(args.n, args.repeat)
    print(f"baseline np.log(np.exp(x)+1) on {args.n} doubles: {1e3 * t_base:.2f} ms")
    for term in like.terms:
        t = best_of(lambda: term.chi2(p), args.repeat)
        print(f"  {term.name:24s} {t / t_base:8.1f} x baseline   {args.n / t:12.3g} points/s")


if __name__ == "__main__":
    main()
