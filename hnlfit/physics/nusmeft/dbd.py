r"""Neutrinoless double beta decay of 136Xe with a heavy neutrino and O_Hnue (n = 1).

arXiv:2105.11462 Sec. 4.5, eqs. 4.24-4.29.  A heavy nu_4 (m_4 >~ 1 GeV) is integrated out at
the 0vbb scale and generates the dimension-nine operators of eq. 4.24 with (eq. 4.25)::

    C_1L^(9) = -2 v V_ud^2 U_e4^2 / m_4,
    C_1R^(9) = -(v^5/2) V_ud^2 [C-bar_Hnue]_4e^*2 / m_4,

whose amplitudes combine with the light-neutrino one (m_bb, eq. 4.26) in eqs. 4.27-4.28.
For 136Xe the seed evaluates this as eq. 4.29 (coefficients in
``hnlfit/data/dbd_xe136.yaml``, the seed's numbers from the NMEs of Hyvarinen-Suhonen 2015
and the phase-space factors of Horoi-Neacsu 2017)::

    1/T = 2.4e-24 |m_bb/eV|^2 + 1.5e-7 m_bb U^2/m_4 - 7.4e-9 m_bb c^2/m_4
          + (GeV/m_4)^2 (23e-10 U^4 - 2.3e-10 c^2 U^2 + 1.4e-10 c^4)      [1/yr]

with c = v^2 [C-bar_Hnue]_4e (v = 246.22 GeV) and real couplings (hnlfit takes U_e = |U_e4|,
a signed C_Hnue_e and a signed real m_bb; CP phases are not used here).

Limit-setting choice (seed, end of Sec. 4.5): the m_bb and C_1L^(9) pieces depend on the
light-neutrino mass mechanism, so only the C_1R^(9) term, 1.4e-10 (GeV/m_4)^2 c^4, is used
("c1r").  "full" gives all of eq. 4.29.

Consistency of eq. 4.29 (checked here, see :func:`consistency`): with
A_L = a m_bb + d U^2/m_4 and A_R = r c^2/m_4, eq. 4.27 gives
1/T = G01 (A_L^2 + A_R^2) - 2 (G01 - G04) A_L A_R, so
mbb_U2 = 2 sqrt(mbb2 U4) (the eV/GeV factor 1e9 included), C2U2 / U4 = 2 mbb_C2 / mbb_U2,
and (G01 - G04)/G01 = -C2U2 / (2 sqrt(U4 C4)) ~ 0.20.  The printed (rounded) numbers obey
the last two to 1.4 % (G04/G01 ~ 0.80 is sensible), but the first only as
(1.5e-7)^2 / (4 * 2.4e-24 * 2.3e-9 * 1e18) = 1.019 > 1: the m_bb-U^2 part of the quadratic
form is then not positive semi-definite, and 1/T can come out negative (by up to 1.9 % of
the U^4 term) where m_bb and U^2/m_4 cancel.  "full" therefore clips 1/T at 0.  "c1r" is
unaffected.
"""
from __future__ import annotations

import functools
import math
from importlib import resources

import numpy as np
import yaml

from ... import constants as c
from ...errors import DataError

_EV_PER_GEV = 1e9
_KEYS = ("mbb2", "mbb_U2", "mbb_C2", "U4", "C2U2", "C4")
TERMS = ("c1r", "full")


COEFFICIENT_FILE = resources.files("hnlfit") / "data" / "dbd_xe136.yaml"


def load_coefficients(path=COEFFICIENT_FILE) -> dict[str, float]:
    """Read and check an eq. 4.29 coefficient file; a malformed file raises DataError."""
    try:
        doc = yaml.safe_load(path.read_text())
        coef = {k: float(doc["coefficients"][k]) for k in _KEYS}
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed 0vbb coefficient file ({type(exc).__name__}: "
                        f"{exc}); expected coefficients {', '.join(_KEYS)}") from exc
    if not all(math.isfinite(v) for v in coef.values()) or coef["C4"] <= 0:
        raise DataError(f"{path}: 0vbb coefficients must be finite with C4 > 0")
    return coef


@functools.lru_cache(maxsize=1)
def coefficients() -> dict[str, float]:
    """The eq. 4.29 coefficients for 136Xe, from ``hnlfit/data/dbd_xe136.yaml``."""
    return load_coefficients()


def consistency() -> dict[str, float]:
    """Ratios that eq. 4.29 must satisfy if it came from one amplitude structure (see doc)."""
    k = coefficients()
    return {
        "square_mbb_U": k["mbb_U2"] ** 2 / (4.0 * k["mbb2"] * k["U4"] * _EV_PER_GEV ** 2),
        "interference_ratio": (k["C2U2"] / k["U4"]) / (2.0 * k["mbb_C2"] / k["mbb_U2"]),
        "one_minus_G04_over_G01": -k["C2U2"] / (2.0 * math.sqrt(k["U4"] * k["C4"])),
    }


def inv_half_life_xe136(m_N, C, U=0.0, m_bb=0.0, terms: str = "c1r") -> np.ndarray:
    """1/T_1/2^0v(136Xe) in 1/yr (eq. 4.29).

    m_N = m_4 in GeV, C = [C-bar_Hnue]_4e in GeV^-2, U = U_e4, m_bb in eV (real, signed).
    terms = "c1r": only 1.4e-10 (GeV/m_4)^2 |v^2 C|^4 (seed's conservative choice);
    terms = "full": all of eq. 4.29, clipped at 0 (see module docstring).
    """
    if terms not in TERMS:
        raise ValueError(f"terms must be one of {TERMS}, got {terms!r}")
    k = coefficients()
    m4 = np.asarray(m_N, dtype=np.float64)
    cc = c.VEV ** 2 * np.asarray(C, dtype=np.float64)
    c2 = cc * cc
    inv_m4sq = 1.0 / (m4 * m4)                        # (1 GeV / m_4)^2
    if terms == "c1r":
        return k["C4"] * inv_m4sq * c2 * c2
    U2 = np.asarray(U, dtype=np.float64) ** 2
    mbb = np.asarray(m_bb, dtype=np.float64)
    ratio = mbb / (m4 * _EV_PER_GEV)                  # m_bb / m_4, dimensionless
    out = (k["mbb2"] * mbb * mbb + k["mbb_U2"] * ratio * U2 + k["mbb_C2"] * ratio * c2
           + inv_m4sq * (k["U4"] * U2 * U2 + k["C2U2"] * c2 * U2 + k["C4"] * c2 * c2))
    return np.maximum(out, 0.0)


def c_limit(m_N, inv_half_life_max, terms_coefficient: float | None = None) -> np.ndarray:
    """Largest |v^2 C-bar_4e| allowed by 1/T < inv_half_life_max with the c1r term alone."""
    k = coefficients()["C4"] if terms_coefficient is None else terms_coefficient
    m4 = np.asarray(m_N, dtype=np.float64)
    return (inv_half_life_max * m4 * m4 / k) ** 0.25
