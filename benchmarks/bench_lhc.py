"""Wall time of a 100 x 100 B1 plane (seed 000, 2405.08877) with the tables loaded.

    python benchmarks/bench_lhc.py [--masses 100] [--couplings 100] [--repeat 5]

Numbers: (1) loading the shipped efficiency tables and the mixing-width tables (first use in
a process), (2) the expected B1 events on the full (m_N2, d_NN) grid at m_N1 = 0.85 m_N2
through the registered observable (Point validation, sigma(pp -> N1 N2) per distinct mass
pair, the N2 width and BR, the table lookup) plus the Poisson Delta chi2 and the 3-event
reach per mass, (3) the same for B3 (N1 widths with the mixing tables, the three DV tables),
and (4) rebuilding one mass node of the tables (one LO sample of 20k events and all windows)
for scale: the full table is 27 x 24 such nodes.  Every figure is also a ratio to a numpy
baseline timed in the same process (``np.log(np.exp(x) + 1)`` on 1e6 doubles).
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def baseline_seconds(repeat: int = 7) -> float:
    """The numpy baseline of every benchmark (bench_predictions.baseline on 1e6 doubles)."""
    from bench_predictions import baseline, settle_allocator

    settle_allocator(1_000_000)
    return baseline(1_000_000, repeat)


def best_of(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--masses", type=int, default=100)
    ap.add_argument("--couplings", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = baseline_seconds()

    import hnlfit
    from hnlfit.likelihoods.terms import PoissonCount
    from hnlfit.physics.lhc import decays as dec
    from hnlfit.physics.lhc import detector as det

    t0 = time.perf_counter()
    det.tables()
    for k in det.KINDS:
        det._interpolator(k)
    dec.mixing_tables()
    t_load = time.perf_counter() - t0

    m2 = np.geomspace(2.0, 3000.0, args.masses)
    d = np.geomspace(1e-10, 1e-2, args.couplings)
    M, D = np.meshgrid(m2, d, indexing="ij")
    term = PoissonCount(name="B1", observable="n_events_lhc_B1", n_obs=0, background=0.0)

    def plane_B1():
        p = hnlfit.make_point(m_N2=M, m_N1=0.85 * M, d_NN=D)
        excl = term.chi2(p) > 5.99                     # 2-dof 95% CL: 3 events
        return np.where(excl.any(1), d[np.argmax(excl, 1)], np.nan)

    plane_B1()                                          # sigma integrals' first call
    t_b1, lim = best_of(plane_B1, args.repeat)

    m1 = np.geomspace(5.0, 690.0, args.masses)
    V2 = np.geomspace(1e-20, 1e-2, args.couplings)
    M1, V = np.meshgrid(m1, V2, indexing="ij")
    term3 = PoissonCount(name="B3", observable="n_events_lhc_B3", n_obs=0, background=0.0)

    def plane_B3():
        p = hnlfit.make_point(m_N1=M1, m_N2=700.0, d_NN=1.7536588e-4, U_e=np.sqrt(V))
        return term3.chi2(p) > 5.99

    plane_B3()
    t_b3, _ = best_of(plane_B3, args.repeat)

    t0 = time.perf_counter()
    det.efficiencies(det.event_windows(85.0, 100.0, det.N_EVENTS, seed=1), det.axes()["ctau"])
    t_node = time.perf_counter() - t0

    print(f"LHC benchmarks, {args.masses} x {args.couplings} = {M.size:,} points")
    print(f"  numpy baseline (log(exp(x)+1), 1e6 doubles): {base * 1e3:7.2f} ms")
    print(f"  loading the efficiency + mixing tables:      {t_load:7.3f} s  "
          f"({t_load / base:6.0f} x baseline)")
    print(f"  B1 plane, tables loaded (best of {args.repeat}):       {t_b1:7.3f} s  "
          f"({t_b1 / base:6.0f} x baseline; {M.size / t_b1:,.0f} points/s)")
    print(f"  B3 plane, tables loaded (best of {args.repeat}):       {t_b3:7.3f} s  "
          f"({t_b3 / base:6.0f} x baseline; {M.size / t_b3:,.0f} points/s)")
    print(f"  one table node (20k LO events, all windows): {t_node:7.3f} s  "
          f"({t_node / base:6.0f} x baseline; the tables are 27 x 24 nodes, shipped)")
    ok = np.isfinite(lim)
    if ok.any():
        print(f"  B1 (m_N1 = 0.85 m_N2): 3 events reached for m_N2 <= {m2[ok].max():.3g} GeV")
    else:
        print("  B1 (m_N1 = 0.85 m_N2): 3 events nowhere on the plane")


if __name__ == "__main__":
    main()
