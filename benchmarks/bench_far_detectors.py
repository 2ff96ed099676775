"""Wall time of one far-detector sensitivity contour (one detector, one flavour, one core).

    python benchmarks/bench_far_detectors.py [--detector FASER2] [--flavour e]
                                             [--masses 100] [--couplings 200]

Three numbers: (1) building the per-mass tables from the spectra (once; afterwards they come
from the disk cache), (2) loading them from the disk cache in a fresh memory cache, and
(3) the contour itself with the tables loaded: the expected count on the full
(m_N, d_γ) grid through the registered observable (Point validation, total width and
BR(N→νγ) included), the Poisson Δχ², and the 3-event limit per mass.  For scale: the
established tool takes minutes for a 23 × 101 grid.
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
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="hnlfit-bench-")
    os.environ["HNLFIT_CACHE_DIR"] = cache           # start from an empty disk cache

    import hnlfit
    from hnlfit.likelihoods.terms import PoissonCount
    from hnlfit.physics.forward import far_detectors as fd
    from hnlfit.physics.forward import meson_decays as md

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
    print(f"  building the per-mass tables (first time):   {t_build:7.2f} s")
    print(f"  loading them from the disk cache:            {t_load:7.2f} s")
    print(f"  one full contour, tables loaded (best of {args.repeat}): {min(times):7.3f} s"
          f"   ({M.size / min(times):,.0f} points/s; {n_entries:.0f} table entries per mass)")
    if best is not None:
        print(f"  best reach: d = {lim[best]:.3g} GeV^-1 at m_N = {m[best]:.3g} GeV")
    print(f"(disk cache used: {cache})")


if __name__ == "__main__":
    main()
