"""Standard-Model background of monophoton searches: e+e- -> nu nu-bar gamma (3 flavours).

Computed, not cited: tree-level e+e- -> nu nu-bar (Z s-channel for all flavours, t-channel W
and its interference for nu_e, G_F-scheme couplings g_Z^2 = 4 sqrt2 G_F M_Z^2,
g^2 = 4 sqrt2 G_F M_W^2) dressed with one initial-state photon in the radiator form exact
for emission off the initial e+e- with an s-channel vector current
(e.g. Berends et al., Nucl. Phys. B 301 (1988) 583; the flux used in the monophoton studies
of the seed authors, arXiv:1903.12114)::

    d^2 sigma / (dx dcos) = (2 alpha / pi) [(1 - x/2)^2 + x^2 cos^2 / 4] / (x sin^2)
                            * sigma_0(s (1 - x)),        x = 2 E_gamma / sqrt(s)

It integrates to the collinear limit (alpha/pi) ln(s/m_e^2) (1 + (1-x)^2)/x sigma_0.  For the
nu_e channel it treats the t-channel W like the s-channel (photon emission off the W and the
non-factorising pieces are neglected); multiple photons are not included.  Check against
DELPHI's own prediction of 1.61 pb for nu nu gamma(gamma) inside its HPC acceptance at
205.4 GeV (0.06 < x < 1.1, 45-135 deg): tests/test_nunugamma.py.

:func:`sigma_background` integrates over an analysis' photon cuts (energy windows, the
energy-dependent polar-angle cut of the radiative-Bhabha veto, the recoil-mass veto): the
polar-angle integral is analytic, the energy integral Gauss-Legendre with the radiative
return to the Z mapped by arctan.
"""
from __future__ import annotations

import math

import numpy as np

from ... import constants as c

_GL = np.polynomial.legendre.leggauss(96)


def _couplings():
    gz2 = 4.0 * math.sqrt(2.0) * c.G_FERMI * c.M_Z ** 2
    g2 = 4.0 * math.sqrt(2.0) * c.G_FERMI * c.M_W ** 2
    return gz2, g2, -0.5 + c.SIN2_THETA_W, c.SIN2_THETA_W


def sigma_nunu(s, flavours: int = 3):
    """sigma(e+e- -> sum nu nu-bar) in pb at c.m. energy squared ``s`` (array), tree level.

    nu_mu, nu_tau: G_F^2 M_Z^4 s (g_L^2 + g_R^2) / (6 pi |s - M_Z^2 + i M_Z Gamma_Z|^2) each;
    nu_e: sum|M|^2 = 4 (|A_L(t)|^2 u^2 + |A_R|^2 t^2) with A_L = g_Z^2 g_L/(2 D_Z) + g^2/(2(t - M_W^2))
    (docs/derivations/dipole_portal.md, SM sign check), integrated over the angle.
    """
    gz2, g2, gl, gr = _couplings()
    s = np.asarray(s, dtype=np.float64)
    D = s - c.M_Z ** 2 + 1j * c.M_Z * c.GAMMA_Z
    one = gz2 * gz2 * (gl * gl + gr * gr) * s / (192.0 * math.pi * np.abs(D) ** 2)
    if flavours == 0:
        return np.zeros_like(s)
    x, w = _GL
    cth = x[(None,) * s.ndim]
    ss = s[..., None]
    t = -0.5 * ss * (1.0 - cth)
    u = -0.5 * ss * (1.0 + cth)
    aL = gz2 * gl / (2.0 * D[..., None]) + g2 / (2.0 * (t - c.M_W ** 2))
    aR = gz2 * gr / (2.0 * D[..., None])
    msq = 4.0 * (np.abs(aL) ** 2 * u * u + np.abs(aR) ** 2 * t * t)
    nue = np.sum(w * msq, axis=-1) / (128.0 * math.pi * s)
    return (nue + (flavours - 1) * one) * c.GEV2_TO_PB


def _angular_integral(x, cmax):
    """int_{-C}^{C} [(1 - x/2)^2 + x^2 c^2/4] / (1 - c^2) dc, C = cmax (0 where C <= 0)."""
    C = np.clip(cmax, 0.0, 1.0 - 1e-15)
    L = np.log((1.0 + C) / (1.0 - C))
    return np.where(cmax > 0, (1.0 - 0.5 * x) ** 2 * L + 0.25 * x * x * (L - 2.0 * C), 0.0)


def dsigma_dx(analysis, x):
    """d sigma / dx (pb) of e+e- -> nu nu-bar gamma inside the analysis' angular cut at
    photon energy fraction x = 2 E_gamma/sqrt(s) (energy windows not applied)."""
    x = np.asarray(x, dtype=np.float64)
    E = 0.5 * x * analysis.sqrt_s
    ang = _angular_integral(x, analysis.cos_max(E))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 2.0 * c.ALPHA_EM / math.pi / x * ang * sigma_nunu(analysis.s * (1.0 - x))
    return np.where((x > 0) & (x < 1), out, 0.0)


def sigma_background(analysis) -> float:
    """SM nu nu-bar gamma cross section (pb) passing the analysis' photon cuts."""
    rs, s = analysis.sqrt_s, analysis.s
    total = 0.0
    x_res = 1.0 - c.M_Z ** 2 / s            # radiative return to the Z
    width = 2.0 * c.M_Z * c.GAMMA_Z / s      # its width in x (FWHM)
    nodes, weights = _GL
    for E_lo, E_hi in analysis.energy_windows():
        a, b = 2.0 * E_lo / rs, min(2.0 * E_hi / rs, 1.0 - 1e-9)
        a = max(a, 1e-9)
        if not b > a:
            continue
        # split at the Z return; around it integrate in theta = arctan((x - x_res)/(w/2))
        cuts = sorted({a, b} | {v for v in (x_res - 30 * width, x_res + 30 * width)
                                if a < v < b})
        for lo, hi in zip(cuts[:-1], cuts[1:]):
            near = (0 < x_res < 1 and lo >= x_res - 30 * width - 1e-12
                    and hi <= x_res + 30 * width + 1e-12)
            if near:
                h = 0.5 * width
                t0, t1 = math.atan((lo - x_res) / h), math.atan((hi - x_res) / h)
                th = t0 + 0.5 * (t1 - t0) * (nodes + 1.0)
                xx = x_res + h * np.tan(th)
                jac = h / np.cos(th) ** 2
                total += 0.5 * (t1 - t0) * np.sum(weights * jac * dsigma_dx(analysis, xx))
            else:
                # log spacing handles the 1/x rise at small x
                l0, l1 = math.log(lo), math.log(hi)
                ll = l0 + 0.5 * (l1 - l0) * (nodes + 1.0)
                xx = np.exp(ll)
                total += 0.5 * (l1 - l0) * np.sum(weights * xx * dsigma_dx(analysis, xx))
    return float(total)
