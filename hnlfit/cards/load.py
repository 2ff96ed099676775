"""Run cards: YAML files that say what to compute, validated before anything runs.

Three kinds:

``kind: plane``  -- a 2-d parameter plane (seed-figure style).  Each *layer* draws one
measurement of the data set on the plane: ``band`` (where the measurement is fitted
within n sigma: the region a discrepancy prefers), ``excluded`` (where the measurement
excludes the point at ``cl``: a limit exceeded, or a measured value missed by more than
the two-sided z of ``cl``), ``eft_invalid`` (m_N >= Lambda), and ``combined`` (the
combined Delta chi2 of several measurements, from the fitter, as a 2-dof contour).
Several ``panels`` repeat the plane with different fixed parameters.

``kind: curves`` -- registered observables against one parameter (``x``), one line per
*curve* (observable, its arguments, label, style), in one or more ``panels`` that fix other
parameters: branching ratios, widths, decay lengths, event counts.

``kind: posterior`` -- an emcee posterior over declared priors, one chain per data set,
overlaid in one corner plot.

Derived parameters are strings evaluated on the arrays (``C_Hnue_mu: "-1/Lambda**2"``),
see :mod:`hnlfit.fitter.expressions`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

import jsonschema
from ..errors import DataError
from ..io import read_yaml

_AXIS = {
    "type": "object",
    "properties": {
        "name": {"type": "string"}, "min": {"type": "number"}, "max": {"type": "number"},
        "n": {"type": "integer", "minimum": 2}, "log": {"type": "boolean"},
        "label": {"type": "string"},
        # drawn range (plot only; the default cuts the grid to where the content is)
        "view": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}},
    "required": ["name", "min", "max", "n"],
    "additionalProperties": False,
}
_PARAMS = {"type": "object", "additionalProperties": {"type": ["number", "string"]}}
_LAYER = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["band", "excluded", "eft_invalid", "combined"]},
        "measurement": {"type": "string"},
        "measurements": {"type": "array", "items": {"type": "string"}},
        "label": {"type": "string"},
        "color": {"type": "string"},
        "style": {"enum": ["filled", "dashed", "solid", "dotted"]},
        "fill": {"type": "boolean"},   # shade a projection's region (as the seed does)
        "nsigma": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}},
        "cl": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "derived": {"type": "object", "additionalProperties": {"type": "string"}},
        "dataset": {"type": "string"},
    },
    "required": ["kind"],
    "additionalProperties": False,
}
_PRIOR = {
    "type": "object",
    "properties": {
        "prior": {"enum": ["uniform", "log_uniform", "sign"]},
        "min": {"type": "number"}, "max": {"type": "number"}, "label": {"type": "string"}},
    "required": ["prior"],
    "additionalProperties": False,
}
_COMMON = {
    # the output file stem: no folders, no "..", so outputs stay inside --out
    "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"},
    "title": {"type": "string"},
    "reference": {"type": "string"},
    "description": {"type": "string"},
    "plugins": {"type": "array", "items": {"type": "string"}},
    "data": {"type": "array", "items": {"type": "string"}},
    "derived": {"type": "object", "additionalProperties": {"type": "string"}},
    "fixed": _PARAMS,
    "quick": {"type": "object", "properties": {
        "n": {"type": "integer", "minimum": 2}, "nsteps": {"type": "integer", "minimum": 1},
        "nwalkers": {"type": "integer", "minimum": 4}, "burn": {"type": "integer", "minimum": 0}},
        "additionalProperties": False},
    "model": {"type": "string"},   # a UV model of hnlfit.models: its parameters map onto the EFT
}
PLANE = {
    "type": "object",
    "properties": {
        "kind": {"const": "plane"}, **_COMMON,
        "dataset": {"type": "string"},
        "x": _AXIS, "y": _AXIS,
        "panels": {"type": "array", "minItems": 1, "items": {
            "type": "object", "properties": {"title": {"type": "string"}, "fixed": _PARAMS,
                                             "derived": {"type": "object"}},
            "additionalProperties": False}},
        "layers": {"type": "array", "items": _LAYER, "minItems": 1},
        # at most this many fine sub-intervals per grid interval when contours are refined
        "refine": {"type": "object", "properties": {
            "x": {"type": "integer", "minimum": 1}, "y": {"type": "integer", "minimum": 1}},
            "additionalProperties": False},
    },
    "required": ["kind", "name", "dataset", "x", "y", "layers"],
    "additionalProperties": False,
}
POSTERIOR = {
    "type": "object",
    "properties": {
        "kind": {"const": "posterior"}, **_COMMON,
        "datasets": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "parameters": {"type": "object", "additionalProperties": _PRIOR, "minProperties": 1},
        "likelihood": {"type": "object", "properties": {
            "include": {"type": "array", "items": {"type": "string"}},
            "exclude": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": False},
        "require_eft_valid": {"type": "boolean"},
        "sampler": {"type": "object", "properties": {
            "nwalkers": {"type": "integer", "minimum": 4},
            "nsteps": {"type": "integer", "minimum": 1},
            "burn": {"type": "integer", "minimum": 0},
            "thin": {"type": "integer", "minimum": 1},
            "seed": {"type": "integer"}}, "additionalProperties": False},
    },
    "required": ["kind", "name", "datasets", "parameters"],
    "additionalProperties": False,
}
_CURVE = {
    "type": "object",
    "properties": {
        "observable": {"type": "string"},
        "args": {"type": "object"},
        "label": {"type": "string"},
        "color": {"type": "string"},
        "style": {"enum": ["solid", "dashed", "dotted", "dashdot"]},
        "fixed": _PARAMS,
        "derived": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["observable"],
    "additionalProperties": False,
}
CURVES = {
    "type": "object",
    "properties": {
        "kind": {"const": "curves"}, **_COMMON,
        "x": _AXIS,
        "y": {"type": "object", "properties": {
            "label": {"type": "string"}, "log": {"type": "boolean"},
            "min": {"type": "number"}, "max": {"type": "number"}},
            "additionalProperties": False},
        "panels": {"type": "array", "minItems": 1, "items": {
            "type": "object", "properties": {"title": {"type": "string"}, "fixed": _PARAMS,
                                             "derived": {"type": "object"}},
            "additionalProperties": False}},
        "curves": {"type": "array", "items": _CURVE, "minItems": 1},
    },
    "required": ["kind", "name", "x", "curves"],
    "additionalProperties": False,
}
SCHEMAS = {"plane": PLANE, "posterior": POSTERIOR, "curves": CURVES}


def load_card(path: str | Path, quick: bool = False) -> dict[str, Any]:
    """Read and validate a run card; ``quick`` merges its ``quick:`` overrides (for tests)."""
    path = Path(path)
    card = read_yaml(path, "run card")
    if not isinstance(card, dict) or card.get("kind") not in SCHEMAS:
        raise DataError(f"run card {path}: 'kind' must be one of {', '.join(SCHEMAS)}")
    schema = SCHEMAS[card["kind"]]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(card))
    if errors:   # an unknown key (a typo) explains a missing one: report it first
        typo = [e for e in errors if e.validator == "additionalProperties"]
        exc = typo[0] if typo else jsonschema.exceptions.best_match(errors)
        raise DataError(_schema_message(path, exc))
    check_card(path, card)
    card["_path"] = str(path.resolve())
    if quick:
        card = apply_quick(card)
        check_card(path, card, "in quick mode")
    return card


def _schema_message(path: Path, exc: jsonschema.ValidationError) -> str:
    """The offending key by name (with the closest allowed keys for an unknown one)."""
    from ..params import suggest

    where = "/".join(str(x) for x in exc.absolute_path) or "top level"
    if exc.validator == "additionalProperties" and isinstance(exc.instance, dict):
        allowed = exc.schema.get("properties", {})
        unknown = sorted(k for k in exc.instance if k not in allowed)
        if unknown:
            return (f"run card {path}: unknown key {unknown[0]!r} at {where}."
                    f"{suggest(unknown[0], allowed)} Allowed: {', '.join(allowed)}")
    if exc.validator == "pattern" and exc.absolute_path and exc.absolute_path[-1] == "name":
        return (f"run card {path}: name {exc.instance!r} must be a plain file stem (letters, "
                "digits, '_', '-', '.'; no folders), since it names the output files")
    return f"run card {path} is invalid at {where}: {exc.message}"


def check_card(path: Path, card: dict, mode: str = "") -> None:
    """What the schema cannot say: axes with min < max (and min > 0 when log) and a burn-in
    shorter than the chain."""
    suffix = f" {mode}" if mode else ""
    for key in ("x", "y"):
        ax = card.get(key)
        if isinstance(ax, dict) and "min" in ax and "max" in ax and "name" in ax:
            if not ax["min"] < ax["max"]:
                raise DataError(f"run card {path}: axis {key} ({ax['name']}) needs min < max, "
                                f"got min = {ax['min']:g}, max = {ax['max']:g}")
            if ax.get("log") and ax["min"] <= 0:
                raise DataError(f"run card {path}: axis {key} ({ax['name']}) is log-spaced "
                                f"and needs min > 0, got {ax['min']:g}")
    sampler = card.get("sampler", {})
    if "burn" in sampler and "nsteps" in sampler and sampler["burn"] >= sampler["nsteps"]:
        raise DataError(f"run card {path}: sampler burn = {sampler['burn']} must be smaller "
                        f"than nsteps = {sampler['nsteps']}{suffix}")


def apply_quick(card: dict) -> dict:
    """Merge the card's ``quick:`` block: a smaller grid or a shorter chain, same physics."""
    q = card.get("quick", {})
    card = dict(card)
    card["_quick"] = True
    if card["kind"] == "plane":
        n = int(q.get("n", 24))
        card["x"] = {**card["x"], "n": min(card["x"]["n"], n)}
        card["y"] = {**card["y"], "n": min(card["y"]["n"], n)}
    elif card["kind"] == "curves":
        card["x"] = {**card["x"], "n": min(card["x"]["n"], int(q.get("n", 24)))}
    else:
        sampler = dict(card.get("sampler", {}))
        sampler.update({k: v for k, v in q.items() if k in ("nsteps", "nwalkers", "burn")})
        card["sampler"] = sampler
    return card


def axis_values(spec: dict) -> np.ndarray:
    """The grid of a card axis: ``n`` points from ``min`` to ``max``, log-spaced if ``log``."""
    lo, hi, n = spec["min"], spec["max"], spec["n"]
    if spec.get("log"):
        if lo <= 0:
            raise DataError(f"axis {spec['name']!r}: a log axis needs min > 0")
        return np.geomspace(lo, hi, n)
    return np.linspace(lo, hi, n)


def check_writable(outdir: str | Path) -> Path:
    """The output folder (or the nearest folder that exists above it) accepts files; checked
    before any computation, so an unwritable --out fails at once. Creates nothing."""
    import tempfile

    out = Path(outdir)
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise DataError(f"output folder {out}: {probe} exists and is not a folder")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise DataError(f"output folder {out} is not writable ({probe}: "
                        f"{exc.strerror or exc})") from None
    return out


RESOURCE_PREFIX = "hnlfit:"


def resolve_path(path_text: str, card: dict) -> Path:
    """A path named in a card: ``hnlfit:data/...`` is a file shipped with the package (so a
    card copied anywhere still finds it); any other relative path is relative to the card's
    folder."""
    if path_text.startswith(RESOURCE_PREFIX):
        return Path(str(resources.files("hnlfit").joinpath(path_text[len(RESOURCE_PREFIX):])))
    p = Path(path_text)
    return p if p.is_absolute() else Path(card["_path"]).parent / p
