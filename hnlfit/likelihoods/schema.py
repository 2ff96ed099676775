"""JSON schema of the measurement YAML files (validated with ``jsonschema``)."""

REFERENCE = {
    "type": "object",
    "properties": {
        "arxiv": {"type": "string"},
        "inspire": {"type": ["string", "integer"]},
        "doi": {"type": "string"},
        "citation": {"type": "string"},
        "note": {"type": "string"},
    },
    "anyOf": [{"required": ["arxiv"]}, {"required": ["inspire"]}, {"required": ["doi"]}],
    "additionalProperties": False,
}

_COMMON = {
    "name": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
    "observable": {"type": "string"},
    "observable_args": {"type": "object"},
    "scale": {"type": "number"},
    "description": {"type": "string"},
    "experiment": {"type": "string"},
    "year": {"type": "integer", "minimum": 1950, "maximum": 2100},
    "unit": {"type": "string"},
    "references": {"type": "array", "items": REFERENCE, "minItems": 1},
    "projection": {"type": "boolean"},
    "default": {"type": "boolean"},
    "note": {"type": "string"},
    "cl": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
}


def _kind(kind: str, required: list[str], extra: dict) -> dict:
    return {
        "type": "object",
        "properties": {"kind": {"const": kind}, **_COMMON, **extra},
        "required": ["name", "kind", "year", "references", *required],
        "additionalProperties": False,
    }


_NUM = {"type": "number"}
_POS = {"type": "number", "exclusiveMinimum": 0}

MEASUREMENT = {
    "oneOf": [
        _kind("gaussian", ["observable", "value", "sigma"], {"value": _NUM, "sigma": _POS}),
        _kind("asymmetric_gaussian", ["observable", "value", "sigma_up", "sigma_down"],
              {"value": _NUM, "sigma_up": _POS, "sigma_down": _POS}),
        _kind("upper_limit", ["observable", "limit", "cl"], {"limit": _POS}),
        # a lower limit L on a quantity X, applied as 1/X < 1/L to an observable giving 1/X
        _kind("inverse_lower_limit", ["observable", "lower_limit", "cl"],
              {"lower_limit": _POS}),
        # an upper limit that depends on m_N, log-log interpolated in a table
        _kind("upper_limit_table", ["observable", "cl", "table"], {
            "table": {"type": "object", "properties": {
                "m_N": {"type": "array", "items": _POS, "minItems": 2},
                "limit": {"type": "array", "items": _POS, "minItems": 2}},
                "required": ["m_N", "limit"], "additionalProperties": False},
            "limit_scale": _POS}),
        _kind("poisson", ["observable", "n_obs"], {
            "n_obs": {"type": "integer", "minimum": 0}, "background": {"type": "number",
                                                                        "minimum": 0}}),
        _kind("pyhf_count", ["observable", "n_obs", "background", "background_uncertainty"], {
            "n_obs": {"type": "number", "minimum": 0}, "background": {"type": "number",
                                                                       "minimum": 0},
            "background_uncertainty": {"type": "number", "minimum": 0}}),
        # CKM first-row unitarity with V_us as a nuisance (2105.11462 eqs. 4.17-4.21)
        _kind("ckm_first_row", ["inputs"], {"inputs": {"type": "object"}}),
        # solar-neutrino recoil spectra and published-limit rates (likelihoods/lowenergy.py
        # validates the detector / limit blocks)
        _kind("solar_spectrum", ["detector"], {"detector": {"type": "object"}}),
        _kind("solar_rate_limit", ["limit"], {"limit": {"type": "object"}}),
        *[_kind(k, ["model"], {"model": {"type": "object"}})
          for k in ("sn1987a", "stellar_cooling", "bbn_thermal")],
    ]
}

DATASET_FILE = {
    "type": "object",
    "properties": {
        "dataset": {"type": "string"},
        "description": {"type": "string"},
        "measurements": {"type": "array", "items": MEASUREMENT, "minItems": 1},
    },
    "required": ["measurements"],
    "additionalProperties": False,
}


def reference_text(entry: dict) -> str:
    """The references of a measurement entry as one line (arXiv, DOI or INSPIRE)."""
    parts = []
    for r in entry.get("references", []):
        parts.append(r.get("arxiv") and f"arXiv:{r['arxiv']}" or r.get("doi")
                     or f"INSPIRE {r.get('inspire')}")
    return "; ".join(parts)
