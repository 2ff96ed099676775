"""Monophoton signal of the dipole portal: e+e- -> N nu-bar (+ N-bar nu), N -> nu gamma.

The accepted cross section of an analysis (its collision energy, photon cuts and detector)
is, per point,

    sigma_acc = BR(N -> nu gamma) * sum_k sigma_k * eps_k(m_N / sqrt(s), L_lab / R)

with k running over the four coupling structures of the production cross section
(hnlfit.physics.ee_to_N_nu; A_L, A_R the gamma + Z s-channel coefficients of left- and
right-handed electrons, B the t-channel W of the electron flavour)::

    LL: |A_L|^2     RR: |A_R|^2     WW: d_W^2     WL: d_W Re(A_L)

and eps_k the probability that the N decays inside the detector *and* its photon passes
the cuts, for the angular distribution and N polarisation of structure k.  eps_k depends
only on kinematics; it is tabulated once per analysis on a grid of x = m_N/sqrt(s) and
lambda = L_lab/R (the lab decay length in units of the calorimeter radius; cached with
:func:`hnlfit.cache.cached_table`) and interpolated per point, so a point costs a width,
a few cross-section pieces and one table look-up -- no integration.

Polarisation (derived in docs/derivations/monophoton.md, checked against the full
e+e- -> nu-bar (N -> nu gamma) matrix element with explicit spinors in
tests/test_monophoton.py).  The N is produced right-chiral; in the N rest frame its photon
follows dGamma/dOmega* ~ 1 - P.n (the photon goes opposite to the N spin: the nu is
left-handed and the photon helicity is -1).  Per unit coupling and with the common factor
4 Delta/(128 pi s^2) dropped, the production density of N nu-bar at cos(theta_N) = c is
w - u cos(theta*) - v sin(theta*) cos(phi*), theta*, phi* the photon angles in the N rest frame
(polar axis = N flight direction, phi* = 0 towards increasing theta_N), with
a+ = s sqrt(Delta) sin(theta_N), a- = sqrt(s Delta) m (1 + c), r- = sqrt(s Delta) m (1 - c),
w+ = Delta^(3/2) sin(theta_N), b = (g/sqrt2)/(t - M_W^2)::

    LL:  w = a+^2 + a-^2       u = a+^2 - a-^2       v = 2 a+ a-
    RR:  w = a+^2 + r-^2       u = a+^2 - r-^2       v = -2 a+ r-
    WW:  w = u = b^2 w+^2      v = 0                  (the W produces helicity +1/2 only)
    WL:  w = u = -2 b a+ w+    v = -2 b w+ a-

(the polarisation normal to the production plane, from the Z width, integrates out of any
cut on photon energy and polar angle).  So the photon is *not* isotropic in the N frame for
a Dirac N: for m_N << sqrt(s) the N has helicity +1/2 and the photon spectrum falls
linearly, dN/dx = 2(1 - x), instead of being flat.  For a Majorana N the decays to nu gamma
and nu-bar gamma have opposite asymmetries and equal rates: the photon is isotropic
(``majorana=True``, which also halves the decay length).  The N-bar nu channel is the CP
mirror and has the same accepted cross section for cuts symmetric under theta -> pi - theta.

Decay volume: the N flies along its direction from the interaction point and must decay
within the calorimeter's inner surface, a cylinder (radius R, half-length z_half):
P_dec = 1 - exp(-l_max(theta_N)/L_lab), l_max = min(R/sin theta_N, z_half/|cos theta_N|).
The photon's own direction is used for the polar-angle cut (no pointing requirement).

Z decays (L3's Z -> gamma + invisible): e+e- -> Z -> N nu-bar at sqrt(s) = M_Z is the LL and
RR structures with the Z couplings only, so the same tables give the acceptance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ... import constants as c
from ...cache import cached_table
from ...errors import DataError
from ...io import read_yaml
from ...params import FLAVOURS, suggest
from . import ee_to_N_nu as ee
from . import hnl_decays as dec

STRUCTURES = ("LL", "RR", "WW", "WL")

# ----------------------------------------------------------------------------------------
# analyses


@dataclass(frozen=True)
class Analysis:
    """One monophoton selection: energy, photon cuts, decay volume (see the YAML file)."""

    name: str
    sqrt_s: float
    E_lo: float = 0.0
    E_hi: float = math.inf
    abs_cos_max: float = 1.0
    bhabha_theta_b: float | None = None
    recoil_veto: tuple[float, float] | None = None
    r: float = 1.0
    z_half: float = 1.0
    luminosity_fb: float | None = None
    description: str = ""
    references: tuple = field(default_factory=tuple)

    @property
    def s(self) -> float:
        return self.sqrt_s ** 2

    def describe(self) -> dict:
        return {k: getattr(self, k) for k in ("name", "sqrt_s", "E_lo", "E_hi", "abs_cos_max",
                                              "bhabha_theta_b", "recoil_veto", "r", "z_half",
                                              "luminosity_fb")}

    def cos_max(self, E):
        """Largest accepted |cos theta_gamma| for a photon of energy E (the Bhabha veto makes
        it energy dependent); -1 where no angle is accepted."""
        E = np.asarray(E, dtype=np.float64)
        out = np.full(E.shape, self.abs_cos_max)
        if self.bhabha_theta_b is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                smin = math.sin(self.bhabha_theta_b) * (self.sqrt_s / E - 1.0)
            cb = np.sqrt(np.clip(1.0 - smin * smin, 0.0, None))
            cb = np.where((smin < 1.0) & (E > 0), cb, -1.0)
            out = np.minimum(out, cb)
        return out

    def energy_windows(self) -> list[tuple[float, float]]:
        """Accepted photon-energy intervals (GeV) after the recoil-mass veto."""
        lo, hi = self.E_lo, min(self.E_hi, 0.5 * self.sqrt_s)
        if self.recoil_veto is None:
            return [(lo, hi)]
        mlo, mhi = self.recoil_veto
        e_a = (self.s - mhi ** 2) / (2.0 * self.sqrt_s)   # veto: e_a < E < e_b
        e_b = (self.s - mlo ** 2) / (2.0 * self.sqrt_s)
        return [(lo, min(hi, e_a)), (max(lo, e_b), hi)]

    def accepts(self, E, cos_theta):
        """Indicator of the photon cuts (for tests and Monte Carlo)."""
        E = np.asarray(E, dtype=np.float64)
        ok = np.zeros(E.shape, dtype=bool)
        for lo, hi in self.energy_windows():
            ok |= (E > lo) & (E < hi)
        return ok & (np.abs(cos_theta) < self.cos_max(E))


def _analysis_file() -> Path:
    return Path(str(resources.files("hnlfit") / "data" / "monophoton_analyses.yaml"))


def analysis_from_dict(name: str, e: dict) -> Analysis:
    """Build an :class:`Analysis` from a YAML entry (``x_gamma``/``E_gamma``,
    ``theta_deg``/``abs_cos_max``, ``detector: {r, z_half}``...)."""
    try:
        rs = c.M_Z if e["sqrt_s"] == "M_Z" else float(e["sqrt_s"])
        E_lo, E_hi = 0.0, math.inf
        if "x_gamma" in e:
            lo, hi = e["x_gamma"]
            E_lo, E_hi = lo * rs / 2.0, (math.inf if hi is None else hi * rs / 2.0)
        if "E_gamma" in e:
            lo, hi = e["E_gamma"]
            E_lo, E_hi = float(lo), (math.inf if hi is None else float(hi))
        cmax = float(e.get("abs_cos_max", 1.0))
        if "theta_deg" in e:
            tlo, thi = e["theta_deg"]
            if not math.isclose(tlo + thi, 180.0):
                raise DataError(f"monophoton analysis {name!r}: theta_deg must be symmetric "
                                "about 90 degrees")
            cmax = math.cos(math.radians(tlo))
        det = e["detector"]
        veto = e.get("recoil_veto")
        return Analysis(name=name, sqrt_s=rs, E_lo=E_lo, E_hi=E_hi, abs_cos_max=cmax,
                        bhabha_theta_b=e.get("bhabha_theta_b"),
                        recoil_veto=tuple(veto) if veto else None,
                        r=float(det["r"]), z_half=float(det["z_half"]),
                        luminosity_fb=(None if e.get("luminosity_fb") is None
                                       else float(e["luminosity_fb"])),
                        description=e.get("description", ""),
                        references=tuple(e.get("references", ())))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"monophoton analysis {name!r} is malformed: {exc!r}") from None


@lru_cache(maxsize=None)
def _catalogue() -> dict[str, Analysis]:
    doc = read_yaml(_analysis_file(), "monophoton analysis file")
    return {n: analysis_from_dict(n, e) for n, e in doc["analyses"].items()}


def analysis_names() -> list[str]:
    return list(_catalogue())


def get_analysis(name: str | Analysis) -> Analysis:
    if isinstance(name, Analysis):
        return name
    cat = _catalogue()
    if name not in cat:
        raise DataError(f"unknown monophoton analysis {name!r}; available: "
                        f"{', '.join(cat)}.{suggest(str(name), cat)}")
    return cat[name]


# ----------------------------------------------------------------------------------------
# kinematics


def n_kinematics(sqrt_s, m_N):
    """(E_N, beta_N) of the heavy state in e+e- -> N nu at sqrt_s (massless nu)."""
    s = np.asarray(sqrt_s, dtype=np.float64) ** 2
    m2 = np.asarray(m_N, dtype=np.float64) ** 2
    return (s + m2) / (2.0 * np.sqrt(s)), (s - m2) / (s + m2)


def photon_lab(E_N, beta, cos_N, cos_star, phi_star):
    """Lab energy and cos(theta) of the photon from N -> nu gamma.

    cos_star, phi_star: photon direction in the N rest frame (polar axis along the N flight
    direction, phi* = 0 towards increasing theta_N, i.e. the unit vector e_theta)."""
    E_N, beta, cos_N, cs, ph = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in
                                                     (E_N, beta, cos_N, cos_star, phi_star)))
    E = 0.5 * E_N * (1.0 + beta * cs)
    gamma_inv = np.sqrt(np.clip(1.0 - beta * beta, 0.0, None))
    cos_a = (cs + beta) / (1.0 + beta * cs)
    sin_a = np.sqrt(np.clip(1.0 - cs * cs, 0.0, None)) * gamma_inv / (1.0 + beta * cs)
    sin_N = np.sqrt(np.clip(1.0 - cos_N * cos_N, 0.0, None))
    return E, cos_a * cos_N - sin_a * sin_N * np.cos(ph)


def decay_reach(cos_N, r: float, z_half: float):
    """l_max / R: distance from the IP to the calorimeter surface along cos(theta_N), in
    units of R (cylinder of radius R and half-length z_half)."""
    cn = np.abs(np.asarray(cos_N, dtype=np.float64))
    sn = np.sqrt(np.clip(1.0 - cn * cn, 0.0, None))
    with np.errstate(divide="ignore"):
        return np.minimum(np.where(sn > 0, 1.0 / sn, np.inf),
                          np.where(cn > 0, z_half / r / cn, np.inf))


# ----------------------------------------------------------------------------------------
# polarised production kernels


def structure_kernels(sqrt_s: float, m_N, cos_N) -> dict[str, tuple]:
    """(w, u, v) of each coupling structure (see module docstring), per unit coupling,
    without the common factor 4 Delta/(128 pi s^2); arrays broadcast over (m_N, cos_N)."""
    e, g, gz, sw, cw = ee.gauge_couplings()
    s = float(sqrt_s) ** 2
    m = np.asarray(m_N, dtype=np.float64)
    cth = np.asarray(cos_N, dtype=np.float64)
    D = np.clip(s - m * m, 0.0, None)
    sth = np.sqrt(np.clip(1.0 - cth * cth, 0.0, None))
    ap = s * np.sqrt(D) * sth
    am = np.sqrt(s * D) * m * (1.0 + cth)
    rm = np.sqrt(s * D) * m * (1.0 - cth)
    wp = D ** 1.5 * sth
    t = -0.5 * D * (1.0 - cth)
    b = g / math.sqrt(2.0) / (t - c.M_W ** 2)
    ww = b * b * wp * wp
    wl = -2.0 * b * ap * wp
    return {
        "LL": (ap * ap + am * am, ap * ap - am * am, 2.0 * ap * am),
        "RR": (ap * ap + rm * rm, ap * ap - rm * rm, -2.0 * ap * rm),
        "WW": (ww, ww, np.zeros_like(ww)),
        "WL": (wl, wl, -2.0 * b * wp * am),
    }


# ----------------------------------------------------------------------------------------
# photon acceptance moments at fixed N direction (analytic in phi*, quadrature in cos theta*)

_GL_T = np.polynomial.legendre.leggauss(128)
_GL_C = np.polynomial.legendre.leggauss(48)


def _phi_moments(P, Q, C):
    """For cos(theta_gamma) = P - Q cos(phi), phi uniform: (fraction of phi with
    |cos theta_gamma| < C, <cos(phi) ; accepted>) -- both exact."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.clip((P - C) / Q, -1.0, 1.0)
        hi = np.clip((P + C) / Q, -1.0, 1.0)
    frac = (np.arccos(lo) - np.arccos(hi)) / math.pi
    cmom = (np.sqrt(1.0 - lo * lo) - np.sqrt(1.0 - hi * hi)) / math.pi
    flat = ~(Q > 1e-300)
    frac = np.where(flat, (np.abs(P) < C).astype(float), frac)
    cmom = np.where(flat, 0.0, cmom)
    ok = C >= 0
    return np.where(ok, np.clip(frac, 0.0, 1.0), 0.0), np.where(ok, cmom, 0.0)


def acceptance_moments(an: Analysis, x, cos_N):
    """(A0, A_L, A_T) = <Theta_cuts (1, cos theta*, sin theta* cos phi*)> over the photon's
    rest-frame direction, isotropic measure dOmega*/(4 pi), for an N of mass x sqrt(s)
    emitted at cos(theta_N) = cos_N.  x and cos_N broadcast; returns arrays of that shape."""
    x, cn = np.broadcast_arrays(np.asarray(x, float), np.asarray(cos_N, float))
    E_N, beta = n_kinematics(an.sqrt_s, x * an.sqrt_s)
    sin_N = np.sqrt(np.clip(1.0 - cn * cn, 0.0, None))
    gam_inv = np.sqrt(np.clip(1.0 - beta * beta, 0.0, None))
    out = [np.zeros(x.shape) for _ in range(3)]
    nodes, weights = _GL_T
    for E_lo, E_hi in an.energy_windows():
        if not E_hi > E_lo:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            t_lo = np.clip((2.0 * E_lo / E_N - 1.0) / beta, -1.0, 1.0)
            t_hi = np.clip((2.0 * E_hi / E_N - 1.0) / beta, -1.0, 1.0)
        t_lo = np.where(np.isfinite(t_lo), t_lo, 1.0)
        t_hi = np.where(np.isfinite(t_hi), t_hi, 1.0)
        half = 0.5 * np.clip(t_hi - t_lo, 0.0, None)
        for xi, wi in zip(nodes, weights):
            cs = t_lo + half * (xi + 1.0)
            E = 0.5 * E_N * (1.0 + beta * cs)
            ss = np.sqrt(np.clip(1.0 - cs * cs, 0.0, None))
            cos_a = (cs + beta) / (1.0 + beta * cs)
            sin_a = ss * gam_inv / (1.0 + beta * cs)
            frac, cmom = _phi_moments(cos_a * cn, sin_a * sin_N, an.cos_max(E))
            wt = 0.5 * half * wi       # d cos(theta*) / 2
            out[0] += wt * frac
            out[1] += wt * frac * cs
            out[2] += wt * cmom * ss
    return tuple(out)


# ----------------------------------------------------------------------------------------
# efficiency tables

_X_MAX, _NX = 0.995, 200
_LOG_LAM = (-3.0, 5.0, 161)
_TABLE_VERSION = "1"


def _x_grid() -> np.ndarray:
    return np.linspace(0.0, _X_MAX, _NX)


def _loglam_grid() -> np.ndarray:
    return np.linspace(*_LOG_LAM)


def _cos_nodes(an: Analysis):
    """Gauss-Legendre nodes in cos(theta_N), split where the integrand has kinks (the photon
    angular cut for a light N, and the barrel/end-cap corner of the decay volume)."""
    corner = an.z_half / math.hypot(an.r, an.z_half)
    cuts = sorted({-1.0, 1.0, an.abs_cos_max, -an.abs_cos_max, corner, -corner})
    cuts = [v for v in cuts if -1.0 <= v <= 1.0]
    xs, ws = [], []
    nodes, weights = _GL_C
    for a, b in zip(cuts[:-1], cuts[1:]):
        if b - a < 1e-12:
            continue
        xs.append(a + 0.5 * (b - a) * (nodes + 1.0))
        ws.append(0.5 * (b - a) * weights)
    return np.concatenate(xs), np.concatenate(ws)


def _compute_tables(an: Analysis) -> dict[str, np.ndarray]:
    x = _x_grid()
    loglam = _loglam_grid()
    cn, cw = _cos_nodes(an)
    X, CN = np.meshgrid(x, cn, indexing="ij")                       # (nx, nc)
    A0, AL, AT = acceptance_moments(an, X, CN)
    kern = structure_kernels(an.sqrt_s, X * an.sqrt_s, CN)
    reach = decay_reach(cn, an.r, an.z_half)                        # (nc,)
    lam = 10.0 ** loglam
    P = -np.expm1(-reach[:, None] / lam[None, :])                   # (nc, nlam)
    out = {"x": x, "loglam": loglam}
    for k, (w, u, v) in kern.items():
        norm = (w * cw).sum(axis=1)                                  # (nx,)
        safe = np.where(norm != 0.0, norm, 1.0)
        pol = (w * A0 - u * AL - v * AT) * cw
        iso = w * A0 * cw
        out[f"{k}_pol"] = np.where(norm[:, None] != 0.0, (pol @ P) / safe[:, None], 0.0)
        out[f"{k}_iso"] = np.where(norm[:, None] != 0.0, (iso @ P) / safe[:, None], 0.0)
    return out


def _table_inputs(an: Analysis) -> dict:
    return {"analysis": an.describe(), "M_W": c.M_W, "sw2": c.SIN2_THETA_W,
            "x": [_X_MAX, _NX], "loglam": list(_LOG_LAM), "gl": [len(_GL_T[0]), len(_GL_C[0])],
            "version": _TABLE_VERSION}


_TABLES: dict = {}


def efficiency_tables(analysis: str | Analysis) -> dict[str, np.ndarray]:
    """eps_k(x, log10 lambda) for k in STRUCTURES, polarised (``<k>_pol``, Dirac) and
    isotropic (``<k>_iso``, Majorana), on the grid ``x``, ``loglam``; cached on disk."""
    an = get_analysis(analysis)
    key = (an.name, an.describe().__repr__())
    if key not in _TABLES:
        _TABLES[key] = cached_table(f"monophoton_{an.name}", _table_inputs(an),
                                    lambda: _compute_tables(an))
    return _TABLES[key]


def efficiency(analysis, structure: str, x, lam, polarised: bool = True):
    """Interpolated eps_k at x = m_N/sqrt(s) and lambda = L_lab/R (bilinear in x and
    log10 lambda).  lambda below the grid: prompt (the first column); above it:
    eps ~ 1/lambda (the decay probability R/L times the accepted fraction)."""
    t = efficiency_tables(analysis)
    table = t[f"{structure}_{'pol' if polarised else 'iso'}"]
    xg, lg = t["x"], t["loglam"]
    x = np.asarray(x, dtype=np.float64)
    lam = np.asarray(lam, dtype=np.float64)
    x, lam = np.broadcast_arrays(x, lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = np.log10(np.where(lam > 0, lam, 1e-300))
    llc = np.clip(np.nan_to_num(ll, nan=lg[-1], posinf=lg[-1]), lg[0], lg[-1])
    xc = np.clip(x, xg[0], xg[-1])
    ix = np.clip(np.searchsorted(xg, xc) - 1, 0, len(xg) - 2)
    il = np.clip(np.searchsorted(lg, llc) - 1, 0, len(lg) - 2)
    fx = (xc - xg[ix]) / (xg[ix + 1] - xg[ix])
    fl = (llc - lg[il]) / (lg[il + 1] - lg[il])
    val = ((1 - fx) * (1 - fl) * table[ix, il] + fx * (1 - fl) * table[ix + 1, il]
           + (1 - fx) * fl * table[ix, il + 1] + fx * fl * table[ix + 1, il + 1])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = np.where(ll > lg[-1], 10.0 ** (lg[-1] - np.where(ll > lg[-1], ll, lg[-1])), 1.0)
    return np.where(np.isfinite(lam) & (x < 1.0), val * scale, 0.0)


# ----------------------------------------------------------------------------------------
# cross-section pieces and the signal


def structure_sigmas(sqrt_s, m_N, d_gamma, d_Z, d_W=0.0, alpha: float = c.ALPHA_EM):
    """sigma_k (pb, N nu-bar + N-bar nu) of the four structures for one flavour; their sum is
    :func:`hnlfit.physics.ee_to_N_nu.sigma`."""
    rs = np.asarray(sqrt_s, dtype=np.float64)
    m = np.asarray(m_N, dtype=np.float64)
    open_ = rs > m
    s = np.where(open_, rs * rs, 1.0)
    m2 = np.where(open_, m * m, 0.0)
    delta = s - m2
    aL, aR = ee.s_channel_amplitudes(s, d_gamma, d_Z, alpha)
    common = 2.0 * c.GEV2_TO_PB * delta ** 2 * (s + 2.0 * m2) / (24.0 * math.pi * s)
    comp = ee.sigma_components(sqrt_s, m_N, d_gamma, d_Z, d_W, alpha)
    return {"LL": np.where(open_, common * np.abs(aL) ** 2, 0.0),
            "RR": np.where(open_, common * np.abs(aR) ** 2, 0.0),
            "WW": comp["W"], "WL": comp["W_int"]}


def structure_sigmas_point(point, sqrt_s) -> dict[str, np.ndarray]:
    """:func:`structure_sigmas` summed over flavours (different nu-bar flavours do not
    interfere; the t-channel W exists for the electron flavour only)."""
    total = {k: 0.0 for k in STRUCTURES}
    for f in FLAVOURS:
        dw = point["d_W_e"] if f == "e" else 0.0
        part = structure_sigmas(sqrt_s, point["m_N"], point[f"d_gamma_{f}"], point[f"d_Z_{f}"],
                                dw)
        for k in STRUCTURES:
            total[k] = total[k] + part[k]
    return {k: np.broadcast_to(v, point.shape) * 1.0 for k, v in total.items()}


def width_and_br(point, majorana: bool = False):
    """(total width in GeV, BR(N -> nu gamma)) from one evaluation of the partial widths."""
    pw = dec.partial_widths_point(point, majorana)
    tot = np.broadcast_to(sum(pw.values()), point.shape) * 1.0
    num = sum(pw[f"nu_gamma_{f}"] for f in FLAVOURS)
    with np.errstate(divide="ignore", invalid="ignore"):
        br = np.where(tot > 0, num / np.where(tot > 0, tot, 1.0), 0.0)
    return tot, np.broadcast_to(br, point.shape) * 1.0


def lab_decay_ratio(point, an: Analysis, majorana: bool = False, width=None):
    """lambda = L_lab / R for e+e- -> N nu at the analysis energy (inf without couplings)."""
    m = point["m_N"]
    E_N, _ = n_kinematics(an.sqrt_s, m)
    if width is None:
        width = dec.total_width(point, majorana=majorana)
    E_safe = np.where(m < an.sqrt_s, E_N, m)             # closed channel: any finite value
    with np.errstate(invalid="ignore"):
        L = dec.decay_length(m, E_safe, width)
    return np.where(np.isfinite(L) | np.isinf(L), L, np.inf) / an.r


def sigma_monophoton(point, analysis="delphi_lep2", majorana: bool = False):
    """Accepted monophoton cross section (pb) of ``analysis``: sigma(e+e- -> N nu + c.c.)
    x P(decay inside the calorimeter, photon passes the cuts) x BR(N -> nu gamma)."""
    an = get_analysis(analysis)
    sig = structure_sigmas_point(point, an.sqrt_s)
    width, br = width_and_br(point, majorana)
    lam = lab_decay_ratio(point, an, majorana, width)
    x = point["m_N"] / an.sqrt_s
    acc = 0.0
    for k in STRUCTURES:
        acc = acc + sig[k] * efficiency(an, k, x, lam, polarised=not majorana)
    return np.asarray(br * acc, dtype=np.float64)


def z_decay_efficiency(point, analysis="l3_z", majorana: bool = False, width=None):
    """Fraction of Z -> nu N (+ c.c.) decays in e+e- -> Z whose N decays inside the detector
    and whose photon passes the cuts (Z couplings only: LL and RR with g_L^2 : g_R^2)."""
    an = get_analysis(analysis)
    lam = lab_decay_ratio(point, an, majorana, width)
    x = point["m_N"] / an.sqrt_s
    gl2, gr2 = (-0.5 + c.SIN2_THETA_W) ** 2, c.SIN2_THETA_W ** 2
    pol = not majorana
    return (gl2 * efficiency(an, "LL", x, lam, pol) + gr2 * efficiency(an, "RR", x, lam, pol)) \
        / (gl2 + gr2)


def br_Z_to_gamma_inv(point, analysis="l3_z", majorana: bool = False):
    """BR(Z -> nu N (+ c.c.), N -> nu gamma seen as a single photon passing the cuts)."""
    gam = ee.gamma_Z_to_nu_N_point(point)
    width, br = width_and_br(point, majorana)
    return np.asarray(gam * br * z_decay_efficiency(point, analysis, majorana, width)
                      / c.GAMMA_Z, dtype=np.float64)
