"""Far-detector geometry: detectors as data, and the probability that an HNL decays inside.

A detector is a YAML file (``hnlfit/data/detectors/<name>.yaml``, or any path) giving its
shape, dimensions in metres, luminosity, p_N cut and references; a user adds one without
code.  Coordinates are those of the interaction point (IP): z along the beam collision axis
towards the detector, (x, y) transverse; directions are polar angle θ from +z and azimuth φ.

Shapes
------
``disc``     cylinder coaxial with z: 0 ≤ ρ ≤ r_max, z_min ≤ z ≤ z_max (ρ = √(x²+y²));
``annulus``  the same with r_min ≤ ρ ≤ r_max;
``box``      axis-aligned box x_min..x_max, y_min..y_max, z_min..z_max.

Decay probability (generalising 2308.16608 eq. 3.4)
---------------------------------------------------
A particle leaving the IP along the unit vector n = (sinθ cosφ, sinθ sinφ, cosθ) is at ℓ n
after a path ℓ.  Every shape above is an intersection of slabs that are convex in ℓ along a
ray from the origin: ρ(ℓ) = ℓ sinθ and z(ℓ) = ℓ cosθ for the cylinders, x, y, z linear in ℓ
for the box, so the ray is inside on one interval [ℓ_in, ℓ_out] (empty when ℓ_in ≥ ℓ_out):
    cylinder: ℓ ∈ [z_min/cosθ, z_max/cosθ] ∩ [r_min/sinθ, r_max/sinθ]   (cosθ > 0),
    box:      ℓ ∈ ∩_i [min(a_i/n_i, b_i/n_i), max(a_i/n_i, b_i/n_i)]   (n_i ≠ 0; for n_i = 0
              the slab holds all ℓ if a_i ≤ 0 ≤ b_i and none otherwise).
With decay length λ = βγ cτ = (p/m_N) cτ the probability to decay inside is
    P = exp(-ℓ_in/λ) - exp(-ℓ_out/λ) = exp(-ℓ_in/λ) (1 - exp(-(ℓ_out - ℓ_in)/λ)),
evaluated in the second form with expm1 so that λ ≫ ℓ gives (ℓ_out - ℓ_in)/λ without loss.
For a ray crossing both end faces of a cylinder, ℓ_in,out = L_1,2/cosθ and this is eq. 3.4;
rays leaving through the side (or entering through it) are handled exactly.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from ... import constants as c
from ...errors import DataError

SHAPES = ("disc", "annulus", "box")
_DIMENSIONS = {
    "disc": ("r_max", "z_min", "z_max"),
    "annulus": ("r_min", "r_max", "z_min", "z_max"),
    "box": ("x_min", "x_max", "y_min", "y_max", "z_min", "z_max"),
}

_REFERENCE = {
    "type": "object",
    "properties": {"arxiv": {"type": "string"}, "doi": {"type": "string"},
                   "inspire": {"type": ["string", "integer"]},
                   "citation": {"type": "string"}, "note": {"type": "string"}},
    "anyOf": [{"required": ["arxiv"]}, {"required": ["doi"]}, {"required": ["inspire"]},
              {"required": ["citation"]}],
    "additionalProperties": False,
}

DETECTOR_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
        "description": {"type": "string"},
        "ip": {"type": "string"},
        "shape": {"enum": list(SHAPES)},
        "dimensions": {"type": "object",
                       "additionalProperties": {"type": "number"}},
        "luminosity_fb": {"type": "number", "exclusiveMinimum": 0},
        "sqrt_s_TeV": {"type": "number", "exclusiveMinimum": 0},
        "p_min_GeV": {"type": "number", "minimum": 0},
        "references": {"type": "array", "items": _REFERENCE, "minItems": 1},
        "note": {"type": "string"},
    },
    "required": ["name", "shape", "dimensions", "luminosity_fb", "p_min_GeV", "references"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Detector:
    """A far detector: shape and dimensions (m), luminosity (fb⁻¹), p_N cut (GeV)."""

    name: str
    shape: str
    dimensions: dict
    luminosity_fb: float
    p_min: float
    references: tuple = ()
    description: str = ""
    ip: str = ""
    sqrt_s_TeV: float | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self):
        _check_dimensions(self.name, self.shape, self.dimensions)

    @property
    def z_range(self) -> tuple[float, float]:
        return self.dimensions["z_min"], self.dimensions["z_max"]

    @property
    def volume(self) -> float:
        """Geometric volume in m³."""
        d = self.dimensions
        dz = d["z_max"] - d["z_min"]
        if self.shape == "box":
            return (d["x_max"] - d["x_min"]) * (d["y_max"] - d["y_min"]) * dz
        return math.pi * (d["r_max"] ** 2 - d.get("r_min", 0.0) ** 2) * dz

    def contains(self, x, y, z):
        """True where the point (x, y, z) [m] lies inside the volume (vectorized)."""
        d = self.dimensions
        x, y, z = (np.asarray(v, float) for v in (x, y, z))
        inz = (z >= d["z_min"]) & (z <= d["z_max"])
        if self.shape == "box":
            return (inz & (x >= d["x_min"]) & (x <= d["x_max"])
                    & (y >= d["y_min"]) & (y <= d["y_max"]))
        rho = np.hypot(x, y)
        return inz & (rho <= d["r_max"]) & (rho >= d.get("r_min", 0.0))

    def path_interval(self, theta, phi=0.0):
        """(ℓ_in, ℓ_out) in m of the ray from the IP along (θ, φ); ℓ_in ≥ ℓ_out means a miss."""
        return path_interval(self, theta, phi)

    def decay_probability(self, theta, phi, p, m_N, ctau):
        return decay_probability(self, theta, phi, p, m_N, ctau)


def _check_dimensions(name: str, shape: str, dims: dict) -> None:
    if shape not in SHAPES:
        raise DataError(f"detector {name!r}: unknown shape {shape!r}; use one of {SHAPES}")
    need = _DIMENSIONS[shape]
    missing = [k for k in need if k not in dims]
    extra = [k for k in dims if k not in need]
    if missing or extra:
        raise DataError(f"detector {name!r}: shape {shape!r} takes dimensions {list(need)} "
                        f"(metres); missing {missing}, unexpected {extra}")
    for k in need:
        v = dims[k]
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise DataError(f"detector {name!r}: dimension {k} = {v!r} is not a finite number")
    if not 0 < dims["z_min"] < dims["z_max"]:
        raise DataError(f"detector {name!r}: need 0 < z_min < z_max (metres downstream of "
                        f"the IP), got z_min = {dims['z_min']}, z_max = {dims['z_max']}")
    if shape in ("disc", "annulus"):
        r_min = dims.get("r_min", 0.0)
        if not 0 <= r_min < dims["r_max"]:
            raise DataError(f"detector {name!r}: need 0 <= r_min < r_max, got r_min = "
                            f"{r_min}, r_max = {dims['r_max']}")
    else:
        for a in ("x", "y"):
            if not dims[f"{a}_min"] < dims[f"{a}_max"]:
                raise DataError(f"detector {name!r}: need {a}_min < {a}_max")


def _validate(doc, source: str) -> None:
    import jsonschema
    if not isinstance(doc, dict):
        raise DataError(f"detector file {source}: expected a mapping at the top level")
    try:
        jsonschema.validate(doc, DETECTOR_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise DataError(f"detector file {source}: {where}: {exc.message}") from None


def detector_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "detectors"))


def available_detectors() -> list[str]:
    """Names of the shipped detectors."""
    return sorted(p.stem for p in detector_dir().glob("*.yaml"))


def detector_from_dict(doc: dict, source: str = "<dict>") -> Detector:
    _validate(doc, source)
    return Detector(name=doc["name"], shape=doc["shape"],
                    dimensions={k: float(v) for k, v in doc["dimensions"].items()},
                    luminosity_fb=float(doc["luminosity_fb"]), p_min=float(doc["p_min_GeV"]),
                    references=tuple(doc["references"]), description=doc.get("description", ""),
                    ip=doc.get("ip", ""), sqrt_s_TeV=doc.get("sqrt_s_TeV"), source=source)


def load_detector(name_or_path: str | Path) -> Detector:
    """A shipped detector by name (e.g. ``"FASER2"``) or a detector YAML file by path."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = detector_dir() / f"{name_or_path}.yaml"
        if not path.exists():
            from ...params import suggest
            names = available_detectors()
            raise DataError(f"unknown detector {str(name_or_path)!r}; shipped: "
                            f"{', '.join(names)}.{suggest(str(name_or_path), names)}")
    elif not path.exists():
        raise DataError(f"detector file {path} does not exist")
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise DataError(f"detector file {path}: not valid YAML ({exc})") from None
    return detector_from_dict(doc, str(path))


@lru_cache(maxsize=None)
def get_detector(name: str) -> Detector:
    """Shipped detector by name, loaded once."""
    return load_detector(name)


def _as_detector(det: Detector | str) -> Detector:
    return det if isinstance(det, Detector) else get_detector(det)


# ---------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------
def _slab(lo, hi, n):
    """ℓ-interval on which lo ≤ ℓ n ≤ hi for a ray from the origin (n may be 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = lo / n, hi / n
    t0 = np.minimum(a, b)
    t1 = np.maximum(a, b)
    zero = n == 0
    inside0 = (lo <= 0) & (0 <= hi)
    t0 = np.where(zero, np.where(inside0, -np.inf, np.inf), t0)
    t1 = np.where(zero, np.where(inside0, np.inf, -np.inf), t1)
    return t0, t1


def path_interval(detector: Detector | str, theta, phi=0.0):
    """Entry and exit path lengths (m) of the straight line from the IP along (θ, φ).

    Vectorized (θ, φ broadcast).  Where the ray misses the volume, ℓ_in = ℓ_out = inf.
    """
    det = _as_detector(detector)
    d = det.dimensions
    theta = np.asarray(theta, float)
    phi = np.asarray(phi, float)
    st, ct = np.sin(theta), np.cos(theta)
    if det.shape == "box":
        n = (st * np.cos(phi), st * np.sin(phi), ct)
        lo = np.zeros(np.broadcast_shapes(theta.shape, phi.shape))   # rays start at ℓ = 0
        hi = np.full_like(lo, np.inf)
        for axis, ni in zip("xyz", n):
            t0, t1 = _slab(d[f"{axis}_min"], d[f"{axis}_max"], np.broadcast_to(ni, lo.shape))
            lo, hi = np.maximum(lo, t0), np.minimum(hi, t1)
    else:
        shape = np.broadcast_shapes(theta.shape, phi.shape)
        st = np.broadcast_to(np.abs(st), shape)   # ρ(ℓ) = ℓ |sinθ| ≥ 0 for any φ
        ct = np.broadcast_to(ct, shape)
        t0z, t1z = _slab(d["z_min"], d["z_max"], ct)
        t0r, t1r = _slab(d.get("r_min", 0.0), d["r_max"], st)
        lo = np.maximum(np.maximum(t0z, t0r), 0.0)
        hi = np.minimum(t1z, t1r)
    miss = ~(hi > lo)
    return np.where(miss, np.inf, lo), np.where(miss, np.inf, hi)


def decay_probability_lambda(detector: Detector | str, theta, phi, decay_length):
    """P(decay inside the volume) for lab-frame decay length λ = βγcτ (m); vectorized."""
    l_in, l_out = path_interval(detector, theta, phi)
    lam = np.asarray(decay_length, float)
    hit = np.isfinite(l_in)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lin = np.where(hit, l_in, 0.0)
        dl = np.where(hit, l_out - l_in, 0.0)
        p = np.exp(-lin / lam) * -np.expm1(-dl / lam)
    return np.where(hit & (lam > 0), np.nan_to_num(p, nan=0.0), 0.0)


def decay_length(p, m_N, ctau):
    """Lab-frame decay length βγcτ = (p/m_N) cτ (units of cτ; p and m_N in GeV)."""
    return np.asarray(p, float) / np.asarray(m_N, float) * np.asarray(ctau, float)


def ctau_from_width(total_width):
    """Proper decay length cτ = ħc/Γ in metres for a total width Γ in GeV."""
    with np.errstate(divide="ignore"):
        return c.HBARC_GEV_M / np.asarray(total_width, float)


def decay_probability(detector: Detector | str, theta, phi, p, m_N, ctau):
    """Probability that an N from the IP with direction (θ, φ), momentum p [GeV] and proper
    decay length cτ [m] decays inside ``detector``; all arguments broadcast."""
    return decay_probability_lambda(detector, theta, phi, decay_length(p, m_N, ctau))


# ---------------------------------------------------------------------------------------
# detector acceptance helpers
# ---------------------------------------------------------------------------------------
def angular_range(det: Detector) -> tuple[float, float]:
    """(θ_min, θ_max) of the rays from the IP that can cross the volume."""
    d = det.dimensions
    if det.shape in ("disc", "annulus"):
        return (math.atan2(d.get("r_min", 0.0), d["z_max"]), math.atan2(d["r_max"], d["z_min"]))
    xs, ys = (d["x_min"], d["x_max"]), (d["y_min"], d["y_max"])
    rho_max = max(math.hypot(x, y) for x in xs for y in ys)
    cx = 0.0 if xs[0] <= 0 <= xs[1] else min(abs(xs[0]), abs(xs[1]))
    cy = 0.0 if ys[0] <= 0 <= ys[1] else min(abs(ys[0]), abs(ys[1]))
    return math.atan2(math.hypot(cx, cy), d["z_max"]), math.atan2(rho_max, d["z_min"])


def azimuth_range(det: Detector) -> tuple[float, float] | None:
    """(φ_lo, φ_hi) covered by a box that does not contain the beam axis; None otherwise."""
    if det.shape != "box":
        return None
    d = det.dimensions
    if d["x_min"] <= 0 <= d["x_max"] and d["y_min"] <= 0 <= d["y_max"]:
        return None
    ang = np.array([math.atan2(y, x) for x in (d["x_min"], d["x_max"])
                    for y in (d["y_min"], d["y_max"])])
    ref = math.atan2(0.5 * (d["y_min"] + d["y_max"]), 0.5 * (d["x_min"] + d["x_max"]))
    rel = (ang - ref + math.pi) % (2 * math.pi) - math.pi
    return ref + rel.min(), ref + rel.max()


# ---------------------------------------------------------------------------------------
# keys: a hashable description of a detector's geometry (for caches) and back
# ---------------------------------------------------------------------------------------
def detector_key(det: Detector) -> tuple:
    return (det.name, det.shape, tuple(sorted(det.dimensions.items())), det.p_min)


@lru_cache(maxsize=64)
def detector_from_key(key: tuple) -> Detector:
    name, shape, dims, p_min = key
    return Detector(name=name, shape=shape, dimensions=dict(dims), luminosity_fb=1.0,
                            p_min=p_min)


def sample_seed(*parts) -> int:
    """A reproducible random seed from the parts that define a Monte Carlo sample."""
    return zlib.crc32("/".join(map(str, parts)).encode())
