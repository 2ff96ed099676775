"""Axis labels: a parameter's symbol with its unit, in TeX."""
from __future__ import annotations

from ..params import PARAMETERS

_TEX = {
    "m_N": r"$m_N$", "Lambda": r"$\Lambda$", "U_mu": r"$|U_{\mu 4}|$", "U_e": r"$|U_{e4}|$",
    "U_tau": r"$|U_{\tau 4}|$",
    "d_gamma_e": r"$d_\gamma^e$", "d_gamma_mu": r"$d_\gamma^\mu$",
    "d_gamma_tau": r"$d_\gamma^\tau$", "C_Hnue_mu": r"$[\bar C_{H\nu e}]_{4\mu}$",
    "C_Hnue_e": r"$[\bar C_{H\nu e}]_{4e}$", "sign": "sign",
}


def axis_label(name: str, label: str | None = None) -> str:
    """``label`` if given, else the parameter's symbol with its unit in brackets."""
    if label:
        return label
    spec = PARAMETERS.get(name)
    unit = spec.unit if spec else ""
    sym = _TEX.get(name, name)
    return f"{sym} [{tex_unit(unit)}]" if unit and unit != "1" else sym


def tex_unit(unit: str) -> str:
    """'GeV^-1' -> 'GeV$^{-1}$' (plain units are left alone)."""
    base, sep, power = unit.partition("^")
    return f"{base}$^{{{power}}}$" if sep else unit
