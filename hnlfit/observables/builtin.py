"""The built-in observables, by sector; importing a module registers its observables."""
from .nusmeft import core, higgs, dbd  # noqa: F401  (2105.11462: g-2, LFV, EDM, mu_nu, LHC, h->ll, 0vbb)
from .dipole import portal, monophoton  # noqa: F401  (dipole portal: widths, e+e- -> N nu, LEP/CEPC)
from .forward import mesons, far_detectors  # noqa: F401  (2308.16608: meson BRs, far-detector counts)
from . import published  # noqa: F401  (HNLimits d_gamma curves as rate ratios)
from .lhc import production as lhc_production  # noqa: F401  (seed 000: pp -> N1 N2, N nu, l N; Z -> N1 N2)
from .lhc import decays as lhc_decays, counts as lhc_counts  # noqa: F401  (seed 000: N2/N1 decays, B1-B3 events)
from . import uv  # noqa: F401  (issue 12: UV models' moments, cLFV, LFU, Z, R(D), g-2)
from .lowenergy import portal as lowenergy_portal  # noqa: F401  (seed 001: solar nu, Xe, cosmology)
