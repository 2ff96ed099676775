"""Solar neutrinos: SSM fluxes, spectral shapes, MSW mass-eigenstate fractions.

Data (cited there): hnlfit/data/solar/ssm_fluxes.yaml (B16-GS98, B16-AGSS09met; Vinyoles
et al. 2017), spectra.yaml (allowed β⁺ shapes, lines, 8B folded with the 8Be* line shape),
oscillations.yaml (NuFIT 6.0).  Energies in GeV, fluxes in cm⁻² s⁻¹, spectra in GeV⁻¹.

Oscillations: a ν_e produced at electron density n_e leaves the Sun adiabatically as the
incoherent mixture of mass eigenstates with fractions (docs/derivations/low_energy.md §3)

    P_e1 = c13² cos²θ12^m,  P_e2 = c13² sin²θ12^m,  P_e3 = s13²,
    cos 2θ12^m = (cos 2θ12 − β)/√((cos 2θ12 − β)² + sin² 2θ12),  β = 2√2 G_F c13² n_e E/Δm²21,

and P_eα = Σ_i P_ei |U_αi|² (Earth matter and θ13 matter effects neglected, ≲ 1–3%).
An HNL with couplings d_α is produced by the mass eigenstates incoherently:
rate ∝ Σ_i P_ei |Σ_α U_αi d_α|² (``flavour="mass"``, the default); the literature's
``flavour="incoherent"`` weights flavours instead, Σ_α P_eα d_α².
"""
from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ... import constants as c
from ...errors import DataError
from ...io import read_yaml

_AVOGADRO = 6.02214076e23
SOURCES = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")
MODELS = ("B16-GS98", "B16-AGSS09met")


def data_dir() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "solar"))


@lru_cache(maxsize=None)
def _yaml(name: str) -> dict:
    return read_yaml(data_dir() / name, "solar data file")


def fluxes(model: str = "B16-GS98") -> dict[str, float]:
    """Total flux of every source (cm⁻² s⁻¹) in an SSM."""
    models = _yaml("ssm_fluxes.yaml")["models"]
    if model not in models:
        raise DataError(f"unknown solar model {model!r}; allowed: {', '.join(models)}")
    return {k: float(v) for k, v in models[model].items()}


def lines() -> dict[str, list[tuple[float, float]]]:
    """Monochromatic sources: [(E in GeV, branching)]."""
    return {s: [(float(e) * 1e-3, float(b)) for e, b in br.items()]
            for s, br in _yaml("spectra.yaml")["lines"].items()}


def _allowed_beta_plus(E, Q, Z):
    """Unnormalised allowed β⁺ neutrino spectrum (E, Q in GeV)."""
    E = np.asarray(E, dtype=np.float64)
    W = Q + c.M_E - E                         # positron total energy
    p = np.sqrt(np.clip(W * W - c.M_E ** 2, 0.0, None))
    ok = (E > 0) & (E < Q) & (p > 0)
    psafe = np.where(ok, p, 1.0)
    eta = -Z * c.ALPHA_EM * W / psafe           # positron: repulsive Coulomb field
    fermi = 2.0 * np.pi * eta / np.expm1(2.0 * np.pi * eta) * np.exp(2.0 * np.pi * eta)
    # 2πη/(1 − e^{−2πη}) written without overflow for η < 0
    return np.where(ok, E * E * p * W * fermi, 0.0)


@lru_cache(maxsize=None)
def _shape_table(source: str, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """(E grid, normalised dN/dE) of a continuous source, GeV and GeV⁻¹."""
    spec = _yaml("spectra.yaml")
    if source in spec["continuous"]:
        Q, Z = spec["continuous"][source]["Q"] * 1e-3, spec["continuous"][source]["Z"]
        E = np.linspace(0.0, Q, n)
        f = _allowed_beta_plus(E, Q, Z)
    elif source == "8B":
        b = spec["boron8"]
        Q0, Z = b["Q_ground"] * 1e-3, b["Z"]
        ex = np.linspace(b["Ex_min"], 9.0, 400) * 1e-3
        gam, x0 = b["Ex_width"] * 1e-3, b["Ex_centroid"] * 1e-3
        w = 1.0 / ((ex - x0) ** 2 + 0.25 * gam * gam)
        E = np.linspace(0.0, Q0 - ex[0], n)
        per_ex = _allowed_beta_plus(E[None, :], (Q0 - ex)[:, None], Z)
        per_ex /= np.trapezoid(per_ex, E, axis=1)[:, None]   # w is the *observed* 8Be* shape
        f = np.trapezoid(w[:, None] * per_ex, ex, axis=0)
    else:
        raise DataError(f"{source!r} is not a continuous solar source")
    f = f / np.trapezoid(f, E)
    return E, f


def spectrum(source: str, E):
    """Normalised spectrum dN/dE (GeV⁻¹) of a continuous source at E (GeV)."""
    grid, f = _shape_table(source)
    return np.interp(np.asarray(E, dtype=np.float64), grid, f, left=0.0, right=0.0)


def endpoint(source: str) -> float:
    grid, f = _shape_table(source)
    return float(grid[np.nonzero(f)[0][-1] + 1]) if f[-1] == 0 else float(grid[-1])


def continuous_sources() -> tuple[str, ...]:
    return tuple(s for s in SOURCES if s not in lines())


# ---------------------------------------------------------------------------------------
# oscillations
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def oscillation_parameters() -> dict[str, float]:
    y = _yaml("oscillations.yaml")
    return {k: float(y[k]) for k in ("sin2_theta12", "sin2_theta13", "sin2_theta23",
                                     "delta_cp_deg", "dm2_21_eV2", "dm2_31_eV2")}


@lru_cache(maxsize=None)
def pmns() -> np.ndarray:
    """PMNS matrix U_αi (rows e, μ, τ; PDG parametrisation; Majorana phases drop out)."""
    o = oscillation_parameters()
    s12, s13, s23 = (math.sqrt(o[k]) for k in ("sin2_theta12", "sin2_theta13", "sin2_theta23"))
    c12, c13, c23 = (math.sqrt(1.0 - s * s) for s in (s12, s13, s23))
    e = np.exp(1j * math.radians(o["delta_cp_deg"]))
    U = np.array([
        [c12 * c13, s12 * c13, s13 / e],
        [-s12 * c23 - c12 * s23 * s13 * e, c12 * c23 - s12 * s23 * s13 * e, s23 * c13],
        [s12 * s23 - c12 * c23 * s13 * e, -c12 * s23 - s12 * c23 * s13 * e, c23 * c13]])
    U.setflags(write=False)
    return U


def production_density(source: str) -> float:
    """Median electron density at production, n_e/N_A (cm⁻³), spectra.yaml."""
    return float(_yaml("spectra.yaml")["production_ne"][source])


def matter_potential_ratio(E, n_e_over_NA):
    """β = 2√2 G_F c13² n_e E / Δm²21 (dimensionless), E in GeV, n_e in N_A cm⁻³."""
    o = oscillation_parameters()
    n_e = n_e_over_NA * _AVOGADRO * c.HBARC_GEV_CM ** 3          # GeV³
    c13sq = 1.0 - o["sin2_theta13"]
    return (2.0 * math.sqrt(2.0) * c.G_FERMI * c13sq * n_e * np.asarray(E, float)
            / (o["dm2_21_eV2"] * 1e-18))


def mass_fractions(E, n_e_over_NA):
    """P_ei (last axis i = 1, 2, 3): the mass-eigenstate content at Earth of a ν_e made at
    density n_e with energy E (GeV), adiabatic MSW."""
    o = oscillation_parameters()
    s13sq = o["sin2_theta13"]
    c2 = 1.0 - 2.0 * o["sin2_theta12"]
    s2 = math.sqrt(1.0 - c2 * c2)
    beta = matter_potential_ratio(E, n_e_over_NA)
    cos2m = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2 * s2)
    p1 = (1.0 - s13sq) * 0.5 * (1.0 + cos2m)
    p2 = (1.0 - s13sq) * 0.5 * (1.0 - cos2m)
    return np.stack([p1, p2, np.full_like(p1, s13sq)], axis=-1)


def flavour_probabilities(E, n_e_over_NA):
    """P_eα (last axis α = e, μ, τ) = Σ_i P_ei |U_αi|²."""
    return mass_fractions(E, n_e_over_NA) @ (np.abs(pmns()) ** 2).T


def survival_probability(E, source: str = "8B"):
    """P_ee(E) for a source's production density."""
    return flavour_probabilities(E, production_density(source))[..., 0]


def coupling_weights(d_e, d_mu, d_tau, flavour: str = "mass"):
    """Weights w_i of the mass-eigenstate rates S_i (rate = Σ_i w_i S_i, S_i ∝ P_ei).

    ``mass``: w_i = |Σ_α U_αi d_α|² (physical); ``incoherent``: w_i = Σ_α |U_αi|² d_α²,
    which equals Σ_α P_eα d_α² once contracted with P_ei.  d real (the Point's dipoles).
    """
    U = pmns()
    d = np.stack(np.broadcast_arrays(*(np.asarray(x, np.float64) for x in (d_e, d_mu, d_tau))),
                 axis=-1)
    if flavour == "mass":
        return np.abs(d.astype(complex) @ U) ** 2
    if flavour == "incoherent":
        return (d * d) @ (np.abs(U) ** 2)
    raise ValueError(f"flavour must be 'mass' or 'incoherent', got {flavour!r}")
