#!/usr/bin/env python
"""Draw the meson -> N branching ratios of arXiv:2308.16608 Fig. 2 (d_gamma = 1e-4 GeV^-1,
electron flavour on top, tau flavour below) into results/meson_brs/.

    python tools/plot_meson_brs.py [--out results] [--d 1e-4] [--flavours e tau]
"""
import argparse
import sys

from hnlfit.meson_plots import write_meson_br_plot


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="results")
    ap.add_argument("--d", type=float, default=1e-4, help="d_gamma in GeV^-1")
    ap.add_argument("--flavours", nargs="+", default=["e", "tau"], choices=["e", "mu", "tau"])
    ap.add_argument("--p0-norm", default="gammagamma", choices=["gammagamma", "seed"])
    args = ap.parse_args(argv)
    for kind, path in write_meson_br_plot(args.out, args.d, tuple(args.flavours),
                                          p0_norm=args.p0_norm).items():
        print(f"wrote {kind}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
