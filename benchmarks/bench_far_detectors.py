"""Wall time of one far-detector sensitivity contour (one detector, one flavour, one core).

    python benchmarks/bench_far_detectors.py [--detector FASER2] [--flavour e]
                                             [--masses 100] [--couplings 200]

Three numbers: (1) building the per-mass tables from the spectra (once; afterwards they come
from the disk cache), (2) loading them from the disk cache in a fresh memory cache, and
(3) the contour itself with the tables loaded: the expected count on the full
(m_N, d_γ) grid through the registered observable (Point validation, total width and
BR(N→νγ) included), the Poisson Δχ², and the 3-event limit per mass.  For scale: the
established tool takes minutes for a 23 × 101 grid.  Every figure is also given as a ratio
to a numpy baseline timed in the same process (``np.log(np.exp(x) + 1)`` on 1e6 doubles), so
runs on machines of different speed (or under different load) compare.

``--card`` also times ``hnlfit run runs/far_detectors_e.yaml`` with an empty table cache
(cold) and again with the cache filled (warm), in fresh processes.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--detector", default="FASER2")
    ap.add_argument("--flavour", default="e", choices=["e", "mu", "tau"])
    ap.add_argument("--masses", type=int, default=100)
    ap.add_argument("--couplings", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--card", action="store_true",
                    help="also time runs/far_detectors_e.yaml cold and warm")
    args = ap.parse_args()
    base = baseline_seconds()
    cache = tempfile.mkdtemp(prefix="hnlfit-bench-")
    os.environ["HNLFIT_CACHE_DIR"] = cache           # start from an empty disk cache

    import hnlfit
    from hnlfit.likelihoods.terms import PoissonCount
    try:
        from hnlfit.physics.forward import far_detectors as fd
        from hnlfit.physics.forward import meson_decays as md
    except ImportError:      # the layout before the sector folders, for before/after runs
        from hnlfit.physics import far_detectors as fd
        from hnlfit.physics import meson_decays as md

    md.warm_tables()                                # the BR integrals (shared with others)
    m = np.geomspace(0.01, 3.0, args.masses)
    d = np.geomspace(1e-8, 1e-2, args.couplings)
    M, Dg = np.meshgrid(m, d, indexing="ij")
    point = hnlfit.make_point(m_N=M, **{f"d_gamma_{args.flavour}": Dg})
    obs = hnlfit.get_observable(f"n_events_{args.detector}")
    term = PoissonCount(name="far", observable=obs.name, n_obs=0, background=0.0)

    t0 = time.perf_counter()
    obs(point)
    t_build = time.perf_counter() - t0
    fd.mass_table.cache_clear()
    t0 = time.perf_counter()
    obs(point)
    t_load = time.perf_counter() - t0

    def contour():
        chi2 = term.chi2(point)                      # = 2 s for zero background
        excl = chi2 > 5.99                           # 2-dof 95% CL: s > 3.0 events
        lim = np.where(excl.any(1), d[np.argmax(excl, 1)], np.nan)
        return lim

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        lim = contour()
        times.append(time.perf_counter() - t0)
    n_entries = np.mean([fd.mass_table(float(mm), fd.detector_key(
        fd.det_mod.get_detector(args.detector)))["c"].size for mm in m])
    best = int(np.nanargmin(lim)) if np.isfinite(lim).any() else None
    print(f"{args.detector}, d_gamma^{args.flavour}: {args.masses} masses x {args.couplings} "
          f"couplings = {M.size:,} points")
    print(f"  numpy baseline (log(exp(x)+1), 1e6 doubles): {base * 1e3:7.2f} ms")
    print(f"  building the per-mass tables (first time):   {t_build:7.2f} s  "
          f"({t_build / base:6.0f} x baseline)")
    print(f"  loading them from the disk cache:            {t_load:7.2f} s  "
          f"({t_load / base:6.0f} x baseline)")
    print(f"  one full contour, tables loaded (best of {args.repeat}): {min(times):7.3f} s  "
          f"({min(times) / base:6.0f} x baseline; {M.size / min(times):,.0f} points/s; "
          f"{n_entries:.0f} table entries per mass)")
    if best is not None:
        print(f"  best reach: d = {lim[best]:.3g} GeV^-1 at m_N = {m[best]:.3g} GeV")
    print(f"(disk cache used: {cache})")
    if args.card:
        time_card(base)


def baseline_seconds(repeat: int = 7) -> float:
    """The numpy baseline of every benchmark (bench_predictions.baseline on 1e6 doubles)."""
    from bench_predictions import baseline, settle_allocator

    settle_allocator(1_000_000)
    return baseline(1_000_000, repeat)


def time_card(base: float) -> None:
    """``hnlfit run runs/far_detectors_e.yaml``, cold (empty cache) then warm, in fresh
    processes."""
    import subprocess
    import sys
    from pathlib import Path

    card = Path(__file__).resolve().parents[1] / "runs" / "far_detectors_e.yaml"
    env = {**os.environ, "HNLFIT_CACHE_DIR": tempfile.mkdtemp(prefix="hnlfit-bench-card-")}
    out = tempfile.mkdtemp(prefix="hnlfit-bench-out-")
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hnlfit.cli", "run", str(card), "--out", out,
                        "--no-progress"], env=env, check=True, capture_output=True)
        dt = time.perf_counter() - t0
        print(f"  far_detectors_e.yaml {label}:                   {dt:7.2f} s  "
              f"({dt / base:6.0f} x baseline)")


if __name__ == "__main__":
    main()
