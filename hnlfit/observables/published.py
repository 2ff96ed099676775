"""Published d_gamma bounds (HNLimits curves) as observables: the rate ratio to each curve.

``published_bound_<curve>`` (one per catalogue entry, e.g. ``published_bound_charm2``) is
(d_eff/d_low(m))^2 -- 1 on the published curve, > 1 inside its excluded region;
``published_bounds_max`` is the largest ratio over a set of curves (``set``: likelihood |
overlay | all).  An upper limit of 1 on them at the curve's CL is the approximate likelihood
term (chi2 = z^2 (d/d_low)^4: the rate scales as d^2) of
hnlfit/data/published_bounds/likelihood.yaml.  Details and approximations:
:mod:`hnlfit.physics.published_bounds`.
"""
from __future__ import annotations

from ..physics.published import bounds as pb
from .registry import observable

_P = ("m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau")
_REFS = ("HNLimits 1.2.0 (MIT), hnlfit/data/published_bounds/catalogue.yaml",)


def _register(name: str) -> None:
    cv = pb.get_curve(name)
    refs = _REFS + tuple(f"arXiv:{r['arxiv']}" for r in cv.references if "arxiv" in r)

    def ratio(p):
        return pb.get_curve(name).rate_ratio(p)

    ratio.__doc__ = f"(d_eff/d_low)^2 for the {cv.experiment} bound ({100 * cv.cl:g}% CL)."
    observable(f"published_bound_{name}", unit="1", tex=rf"(d/d_{{\rm {name}}})^2", params=_P,
               refs=refs, sm=0.0,
               description=f"rate ratio to the {cv.experiment} d_gamma bound "
                           f"({100 * cv.cl:g}% CL; 1 on the curve)")(ratio)


for _name in pb.curve_names("all"):
    _register(_name)


@observable("published_bounds_max", unit="1", tex=r"\max_i (d/d_{{\rm lim},i})^2", params=_P,
            refs=_REFS, sm=0.0, args={"set": "overlay"},
            description="largest rate ratio over a set of published d_gamma bounds (>1: excluded)")
def published_bounds_max(p, set="overlay"):   # noqa: A002  (the argument's public name)
    """Largest rate ratio over the curves of ``set`` (likelihood | overlay | all)."""
    return pb.max_rate_ratio(p, str(set))
