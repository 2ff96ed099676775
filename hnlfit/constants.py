"""Standard-Model inputs, in GeV units, from one place.

Masses, widths and lifetimes come from the ``particle`` package (PDG tables it ships;
``particle.__version__`` and its PDG edition are recorded in :data:`SOURCES`).  The
remaining constants are quoted with their reference.  Nothing else in hnlfit may hard-code
an SM number: import it from here.
"""
from __future__ import annotations

import math

import particle
from particle import Particle

_MEV = 1e-3  # particle quotes masses and widths in MeV, lifetimes in ns


def _mass(pdgid: int) -> float:
    return Particle.from_pdgid(pdgid).mass * _MEV


def _width(pdgid: int) -> float:
    return Particle.from_pdgid(pdgid).width * _MEV


# --- unit conversions (CODATA 2018, PDG "Physical constants" table) -------------------
HBAR_GEV_S = 6.582119569e-25          # hbar in GeV s
HBARC_GEV_M = 1.973269804e-16         # hbar c in GeV m
HBARC_GEV_CM = HBARC_GEV_M * 100.0    # hbar c in GeV cm
SECONDS_PER_YEAR = 365.25 * 86400.0   # Julian year (PDG convention)
GEV2_TO_PB = 0.3893793721e9           # (hbar c)^2 in GeV^2 pb

# --- couplings -------------------------------------------------------------------------
ALPHA_EM = 1.0 / 137.035999084        # Thomson limit, CODATA 2018
E_CHARGE = math.sqrt(4.0 * math.pi * ALPHA_EM)
G_FERMI = 1.1663787e-5                # GeV^-2, PDG 2024 (MuLan)
VEV = (math.sqrt(2.0) * G_FERMI) ** -0.5   # v = (sqrt2 G_F)^(-1/2) = 246.22 GeV
SIN2_THETA_W = 0.23122                # MSbar sin^2 theta_w(m_Z), PDG 2022 EW review
ALPHA_S_MZ = 0.1180                   # alpha_s(M_Z) MSbar, PDG 2024 QCD review world average

# --- masses and widths (particle / PDG) -------------------------------------------------
M_E = _mass(11)
M_MU = _mass(13)
M_TAU = _mass(15)
M_W = _mass(24)
M_Z = _mass(23)
M_H = _mass(25)
M_TOP = _mass(6)
M_BOTTOM = _mass(5)   # PDG MSbar m_b(m_b) (the value `particle` ships for pdgid 5)
M_PI_CHARGED = _mass(211)
M_PI0 = _mass(111)
GAMMA_W = _width(24)
GAMMA_Z = _width(23)
TAU_MU_S = Particle.from_pdgid(13).lifetime * 1e-9      # muon lifetime in s
TAU_TAU_S = Particle.from_pdgid(15).lifetime * 1e-9     # tau lifetime in s
GAMMA_MU = HBAR_GEV_S / TAU_MU_S                        # muon total width in GeV
GAMMA_TAU = HBAR_GEV_S / TAU_TAU_S

LEPTON_MASS = {"e": M_E, "mu": M_MU, "tau": M_TAU}

# SU(2) coupling as used in 2105.11462 (g = 2 m_W / v)
G_WEAK = 2.0 * M_W / VEV
MU_BOHR_GEV = E_CHARGE / (2.0 * M_E)  # Bohr magneton in GeV^-1 (natural units)

SOURCES = {
    "particle": f"particle {particle.__version__} (PDG tables)",
    "ALPHA_EM": "CODATA 2018",
    "G_FERMI": "PDG 2024, Physical constants",
    "SIN2_THETA_W": "PDG 2022, Electroweak model review, MSbar at m_Z",
    "ALPHA_S_MZ": "PDG 2024, Quantum chromodynamics review (world average 0.1180 +- 0.0009)",
    "HBAR": "CODATA 2018",
}
