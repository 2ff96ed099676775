#!/usr/bin/env python
"""Regenerate the LHC parton-luminosity tables shipped in hnlfit/data/lhc from the NNPDF2.3
QED LO grid bundled with pythia8mc (Pythia 8's default PDF).

Same as ``hnlfit lhc generate``; see hnlfit/physics/lhc/generate_luminosities.py for the
definitions and the table format.  Needs pythia8mc (``pip install "hnlfit[lhc]"``); a few
seconds of one core::

    python tools/generate_luminosities.py                 # writes hnlfit/data/lhc/
    python tools/generate_luminosities.py --out /tmp/lumi
    python tools/generate_luminosities.py --drell-yan     # also the Pythia DY reference
"""
import sys

from hnlfit.physics.lhc.generate_luminosities import main

if __name__ == "__main__":
    sys.exit(main())
