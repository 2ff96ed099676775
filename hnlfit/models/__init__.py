"""UV models as maps onto the EFT parameters (issue 12).

A model is a small module that declares

* ``NAME``        -- the public name (``model="vll_scalar"``);
* ``PARAMETERS``  -- the names of its own parameters (ParamSpecs in hnlfit.params, so they
  are validated with ranges like every other parameter);
* ``to_eft(values) -> dict``  -- the EFT parameters (``d_NN``, ``d_UB_<l>``/``d_UW_<l>``,
  ``d_gamma_<l>``, ``a``, ``U_<l>``, ``Lambda``, ...) the observables already understand,
  computed from a dict of arrays (the model's parameters and whatever else was given);

and is registered with :func:`register`.  :func:`apply` puts the model's EFT parameters
next to the UV ones, so ``predict(name, model=..., **uv)``, grid scans and run cards
(``model:`` key) work on a UV point with every existing observable unchanged; the model's
own observables (cLFV, LFU, ...) read the UV parameters of the same point.

A user's model: write a module with the three names above (new parameters must be
ParamSpecs: pass a mapping ``parameters={name: ParamSpec}`` to :func:`register`), call
``hnlfit.models.register(module)`` (e.g. from a plugin file named in the card's
``plugins:`` list).  See examples/toy_model/ and docs/derivations/uv_models.md.
"""
from __future__ import annotations

from types import ModuleType
from typing import Mapping

from ..errors import ParameterError
from ..params import PARAMETERS, ParamSpec, suggest

_MODELS: dict[str, object] = {}


def register(model, parameters: Mapping[str, ParamSpec] | None = None):
    """Register a model (a module or any object with NAME, PARAMETERS and to_eft).

    ``parameters`` adds the model's own ParamSpecs to hnlfit.params.PARAMETERS (names that
    already exist with another definition are an error)."""
    for attr in ("NAME", "PARAMETERS", "to_eft"):
        if not hasattr(model, attr):
            raise ParameterError(f"model {model!r} lacks {attr!r} (a model declares NAME, "
                                 "PARAMETERS and to_eft)")
    for name, spec in dict(parameters or {}).items():
        if name in PARAMETERS and PARAMETERS[name] != spec:
            raise ParameterError(f"model {model.NAME!r}: parameter {name!r} already exists "
                                 "with another definition")
        PARAMETERS[name] = spec
    unknown = [p for p in model.PARAMETERS if p not in PARAMETERS]
    if unknown:
        raise ParameterError(f"model {model.NAME!r} declares parameters {unknown} that are "
                             "not ParamSpecs (pass parameters={...} to register)")
    _MODELS[model.NAME] = model
    return model


def get(name: str):
    if isinstance(name, ModuleType) or hasattr(name, "to_eft"):
        return name
    try:
        return _MODELS[name]
    except KeyError:
        raise ParameterError(f"unknown model {name!r}.{suggest(str(name), _MODELS)} "
                             f"Available: {', '.join(sorted(_MODELS))}") from None


def names() -> list[str]:
    return sorted(_MODELS)


def apply(model, values: Mapping[str, object]) -> dict:
    """``values`` plus the EFT parameters the model predicts from them.

    An EFT parameter given explicitly and also produced by the model is an error (give the
    UV parameters or the EFT ones, not both)."""
    m = get(model)
    eft = m.to_eft(values)
    clash = sorted(k for k in eft if k in values)
    if clash:
        raise ParameterError(f"model {m.NAME!r} computes {clash[0]!r} from its parameters; "
                             "do not give it as well")
    return {**values, **eft}


from . import leptoquark_s1, vll_scalar  # noqa: E402  (the built-in models)

register(vll_scalar)
register(leptoquark_s1)

__all__ = ["register", "get", "names", "apply", "vll_scalar", "leptoquark_s1"]
