"""Scans, profile likelihood, limits and posterior sampling.

* :func:`grid_scan` -- chi2 on a grid, vectorized in chunks, on any Executor (Dask too);
* :func:`profile_scan`, :func:`global_minimum` -- Migrad over the non-scanned parameters;
* :func:`delta_chi2_threshold`, :func:`limit_1d`, :func:`contour_2d` -- limits and contours
  with the CL, dof and reference (from the minimum or from the no-HNL point) stated;
* :func:`sample_posterior` -- emcee with declared priors, a seed and a resumable HDF5 chain;
* derived parameters as safe string expressions (:mod:`hnlfit.fitter.expressions`).
"""
from .expressions import ExpressionError, build_point, compile_expression, evaluate, resolve
from .limits import (Contour2D, Limit1D, Threshold, contour_2d, delta_chi2,
                     delta_chi2_threshold, limit_1d, make_threshold)
from .posterior import (LogPosterior, PosteriorResult, corner_overlay, load_posterior,
                        sample_posterior)
from .priors import Choice, LogUniform, Prior, Sign, Uniform, parse_priors, prior_from_spec
from .profile import FitResult, global_minimum, profile_scan
from .scan import ScanResult, grid_scan

__all__ = [
    "grid_scan", "ScanResult", "profile_scan", "global_minimum", "FitResult",
    "delta_chi2_threshold", "make_threshold", "Threshold", "delta_chi2", "limit_1d",
    "contour_2d", "Limit1D", "Contour2D", "sample_posterior", "load_posterior",
    "PosteriorResult", "LogPosterior", "corner_overlay", "Prior", "Uniform", "LogUniform",
    "Sign", "Choice", "prior_from_spec", "parse_priors", "ExpressionError",
    "compile_expression", "evaluate", "resolve", "build_point",
]
