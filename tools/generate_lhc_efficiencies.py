"""Regenerate the shipped LHC efficiency tables hnlfit/data/lhc/efficiency_tables.npz.

    python tools/generate_lhc_efficiencies.py [--events N] [--out PATH]

One LO sample (hnlfit.physics.lhc.production.sample_pp_to_N1N2, seeded by the node index)
per (m_N2, x = 1 - m_N1/m_N2) node of hnlfit.physics.lhc.detector.axes(); the efficiencies of
B1, B2 (a, b, ab) and B3 (a, b, ab) on the c tau grid (detector module docstring).  The file
records the inputs' hash; hnlfit refuses a table whose hash does not match its inputs.
A few minutes on one core.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from hnlfit.io import write_npz
from hnlfit.physics.lhc import detector as det


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=det.N_EVENTS)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1]
                    / "hnlfit" / "data" / "lhc" / det.TABLE_FILE)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()

    def progress(i, n):
        print(f"  m_N2 node {i}/{n}  ({time.perf_counter() - t0:.0f} s)", flush=True)

    tables = det.compute_tables(args.events, progress=progress)
    inputs = det.table_inputs(args.events)
    write_npz(args.out, **tables, n_events=np.int64(args.events),
              inputs_hash=np.str_(det.inputs_hash(inputs)))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
