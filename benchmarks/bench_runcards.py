"""Wall time of the shipped run cards (full size, one process).

    python benchmarks/bench_runcards.py [runs/g2_posterior.yaml ...] [--out /tmp/hnlfit-bench]

Each card must finish in under two minutes on one core. Posterior chains are started afresh
(the HDF5 files of an earlier run are removed first, so nothing is resumed).
"""
from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from hnlfit.cards import run_card  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("cards", nargs="*", default=sorted(str(p) for p in (ROOT / "runs").glob("*.yaml")))
    ap.add_argument("--out", default="/tmp/hnlfit-bench")
    args = ap.parse_args()
    for card in args.cards:
        out = Path(args.out)
        shutil.rmtree(out / Path(card).stem, ignore_errors=True)
        t0 = time.perf_counter()
        run_card(card, outdir=out, progress=False)
        print(f"{Path(card).name:<24} {time.perf_counter() - t0:7.1f} s")


if __name__ == "__main__":
    main()
