"""Meson decays to a heavy neutral lepton through the active-sterile photon dipole.

Implements 2308.16608 Sec. 2.1 (the dipole L = d ν̄_α σ^{μν} N_R F_{μν} + h.c., eq. 2.1) for a
Dirac N, vectorized in (m_N, d).  All widths are for one charge-conjugation channel, as in the
seed: V⁰ → ν N̄ (eq. 2.10), P⁰ → γ ν N̄ (eqs. 2.11-2.14), P⁻ → γ ℓ⁻ N̄ (eqs. 2.15-2.18).  For the
self-conjugate neutral mesons the mode with ν̄ N (from the h.c. term) has the same rate, so
the number of N plus N̄ per neutral meson is twice what these functions return
(``include_conjugate=True``); a P⁻ gives N̄ only, its conjugate P⁺ gives N.

Units: GeV for masses and widths, GeV⁻¹ for d.

Derivations and checks (tests/test_meson_decays.py)
---------------------------------------------------
* Vector mesons, eq. 2.10.  With <0|J^μ|V> = i f_V m_V ε^μ for the meson's normalised flavour
  current (eq. 2.9), the electromagnetic current gives Q_eff f_V m_V ε^μ with
  Q_eff = Σ_q c_q Q_q over the wave function V = Σ_q c_q q q̄: ρ⁰ 1/√2, ω 1/(3√2), φ -1/3,
  J/ψ 2/3, Υ(1S) -1/3 (the seed's Q_q).  The same f_V and Q_eff reproduce Γ(V→e⁺e⁻) =
  4πα² Q_eff² f_V² / (3 m_V) within 8% (ratios 0.93-1.04; no QED corrections), so the pair
  is consistent.
  Eq. 2.10 is reproduced exactly by an explicit Dirac-trace evaluation of the amplitude
  (2 e Q_eff f_V d / m_V) ε_ν q_ρ ū_ν σ^{ρν} P_R v_N; note (1-r)(1+r-2r²) = (1-r)²(1+2r).
* Three-body phase space, eqs. 2.14 and 2.18.  Factorising dΦ₃ = dΦ₂(P → X q) dq²/2π
  dΦ₂(q → a N) with dΦ₂(M → 1 2) = λ^{1/2}(M², m₁², m₂²)/(8πM²) dcosθ/2 (azimuth integrated)
  and dΓ = |M|² dΦ₃/(2 m_P) gives
  dΓ/dq² dcosθ = λ^{1/2}(m_P², m_X², q²) (1 - m_N²/q²) |M|² / (512 π³ m_P³),
  which is eq. 2.14 for m_X = 0 and eq. 2.18 for m_X = m_ℓ: both are right as printed.
* |M|² of eqs. 2.13 and 2.17 (θ the angle between N and the photon, resp. the charged lepton,
  in the q rest frame; the cosθ term of 2.17 enters with + sign for that definition) agree to
  machine precision with explicit Dirac traces of the amplitudes 2.12 and 2.15, whose
  prefactors follow from eq. 2.11 (e²/4π²f_P), the photon propagator and the dipole vertex
  2 d σ^{ρσ} q_ρ (2.12), resp. the V-A vertex √2 G_F V_ij f_P p̸₁ P_L and the same vertex (2.15).
* P⁰ normalisation.  Eq. 2.11 gives Γ(P→γγ) = α² m_P³ / (64 π³ f_P²) (f_π = 92 MeV gives
  7.8 eV, the measured π⁰ width).  Since Γ(P→γνN̄)/Γ(P→γγ) does not depend on f_P, the default
  (``p0_norm="gammagamma"``) normalises to the measured BR(P→γγ): this amounts to
  1/f_P² = 64π³ Γ_tot BR(P→γγ) / (α² m_P³), i.e. f_eff = 92.5, 92.5, 73.7 MeV for π⁰, η, η′.
  ``p0_norm="seed"`` uses the decay constants of the seed's Table 2 (115, 100.1 MeV for η, η′),
  which under-predict Γ(η→γγ), Γ(η′→γγ) by factors 0.65 and 0.54 (the η-η′ anomaly couplings
  are not those of a single decay constant).  For m_N → 0:
  BR(P⁰→γνN̄) = BR(P→γγ) d² m_P² / (24π²).
* Charged mesons: for m_N, m_ℓ → 0, Γ(P⁻→γℓ⁻N̄) = G_F² |V_ij|² f_P² m_P⁵ d² / (384 π³).

Integrals
---------
With μ = m_N²/m_P², ε = m_ℓ²/m_P², y = q²/m_P² and the cosθ integral done analytically,
  Γ(P⁰→γνN̄) = e⁴ m_P⁵ d² / (32π⁴ · 512π³ f_P²) · J₀(μ),
      J₀ = (8/3) ∫_μ^1 dy (1-y)³ (y-μ)² (y+2μ) / y³,                  J₀(0) = 2/3,
  Γ(P⁻→γℓ⁻N̄) = G_F² |V|² f_P² m_P⁵ d² / (32π³) · J_c(μ, ε),
      J_c = ∫_μ^{(1-√ε)²} dy λ^{1/2}(y,1,ε) (y-μ)³/y³ [y(1-y) + (2y+1)ε - ε²],  J_c(0,0) = 1/12.
They depend on mass ratios only.  Each is tabulated once (adaptive quadrature, relative
accuracy 1e-10) on 257 Chebyshev-Lobatto nodes in x = m_N/m_max, m_max = m_P - m_ℓ, cached on
disk (hnlfit.cache), and interpolated as a cubic spline of log[J / (1-x²)^k], where k is the
threshold power (6 for P⁰; 4.5 for P⁻, from λ^{1/2} ~ (m_max² - q²)^{1/2}).  The interpolation
error is below 2e-6 relative for x < 0.99 (tested against direct quadrature).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

import numpy as np
import yaml
from scipy.integrate import IntegrationWarning, quad
from scipy.interpolate import CubicSpline

from ... import constants as c
from ...cache import cached_table
from ..numerics import kallen
from ...errors import DataError

VECTOR = ("rho0", "omega", "phi", "jpsi", "upsilon1s")
NEUTRAL_PSEUDOSCALAR = ("pi0", "eta", "etaprime")
CHARGED_PSEUDOSCALAR = ("pi", "K", "D", "Ds", "B")
ALL_MESONS = VECTOR + NEUTRAL_PSEUDOSCALAR + CHARGED_PSEUDOSCALAR
LEPTONS = ("e", "mu", "tau")
P0_NORMS = ("gammagamma", "seed")

QUARK_CHARGE = {"u": 2 / 3, "c": 2 / 3, "t": 2 / 3, "d": -1 / 3, "s": -1 / 3, "b": -1 / 3}

TABLE_VERSION = "meson_dipole_J/1"
TABLE_NODES = 257
_THRESHOLD_POWER = {"neutral": 6.0, "charged": 4.5}

_MEV = 1e-3


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------
_REF_KEYS = {"type": "string"}
_COMMON_PROPS = {
    "pdgid": {"type": "integer"},
    "tex": {"type": "string"},
    "f_MeV": {"type": "number", "exclusiveMinimum": 0},
    "f_err_MeV": {"type": "number", "minimum": 0},
    "f_ref": _REF_KEYS,
}
_COMMON_REQ = ["pdgid", "tex", "f_MeV", "f_ref"]


def _kind_schema(extra: dict, required: list[str]) -> dict:
    return {"type": "object",
            "additionalProperties": {
                "type": "object", "properties": {**_COMMON_PROPS, **extra},
                "required": _COMMON_REQ + required, "additionalProperties": False}}


MESON_FILE_SCHEMA = {
    "type": "object",
    "properties": {
        "schema_version": {"const": 1},
        "references": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {
                "arxiv": {"type": "string"}, "doi": {"type": "string"},
                "citation": {"type": "string"}},
            "required": ["citation"], "additionalProperties": False}},
        "vector": _kind_schema({
            "wavefunction": {"type": "object", "minProperties": 1, "additionalProperties":
                             {"type": "number"},
                             "propertyNames": {"enum": sorted(QUARK_CHARGE)}},
            "gamma_ee_keV": {"type": "number", "exclusiveMinimum": 0}},
            ["wavefunction"]),
        "neutral_pseudoscalar": _kind_schema({
            "br_gamma_gamma": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "br_gamma_gamma_ref": _REF_KEYS}, ["br_gamma_gamma", "br_gamma_gamma_ref"]),
        "charged_pseudoscalar": _kind_schema({
            "ckm": {"enum": ["Vud", "Vus", "Vub", "Vcd", "Vcs", "Vcb"]}}, ["ckm"]),
        "ckm": {"type": "object", "properties": {
            "ref": {"type": "string"},
            "wolfenstein": {"type": "object", "properties": {
                k: {"type": "number"} for k in ("lambda", "A", "rhobar", "etabar")},
                "required": ["lambda", "A", "rhobar", "etabar"], "additionalProperties": False},
            **{k: {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
               for k in ("Vud", "Vus", "Vub", "Vcd", "Vcs", "Vcb")}},
            "required": ["ref"], "additionalProperties": False},
    },
    "required": ["schema_version", "references", "vector", "neutral_pseudoscalar",
                 "charged_pseudoscalar", "ckm"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Meson:
    """One parent meson: PDG masses/widths from ``particle``, hadronic inputs from the YAML."""

    name: str
    kind: str                 # "vector" | "neutral_pseudoscalar" | "charged_pseudoscalar"
    pdgid: int
    tex: str
    mass: float               # GeV
    width: float              # GeV, total (PDG via particle)
    f: float                  # decay constant, GeV (f_V, resp. f_P of Table 2)
    f_err: float
    q_eff: float | None = None            # vectors: Σ c_q Q_q
    gamma_ee: float | None = None         # vectors: measured Γ(V→e⁺e⁻), GeV (cross-check)
    br_gamma_gamma: float | None = None   # neutral pseudoscalars
    ckm_name: str | None = None           # charged pseudoscalars
    ckm: float | None = None
    refs: tuple[str, ...] = ()

    @property
    def f_gamma_gamma(self) -> float:
        """f_P of eq. 2.11 from the measured Γ(P→γγ): α² m³ / (64π³ f²) = Γ_tot BR(γγ)."""
        if self.br_gamma_gamma is None:
            raise ValueError(f"{self.name} has no gamma-gamma mode")
        g_gg = self.width * self.br_gamma_gamma
        return math.sqrt(c.ALPHA_EM ** 2 * self.mass ** 3 / (64 * math.pi ** 3 * g_gg))


def data_path():
    return resources.files("hnlfit") / "data" / "mesons.yaml"


def _validate(doc) -> None:
    import jsonschema
    try:
        jsonschema.validate(doc, MESON_FILE_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise DataError(f"meson data file: {where}: {exc.message}") from None
    refs = doc["references"]
    for kind in ("vector", "neutral_pseudoscalar", "charged_pseudoscalar"):
        for name, entry in doc[kind].items():
            for key in ("f_ref", "br_gamma_gamma_ref"):
                if key in entry and entry[key] not in refs:
                    raise DataError(f"meson data file: {kind}/{name}/{key}: reference "
                                    f"{entry[key]!r} is not listed under 'references'")
            if kind == "vector":
                norm = sum(v * v for v in entry["wavefunction"].values())
                if abs(norm - 1.0) > 1e-6:
                    raise DataError(f"meson data file: vector/{name}/wavefunction: amplitudes "
                                    f"are not normalised (sum c_q^2 = {norm:.6g})")
            if kind == "charged_pseudoscalar" and entry["ckm"] not in doc["ckm"]:
                raise DataError(f"meson data file: {kind}/{name}/ckm: {entry['ckm']} is not "
                                "given under 'ckm'")
    if doc["ckm"]["ref"] not in refs:
        raise DataError("meson data file: ckm/ref is not listed under 'references'")
    missing = set(ALL_MESONS) - {n for k in ("vector", "neutral_pseudoscalar",
                                             "charged_pseudoscalar") for n in doc[k]}
    if missing:
        raise DataError(f"meson data file: missing mesons {sorted(missing)}")


def load_mesons(path=None) -> dict[str, Meson]:
    """Read and validate the meson data file; masses and widths come from ``particle``."""
    from particle import Particle

    src = path if path is not None else data_path()
    try:
        with open(src) as fh:
            doc = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataError(f"meson data file {src}: not valid YAML ({exc})") from None
    _validate(doc)
    out: dict[str, Meson] = {}
    for kind in ("vector", "neutral_pseudoscalar", "charged_pseudoscalar"):
        for name, e in doc[kind].items():
            p = Particle.from_pdgid(abs(e["pdgid"]))
            common = dict(name=name, kind=kind, pdgid=e["pdgid"], tex=e["tex"],
                          mass=p.mass * _MEV, width=p.width * _MEV, f=e["f_MeV"] * _MEV,
                          f_err=e.get("f_err_MeV", 0.0) * _MEV)
            refs = [doc["references"][e["f_ref"]]["citation"]]
            if kind == "vector":
                q = sum(a * QUARK_CHARGE[qk] for qk, a in e["wavefunction"].items())
                ge = e.get("gamma_ee_keV")
                out[name] = Meson(**common, q_eff=q, gamma_ee=None if ge is None else ge * 1e-6,
                                  refs=tuple(refs))
            elif kind == "neutral_pseudoscalar":
                refs.append(doc["references"][e["br_gamma_gamma_ref"]]["citation"])
                out[name] = Meson(**common, br_gamma_gamma=e["br_gamma_gamma"],
                                  refs=tuple(refs))
            else:
                refs.append(doc["references"][doc["ckm"]["ref"]]["citation"])
                out[name] = Meson(**common, ckm_name=e["ckm"], ckm=doc["ckm"][e["ckm"]],
                                  refs=tuple(refs))
    return out


@lru_cache(maxsize=1)
def mesons() -> Mapping[str, Meson]:
    """The shipped meson table (loaded once)."""
    return load_mesons()


def get_meson(name: str) -> Meson:
    try:
        return mesons()[name]
    except KeyError:
        from ...params import suggest
        raise ValueError(f"unknown meson {name!r}; known: {', '.join(ALL_MESONS)}."
                         f"{suggest(name, ALL_MESONS)}") from None


# ---------------------------------------------------------------------------------------
# kinematics helpers
# ---------------------------------------------------------------------------------------
def _lepton_mass(lepton: str) -> float:
    try:
        return c.LEPTON_MASS[lepton]
    except KeyError:
        raise ValueError(f"unknown lepton flavour {lepton!r}; use one of {LEPTONS}") from None


# ---------------------------------------------------------------------------------------
# V⁰ → ν N̄  (eq. 2.10)
# ---------------------------------------------------------------------------------------
def width_vector(meson: str | Meson, m_N, d):
    """Γ(V⁰ → ν_α N̄) in GeV, eq. 2.10; zero above threshold."""
    v = meson if isinstance(meson, Meson) else get_meson(meson)
    if v.kind != "vector":
        raise ValueError(f"{v.name} is not a vector meson")
    m_N = np.asarray(m_N, dtype=float)
    r = (m_N / v.mass) ** 2
    shape = np.where(r < 1.0, (1.0 - r) ** 2 * (1.0 + 2.0 * r), 0.0)
    return (v.f ** 2 * v.mass / (12.0 * math.pi) * c.E_CHARGE ** 2 * v.q_eff ** 2
            * np.asarray(d, dtype=float) ** 2 * shape)


def width_vector_to_ee(meson: str | Meson) -> float:
    """Γ(V → e⁺e⁻) = 4πα² Q_eff² f_V² / (3 m_V) at lowest order (m_e → 0): consistency check."""
    v = meson if isinstance(meson, Meson) else get_meson(meson)
    return 4 * math.pi * c.ALPHA_EM ** 2 * v.q_eff ** 2 * v.f ** 2 / (3 * v.mass)


# ---------------------------------------------------------------------------------------
# Differential three-body rates (eqs. 2.13-2.14, 2.17-2.18), per unit d²
# ---------------------------------------------------------------------------------------
def _f_p0(p: Meson, p0_norm: str) -> float:
    if p0_norm == "gammagamma":
        return p.f_gamma_gamma
    if p0_norm == "seed":
        return p.f
    raise ValueError(f"p0_norm must be one of {P0_NORMS}, got {p0_norm!r}")


def d2width_neutral(meson: str | Meson, m_N, q2, cos_theta, d=1.0, p0_norm="gammagamma"):
    """dΓ(P⁰ → γ ν N̄)/dq² dcosθ in GeV⁻¹ (eqs. 2.13, 2.14); θ = angle(N, γ) in the q frame.

    Zero outside m_N² < q² < m_P².  Vectorized in all array arguments.
    """
    p = meson if isinstance(meson, Meson) else get_meson(meson)
    if p.kind != "neutral_pseudoscalar":
        raise ValueError(f"{p.name} is not a neutral pseudoscalar")
    fP = _f_p0(p, p0_norm)
    m2, mN2 = p.mass ** 2, np.asarray(m_N, float) ** 2
    q2 = np.asarray(q2, float)
    ct = np.asarray(cos_theta, float)
    inside = (q2 > mN2) & (q2 < m2)
    q2s = np.where(inside, q2, 0.5 * (m2 + mN2))
    cos2t = 2.0 * ct ** 2 - 1.0
    msq = (c.E_CHARGE ** 4 / (32 * math.pi ** 4) * np.asarray(d, float) ** 2 / fP ** 2
           * (q2s - m2) ** 2 * (q2s - mN2) / q2s ** 2 * (q2s + 3 * mN2 - (q2s - mN2) * cos2t))
    rate = (1 - q2s / m2) * (1 - mN2 / q2s) * msq / (512 * math.pi ** 3 * p.mass)
    return np.where(inside, rate, 0.0)


def d2width_charged(meson: str | Meson, lepton: str, m_N, q2, cos_theta, d=1.0):
    """dΓ(P⁻ → γ ℓ⁻ N̄)/dq² dcosθ in GeV⁻¹ (eqs. 2.17, 2.18); θ = angle(N, ℓ) in the q frame.

    Zero outside m_N² < q² < (m_P - m_ℓ)².  Vectorized in all array arguments.
    """
    p = meson if isinstance(meson, Meson) else get_meson(meson)
    if p.kind != "charged_pseudoscalar":
        raise ValueError(f"{p.name} is not a charged pseudoscalar")
    ml = _lepton_mass(lepton)
    m2, ml2, mN2 = p.mass ** 2, ml ** 2, np.asarray(m_N, float) ** 2
    q2 = np.asarray(q2, float)
    ct = np.asarray(cos_theta, float)
    inside = (q2 > mN2) & (q2 < (p.mass - ml) ** 2)
    q2s = np.where(inside, q2, 0.5 * ((p.mass - ml) ** 2 + mN2))
    sl = np.sqrt(np.maximum(kallen(q2s, m2, ml2), 0.0))
    msq = (8 * c.G_FERMI ** 2 * p.ckm ** 2 * p.f ** 2 * np.asarray(d, float) ** 2
           * (q2s - mN2) ** 2 / q2s ** 2
           * (q2s * (m2 - q2s) + (2 * q2s + m2) * ml2 - ml2 ** 2 + (q2s - ml2) * sl * ct))
    rate = sl / (512 * math.pi ** 3 * p.mass ** 3) * (1 - mN2 / q2s) * msq
    return np.where(inside, rate, 0.0)


# ---------------------------------------------------------------------------------------
# Reduced integrals J₀(μ), J_c(μ, ε): direct quadrature and cached tables
# ---------------------------------------------------------------------------------------
def _quad(f, a, b, mu):
    pts = [p for p in (2 * mu, 10 * mu) if a < p < b]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        return quad(f, a, b, points=pts or None, epsabs=0.0, epsrel=1e-10, limit=400)[0]


def reduced_integral_direct(kind: str, x: float, eps: float = 0.0) -> float:
    """J₀ (kind="neutral") or J_c (kind="charged") at x = m_N/m_max by adaptive quadrature."""
    if kind == "neutral":
        mu = x * x
        if mu >= 1.0:
            return 0.0
        return (8.0 / 3.0) * _quad(
            lambda y: (1 - y) ** 3 * (y - mu) ** 2 * (y + 2 * mu) / y ** 3, mu, 1.0, mu)
    if kind == "charged":
        ymax = (1.0 - math.sqrt(eps)) ** 2
        mu = x * x * ymax
        if mu >= ymax:
            return 0.0

        def f(y):
            sl = math.sqrt(max(kallen(y, 1.0, eps), 0.0))
            return sl * ((y - mu) / y) ** 3 * (y * (1 - y) + (2 * y + 1) * eps - eps ** 2)
        return _quad(f, mu, ymax, mu)
    raise ValueError(f"kind must be 'neutral' or 'charged', got {kind!r}")


def _nodes(n: int = TABLE_NODES) -> np.ndarray:
    k = np.arange(n)
    return 0.5 * (1.0 - np.cos(np.pi * k / (n - 1)))


@lru_cache(maxsize=64)
def _spline(kind: str, eps: float) -> CubicSpline:
    power = _THRESHOLD_POWER[kind]
    x = _nodes()

    def compute():
        return {"x": x, "J": np.array([reduced_integral_direct(kind, float(xi), eps)
                                       for xi in x])}

    tab = cached_table("meson_dipole_J", {"version": TABLE_VERSION, "kind": kind,
                                          "eps": float(eps), "nodes": TABLE_NODES}, compute)
    xs, J = tab["x"][:-1], tab["J"][:-1]        # drop x = 1, where J = 0
    return CubicSpline(xs, np.log(J / (1.0 - xs ** 2) ** power))


def reduced_integral(kind: str, x, eps: float = 0.0):
    """J₀ or J_c at x = m_N/m_max (array), interpolated in the cached table; 0 for x ≥ 1."""
    x = np.asarray(x, dtype=float)
    ok = (x >= 0) & (x < 1)
    xs = np.where(ok, x, 0.5)
    val = np.exp(_spline(kind, float(eps))(xs)) * (1.0 - xs ** 2) ** _THRESHOLD_POWER[kind]
    return np.where(ok, val, 0.0)


# ---------------------------------------------------------------------------------------
# Total three-body widths
# ---------------------------------------------------------------------------------------
def width_neutral(meson: str | Meson, m_N, d, p0_norm: str = "gammagamma"):
    """Γ(P⁰ → γ ν_α N̄) in GeV (eqs. 2.13-2.14 integrated); see module notes on p0_norm."""
    p = meson if isinstance(meson, Meson) else get_meson(meson)
    if p.kind != "neutral_pseudoscalar":
        raise ValueError(f"{p.name} is not a neutral pseudoscalar")
    fP = _f_p0(p, p0_norm)
    pref = c.E_CHARGE ** 4 * p.mass ** 5 / (32 * math.pi ** 4 * 512 * math.pi ** 3 * fP ** 2)
    x = np.asarray(m_N, float) / p.mass
    return pref * np.asarray(d, float) ** 2 * reduced_integral("neutral", x)


def width_charged(meson: str | Meson, lepton: str, m_N, d):
    """Γ(P⁻ → γ ℓ_α⁻ N̄) in GeV (eqs. 2.17-2.18 integrated); zero if m_N ≥ m_P - m_ℓ."""
    p = meson if isinstance(meson, Meson) else get_meson(meson)
    if p.kind != "charged_pseudoscalar":
        raise ValueError(f"{p.name} is not a charged pseudoscalar")
    ml = _lepton_mass(lepton)
    m_N = np.asarray(m_N, float)
    d = np.asarray(d, float)
    if ml >= p.mass:
        return np.zeros(np.broadcast_shapes(m_N.shape, d.shape))
    eps = (ml / p.mass) ** 2
    pref = c.G_FERMI ** 2 * p.ckm ** 2 * p.f ** 2 * p.mass ** 5 / (32 * math.pi ** 3)
    x = m_N / (p.mass - ml)
    return pref * d ** 2 * reduced_integral("charged", x, eps)


def width(meson: str, m_N, d, lepton: str | None = None, p0_norm: str = "gammagamma"):
    """Γ(meson → N̄ + X) in GeV for any meson of :data:`ALL_MESONS` (one channel, see top)."""
    p = get_meson(meson)
    if p.kind == "vector":
        return width_vector(p, m_N, d)
    if p.kind == "neutral_pseudoscalar":
        return width_neutral(p, m_N, d, p0_norm)
    if lepton is None:
        raise ValueError(f"{meson}: the charged-meson mode needs the lepton flavour")
    return width_charged(p, lepton, m_N, d)


def branching_ratio(meson: str, m_N, d, lepton: str | None = None,
                    p0_norm: str = "gammagamma", include_conjugate: bool = False):
    """BR(meson → N̄ + X) = Γ / Γ_tot(PDG), vectorized in (m_N, d).

    ``include_conjugate`` adds the equal-rate charge-conjugate channel (ν̄ N) of the
    self-conjugate neutral mesons, giving the number of N plus N̄ per decay; it does not
    change the charged-meson modes.
    """
    p = get_meson(meson)
    br = width(meson, m_N, d, lepton, p0_norm) / p.width
    if include_conjugate and p.kind != "charged_pseudoscalar":
        br = 2.0 * br
    return br


def with_new_channel(br_linear):
    """BR with the new channel in the total width: Γ_N / (Γ_tot + Γ_N) = b / (1 + b), where
    b = Γ_N / Γ_tot(PDG) is :func:`branching_ratio` (all N channels of the decay summed). Equal
    to b up to O(b²) at small coupling; never above 1 at large coupling (b = 5.8 for J/ψ at
    d = 1 GeV⁻¹ and m_N = 1 GeV: BR = 0.85, where b alone would be a "BR" of 5.8)."""
    b = np.asarray(br_linear, dtype=float)
    return b / (1.0 + b)


def warm_tables() -> None:
    """Build (or load) every table once, e.g. before timing a scan."""
    reduced_integral("neutral", 0.5)
    for name in CHARGED_PSEUDOSCALAR:
        p = get_meson(name)
        for lep in LEPTONS:
            ml = c.LEPTON_MASS[lep]
            if ml < p.mass:
                reduced_integral("charged", 0.5, (ml / p.mass) ** 2)
