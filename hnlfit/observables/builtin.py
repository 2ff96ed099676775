"""Imports every built-in observable module so that it registers its observables."""
from . import nusmeft  # noqa: F401  (2105.11462: g-2, LFV, EDM, mu_nu, LHC)
from . import mesons  # noqa: F401
from . import higgs, dbd  # noqa: F401
from . import dipole_portal  # noqa: F401
from . import monophoton  # noqa: F401  (LEP/CEPC monophoton, Z -> gamma + inv)
from . import far_detectors  # noqa: F401  (2308.16608: far-detector event counts)
from . import published_bounds  # noqa: F401  (HNLimits d_gamma curves as rate ratios)
