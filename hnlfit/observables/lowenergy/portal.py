"""Low-energy dipole-portal observables: up-scattering cross sections, kinematics, xenon
rates, cosmology and the light neutrinos' own moments (issue 13; seed 001).

μ_ν = 2 d_γ (L ⊃ d ν̄ σ N F + h.c.); derivations in docs/derivations/low_energy.md.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ... import constants as c
from ...errors import ObservableError
from ...physics.lowenergy import cosmology, cross_sections as xs, light_moments, rates, solar
from ...physics.lowenergy import xenon
from ...physics.lowenergy.kinematics import e_nu_min
from ..registry import observable

_FLAV = ("e", "mu", "tau")
_D = ("m_N", "d_gamma_e", "d_gamma_mu", "d_gamma_tau")
_REF_XS = ("seed 001 (slides: up-scattering cross sections; verified)",
           "Lewin & Smith, Astropart. Phys. 6 (1996) 87 (Helm)")


def _energy(name: str, value, obs: str):
    if value is None:
        raise ObservableError(f"observable {obs!r} needs the argument {name!r} (GeV)")
    v = np.asarray(value, dtype=np.float64)
    if np.any(~np.isfinite(v)) or np.any(v <= 0):
        raise ObservableError(f"observable {obs!r}: {name} must be finite and > 0 GeV")
    return v


def _flavour(flavour: str, obs: str) -> str:
    if flavour not in _FLAV:
        raise ObservableError(f"observable {obs!r}: flavour must be one of {_FLAV}, "
                              f"got {flavour!r}")
    return flavour


@observable("dsigma_dEr_nu_e", unit="cm^2/GeV", tex=r"d\sigma(\nu_\alpha e\to Ne)/dE_r",
            params=_D, refs=_REF_XS, args={"E_nu": None, "E_r": None, "flavour": "e"},
            description="dsigma/dE_r of nu_flavour e -> N e on a free electron at rest")
def dsigma_dEr_nu_e(p, E_nu=None, E_r=None, flavour="e"):
    """dσ/dE_r (cm²/GeV) of ν_α e → N e (free electron, μ = 2 d_γ^α); 0 below E_min."""
    E = _energy("E_nu", E_nu, "dsigma_dEr_nu_e")
    T = _energy("E_r", E_r, "dsigma_dEr_nu_e")
    mu = xs.mu_from_d(p[f"d_gamma_{_flavour(flavour, 'dsigma_dEr_nu_e')}"])
    return xs.dsigma_dT_electron(E, T, p["m_N"], mu) * xs.GEV2_TO_CM2


@observable("dsigma_dEr_nu_xenon", unit="cm^2/GeV", tex=r"d\sigma(\nu_\alpha\,\mathrm{Xe}\to N\,\mathrm{Xe})/dE_r",
            params=_D, refs=_REF_XS, args={"E_nu": None, "E_r": None, "flavour": "e"},
            description="coherent dsigma/dE_r of nu_flavour Xe -> N Xe (Z^2 Helm^2, spin 0)")
def dsigma_dEr_nu_xenon(p, E_nu=None, E_r=None, flavour="e"):
    """Coherent dσ/dE_r (cm²/GeV) on a xenon nucleus (Z = 54, A = 131.293)."""
    E = _energy("E_nu", E_nu, "dsigma_dEr_nu_xenon")
    T = _energy("E_r", E_r, "dsigma_dEr_nu_xenon")
    mu = xs.mu_from_d(p[f"d_gamma_{_flavour(flavour, 'dsigma_dEr_nu_xenon')}"])
    tg = xenon.target()
    return xs.dsigma_dT_nucleus(E, T, p["m_N"], mu, tg["Z"], tg["A"],
                                rates.nucleus_mass(tg)) * xs.GEV2_TO_CM2


@observable("E_nu_min_electron", unit="GeV", tex=r"E_\nu^\mathrm{min}(E_r)", params=("m_N",),
            refs=("seed 001 (slide: E_nu^min, verified by two-body kinematics)",), sm=None,
            args={"E_r": None}, description="minimal neutrino energy for an electron recoil E_r")
def E_nu_min_electron(p, E_r=None):
    """E_ν^min = ½[E_r + √(E_r² + 2 m_e E_r)](1 + m_N²/(2 m_e E_r)) in GeV."""
    T = _energy("E_r", E_r, "E_nu_min_electron")
    return e_nu_min(T, p["m_N"], c.M_E)


@observable("dR_dEr_xenon", unit="1/(t yr GeV)", tex=r"dR/dE_r\,(\mathrm{Xe})", params=_D,
            refs=("seed 001 (slide: dR/dE_r)", "1611.09867 (B16-GS98)", "2410.05380 (NuFIT 6.0)"),
            args={"E_r": None, "channel": "electron", "flavour_mode": "mass",
                  "solar_model": "B16-GS98"},
            description="solar-nu up-scattering rate in xenon per tonne-year per GeV of true E_r")
def dR_dEr_xenon(p, E_r=None, channel="electron", flavour_mode="mass", solar_model="B16-GS98"):
    """Events/(t yr GeV) of true recoil energy: electrons (stepping function) or nuclei."""
    T = _energy("E_r", E_r, "dR_dEr_xenon")
    if channel not in ("electron", "nucleus"):
        raise ObservableError("observable 'dR_dEr_xenon': channel must be 'electron' or "
                              f"'nucleus', got {channel!r}")
    if flavour_mode not in ("mass", "incoherent"):
        raise ObservableError("observable 'dR_dEr_xenon': flavour_mode must be 'mass' or "
                              f"'incoherent', got {flavour_mode!r}")
    if solar_model not in solar.MODELS:
        raise ObservableError(f"observable 'dR_dEr_xenon': solar_model must be one of "
                              f"{solar.MODELS}")
    w = 4.0 * solar.coupling_weights(p["d_gamma_e"], p["d_gamma_mu"], p["d_gamma_tau"],
                                     flavour_mode)
    r = rates.true_rate_per_eigenstate(T, p["m_N"], channel, xenon.target(), solar_model)
    return np.sum(r * w, axis=-1)


@observable("tau_N", unit="s", tex=r"\tau_N", params=_D,
            refs=("2308.16608 eq. 2.19", "seed 001 (tau_N ~ 3760 s, verified)"), sm=None,
            description="HNL lifetime from N -> nu gamma (Dirac N; inf without coupling)")
def tau_N(p):
    """τ_N = ħ/Σ_α Γ(N → ν_α γ) in s."""
    return cosmology.lifetime_s(p)


@observable("T_dec_N", unit="GeV", tex=r"T_\mathrm{dec}", params=_D,
            refs=("seed 001", "2007.15563"), sm=None,
            description="decoupling temperature of N, 1.28 GeV (1e-11 mu_B/mu)^2")
def T_dec_N(p):
    return cosmology.decoupling_temperature(p)


@observable("delta_N_eff", unit="1", tex=r"\Delta N_\mathrm{eff}", params=_D,
            refs=("seed 001",), description="Delta N_eff of a thermalised relativistic N")
def delta_N_eff(p):
    return cosmology.delta_n_eff(p)


@observable("mu_nu_dirac_light", unit="mu_B", tex=r"\mu_{\nu}^{\rm diag}", params=(),
            refs=("seed 001 slide 2", "Fujikawa & Shrock, PRL 45 (1980) 963"), sm=None,
            args={"m_nu_eV": 0.1}, description="SM+nu_R magnetic moment of a Dirac neutrino")
def mu_nu_dirac_light(p, m_nu_eV=0.1):
    return np.broadcast_to(light_moments.mu_dirac_over_muB(m_nu_eV), p.shape)


@observable("mu_nu_majorana_transition", unit="mu_B", tex=r"|\mu_\nu^{ij}|", params=(),
            refs=("seed 001 slide 2", "Pal & Wolfenstein, PRD 25 (1982) 766"), sm=None,
            args={"i": 1, "j": 2, "m_lightest_eV": 0.01, "alpha21": 0.0, "alpha31": 0.0},
            description="transition moment |mu_ij| of Majorana light neutrinos (NO)")
def mu_nu_majorana_transition(p, i=1, j=2, m_lightest_eV=0.01, alpha21=0.0, alpha31=0.0):
    return np.broadcast_to(light_moments.mu_majorana_over_muB(int(i), int(j), m_lightest_eV,
                                                               alpha21, alpha31), p.shape)


@observable("n_events_xenon_nr", unit="events", tex=r"N_\mathrm{NR}(\mathrm{Xe})", params=_D,
            refs=("2408.02877 (XENONnT 8B CEvNS: 3.51 t yr, 37 events, B = 26.4)",),
            args={"exposure_t_yr": 3.51, "sm_events": 12.3, "flavour_mode": "mass",
                  "solar_model": "B16-GS98"},
            description="dipole up-scattering nuclear recoils in the XENONnT 8B CEvNS window")
def n_events_xenon_nr(p, exposure_t_yr=3.51, sm_events=12.3, flavour_mode="mass",
                      solar_model="B16-GS98"):
    """Nuclear-recoil events from ν Xe → N Xe above the sharp threshold at which the SM 8B
    CEvNS expectation equals ``sm_events`` in ``exposure_t_yr`` (a stand-in for the
    unpublished efficiency curve; 2.30 keV_nr for 12.3 events in 3.51 t yr)."""
    if flavour_mode not in ("mass", "incoherent"):
        raise ObservableError("observable 'n_events_xenon_nr': flavour_mode must be 'mass' or "
                              f"'incoherent', got {flavour_mode!r}")
    table = _nr_table(float(sm_events) / float(exposure_t_yr), solar_model)
    w = 4.0 * solar.coupling_weights(p["d_gamma_e"], p["d_gamma_mu"], p["d_gamma_tau"],
                                     flavour_mode)
    counts = xenon.interpolate_in_mass(table, p["m_N"])[..., 0, :]
    return float(exposure_t_yr) * np.sum(counts * w, axis=-1)


@lru_cache(maxsize=8)
def _nr_table(sm_per_t_yr: float, solar_model: str):
    return xenon.nr_count_table(xenon.calibrated_threshold_kev(sm_per_t_yr, solar_model),
                                solar_model)
