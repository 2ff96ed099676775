"""Named dipole scenarios: benchmark values of a = d_UW/d_UB (seed 002: I-IV and A-D).

The presets live in ``hnlfit/data/dipole_scenarios.yaml`` with their sources.  A scenario
fixes the ratios d_Z/d_gamma and d_W/d_gamma through 2308.16608 eq. 2.6
(:func:`hnlfit.params.dipoles_from_ratio`); ``a = inf`` (scenario II, d_UB = 0) is the limit
d_Z/d_gamma = c_w/s_w, d_W/d_gamma = sqrt2/s_w, which a Point cannot hold as ``a`` (it must be
finite), so :meth:`Scenario.params` returns d_Z and d_W explicitly instead.

    >>> from hnlfit.physics.scenarios import preset
    >>> preset("III").a == 2 * tan(theta_w)          # d_Z = 0
    >>> hnlfit.make_point(m_N=1.0, **preset("II").params("mu", 1e-6))
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ...errors import DataError
from ...io import read_yaml
from ...params import FLAVOURS, dipoles_from_ratio, ratio_zero_dZ, suggest
from ... import constants as c


@dataclass(frozen=True)
class Scenario:
    name: str
    a: float                      # d_UW / d_UB; +inf for d_UB = 0
    assumption: str
    source: str
    slide_relations: dict = field(default_factory=dict)
    slide_ratios: dict = field(default_factory=dict)

    @property
    def ratios(self) -> tuple[float, float]:
        """(d_Z/d_gamma, d_W/d_gamma) from eq. 2.6 (the a -> inf limit for a = inf)."""
        if math.isinf(self.a):
            sw = math.sqrt(c.SIN2_THETA_W)
            return math.sqrt(1.0 - c.SIN2_THETA_W) / sw, math.sqrt(2.0) / sw
        dz, dw = dipoles_from_ratio(1.0, self.a)
        dz = 0.0 if abs(dz) < 1e-12 else float(dz)   # a = 2 tan(theta_w): exactly 0
        return dz, float(dw)

    def params(self, flavour: str, d_gamma) -> dict:
        """Point parameters {d_gamma_f, d_Z_f, d_W_f} for flavour ``f`` at this scenario.

        d_Z and d_W are given explicitly (not through ``a``), so the dict can be merged with
        other flavours' or passed to :func:`hnlfit.make_point` as it is."""
        if flavour not in FLAVOURS:
            raise DataError(f"unknown flavour {flavour!r}; use one of {FLAVOURS}")
        rz, rw = self.ratios
        dg = np.asarray(d_gamma, dtype=np.float64)
        return {f"d_gamma_{flavour}": dg, f"d_Z_{flavour}": rz * dg, f"d_W_{flavour}": rw * dg}

    def point_a(self) -> float:
        """A finite ``a`` usable in a Point or run card: ``a`` itself, or 1e12 for a = inf
        (eq. 2.6 then reproduces the limit to 1e-12)."""
        return 1.0e12 if math.isinf(self.a) else self.a


def _data_file() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "dipole_scenarios.yaml"))


def _parse_a(value, name: str) -> float:
    t = ratio_zero_dZ()   # 2 tan(theta_w)
    special = {"2tan": t, "-2tan": -t}
    if isinstance(value, str):
        if value not in special:
            raise DataError(f"scenario {name!r}: a = {value!r} is not a number, '2tan' or '-2tan'")
        return special[value]
    return float(value)


@lru_cache(maxsize=None)
def _load() -> dict[str, Scenario]:
    doc = read_yaml(_data_file(), "dipole scenario file")
    out = {}
    for name, e in doc["scenarios"].items():
        out[str(name)] = Scenario(name=str(name), a=_parse_a(e["a"], name),
                                  assumption=e.get("assumption", ""), source=e.get("source", ""),
                                  slide_relations=dict(e.get("slide_relations", {})),
                                  slide_ratios=dict(e.get("slide_ratios", {})))
    return out


def names() -> list[str]:
    return list(_load())


def preset(name: str) -> Scenario:
    """The named scenario (I, II, III, IV of the LEP/CEPC study; A, B, C, D of the LLP study);
    case-insensitive."""
    table = _load()
    key = str(name).upper()
    if key not in table:
        raise DataError(f"unknown dipole scenario {name!r}; available: {', '.join(table)}."
                        f"{suggest(key, table)}")
    return table[key]
