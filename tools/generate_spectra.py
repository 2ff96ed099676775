#!/usr/bin/env python
"""Regenerate the forward meson spectra shipped in hnlfit/data/spectra/14TeV with Pythia 8.

Same as ``hnlfit spectra generate``; see hnlfit/spectra/generate.py for the processes, the
normalisation of the hard-process cross sections and the table format.  Needs pythia8mc
(``pip install "hnlfit[spectra]"``).  Run it niced: it takes about half an hour of one core
at the default event numbers, e.g.

    nice -n 10 python tools/generate_spectra.py                 # all processes
    python tools/generate_spectra.py --scale-events 0.01 --out /tmp/spectra   # quick test
"""
import sys

from hnlfit.spectra.generate import main

if __name__ == "__main__":
    sys.exit(main())
