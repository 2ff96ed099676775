"""Throughput of the dipole-portal e+e- likelihood terms (points per second, one core).

    python benchmarks/bench_dipole_portal.py [--n 200000] [--dataset seed]

Random points in (m_N, d_gamma_mu, a) -- log-uniform 1 MeV-200 GeV and 1e-8-1e-2 GeV^-1, a in
[-4, 4] -- through the LEP terms (DELPHI pyhf count, OPAL, L3, Gamma_inv), the CEPC/FCC-ee
projections and the opt-in published bounds, each a single vectorized call: the HNL width
(tabulated three-body pieces), the cross-section pieces, one bilinear look-up in the
acceptance table, no integration per point.  Prints per-term timings.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import hnlfit  # noqa: E402
from hnlfit.likelihoods.measurements import build_term, load_file  # noqa: E402
from hnlfit.physics.published import bounds as pb  # noqa: E402

LEP = ["delphi_monophoton", "opal_monophoton_lep1", "l3_z_gamma_invisible",
       "z_invisible_width_np"]
PROJ = ["cepc_Z_monophoton", "cepc_WW_monophoton", "cepc_H_monophoton", "cepc_tt_monophoton",
        "fccee_Z_monophoton"]


def random_point(n: int, rng: np.random.Generator):
    return hnlfit.make_point(m_N=10 ** rng.uniform(-3, np.log10(200.0), n),
                             d_gamma_mu=10 ** rng.uniform(-8, -2, n), a=rng.uniform(-4, 4, n))


def best_of(f, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--dataset", default="ee_colliders_seed")
    args = ap.parse_args()
    like = hnlfit.build_likelihood(args.dataset, include=LEP + PROJ)
    p = random_point(args.n, np.random.default_rng(1))
    like(p)  # warm-up: acceptance tables, width tables, pyhf grid
    t = best_of(lambda: like(p))
    print(f"LEP + projections ({len(like.terms)} terms) on {args.n:,} points: {t:.3f} s  ->  "
          f"{args.n / t:,.0f} points/s")
    for term in like.terms:
        tt = best_of(lambda: term.chi2(p))
        print(f"  {term.name:<28} {tt * 1e3:8.1f} ms   {args.n / tt:14,.0f} points/s")
    terms = [build_term(e) for e in load_file(pb.data_dir() / "likelihood.yaml")
             if e.get("default", True)]
    tt = best_of(lambda: sum(term.chi2(p) for term in terms))
    print(f"published bounds ({len(terms)} terms): {tt * 1e3:.1f} ms  ->  "
          f"{args.n / tt:,.0f} points/s")


if __name__ == "__main__":
    main()
