"""hnlfit: global fits of heavy neutral leptons with dipole portals and nuSMEFT interactions.

Public entry points::

    hnlfit.predict("delta_a_mu", m_N=300.0, U_mu=0.01, C_Hnue_mu=-1/3000.0**2)
    hnlfit.make_point(m_N=[100, 200], U_mu=0.01)
    hnlfit.build_likelihood("seed")          # combined -2 ln L, relative to no HNL
"""
from .errors import DataError, HnlfitError, ObservableError, ParameterError
from .likelihoods.measurements import build_likelihood
from .observables.registry import get as get_observable
from .observables.registry import names as observable_names
from .observables.registry import observable, predict
from .params import PARAMETERS, Point, make_point

__version__ = "0.1.0"

__all__ = [
    "DataError", "HnlfitError", "ObservableError", "ParameterError", "PARAMETERS", "Point",
    "build_likelihood", "get_observable", "make_point", "observable", "observable_names",
    "predict", "__version__",
]
