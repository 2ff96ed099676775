"""The 3 x 3 benchmark matrix of seed 000 (2405.08877): production x decay by C_NNB
(sterile-sterile dipole d_NN), C_NB (active-sterile dipole d_gamma, a = 0: d_Z = -tan d_gamma,
d_W = 0) and the mixing V_eN, computed from the model rather than restated.

For every cell the *reach* is the largest expected number of signal events at 14 TeV and
3 ab^-1 over the couplings of that cell, subject to the cell's defining condition: the
production coupling dominates the production cross section and the decay coupling dominates
the decay width of the long-lived state (else the point belongs to another cell); dominate
means at least DOMINANCE = 2 times the other coupling's contribution.  A cell is
viable at a mass where the reach is >= 3 events (zero background, 95% CL).

* B1, B2, B3: the full simulation (:mod:`.counts`, efficiency tables).  B1 maximises over
  d_NN and the splitting; B2 (d_gamma^e) and B3 (|V_eN1|^2) scan m_N1 at the seed's fixed
  m_N2 = 700 GeV and C_NNB = 1/Lambda, Lambda = 10 TeV (N2 prompt).
* The other cells have no efficiency table: the events are sigma L BR P_decay with the decay
  probability in the lab window (6 mm < L < 1450 mm for the non-pointing photon, 4-300 mm for
  a DV) at the median boost of the LO sampler's events (no angular acceptance: an optimistic
  estimate).  Couplings are scanned on log grids; sigma and widths from :mod:`.production`,
  :mod:`.decays` and hnlfit.physics.dipole.hnl_decays.
  - B4 (C_NB production, N2 -> N1 gamma decay): needs sigma(N2 nu; d_gamma) > sigma(N1 N2; d_NN)
    and Gamma(N2 -> N1 gamma; d_NN) > Gamma(N2 -> nu X; d_gamma).  Both sigma and Gamma scale
    as couplings^2, so the two conditions leave the window
    g_Gamma < (d_NN/d_gamma)^2 < g_sigma, g_sigma = sigma_Nnu(1)/sigma_N1N2(1),
    g_Gamma = Gamma_dip(1)/Gamma_N1gamma(1); W = g_sigma / g_Gamma > DOMINANCE^2 is necessary.
  - B5 (C_NB both), B6 (C_NB production, mixing decay): the single N from pp -> N nu.
  - B7 (mixing production W -> e N2, C_NNB decay of N2 -> N1 gamma), B8 (mixing production,
    C_NB decay N -> nu gamma: prompt e plus a photon), minimal (mixing both: a DV, no photon).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ... import constants as c
from ...params import make_point
from ..dipole import hnl_decays as dip
from . import counts as cnt
from . import decays as dec

LUMI_FB = 3000.0
M_N2_FIXED = 700.0          # GeV: B2, B3 (the seed's m_N2 = 700 GeV, UV-model slide)
LAMBDA_FIXED = 1.0e4        # GeV: C_NNB = 1/Lambda for B2, B3
PHOTON_WINDOW = (6.0, 1450.0)     # mm
DV_WINDOW = (4.0, 300.0)          # mm
SPLITTINGS = np.geomspace(1e-3, 0.999, 12)    # x = 1 - m_N1/m_N2 scanned where free
DOMINANCE = 2.0     # "dominates": at least twice the other coupling's cross section / width
TAN = dec.TAN_THETA_W
CELLS = {   # name: (production, decay)
    "B1": ("C_NNB", "C_NNB"), "B2": ("C_NNB", "C_NB"), "B3": ("C_NNB", "V_eN"),
    "B4": ("C_NB", "C_NNB"), "B5": ("C_NB", "C_NB"), "B6": ("C_NB", "V_eN"),
    "B7": ("V_eN", "C_NNB"), "B8": ("V_eN", "C_NB"), "minimal": ("V_eN", "V_eN")}


def _d_NN_fixed() -> float:
    return 2.0 * math.sqrt(1.0 - c.SIN2_THETA_W) / LAMBDA_FIXED


def window_probability(bg, ctau_m, window):
    """P(a < L < b) for a lab decay length beta gamma c tau (window in mm)."""
    lam = np.asarray(bg) * np.asarray(ctau_m) * 1e3
    a, b = window
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = np.exp(-a / lam) - np.exp(-b / lam)
    return np.nan_to_num(p, nan=0.0)


@lru_cache(maxsize=256)
def _median_boost(process: str, m: float) -> float:
    """Median beta gamma of N in LO events of ``process`` ('N_nu' or 'W_mixing')."""
    from . import production as prod
    if process == "N_nu":
        ev = prod.sample_pp_to_N_nu(m, 1.0, -TAN, 4000, seed=1)
    else:
        ev = prod.sample_pp_to_l_N(m, 4000, coupling="mixing", seed=1)
    p = ev["p_N"]
    return float(np.median(np.linalg.norm(p[:, 1:], axis=1) / m))


def _boosts(process, masses):
    return np.array([_median_boost(process, float(m)) for m in np.ravel(masses)])


def _dipole_width(m, d):
    """Total dipole-portal width of N (Majorana) for d_gamma^e = d, a = 0."""
    w = dip.partial_widths(m, {"e": d}, {"e": -TAN * d}, {"e": 0.0}, majorana=True)
    return sum(w.values()), sum(w[f"nu_gamma_{f}"] for f in dip.FLAVOURS)


def _mixing_width(m, U2):
    w = dec.mixing_widths(m, {"e": np.sqrt(U2)}, majorana=True)
    return sum(w.values()), w["l_had_e"]


def _sigma_N_nu(m, d):
    from .production import sigma_pp_to_N_nu
    return sigma_pp_to_N_nu(m, d, -TAN * d)


def _sigma_W(m, U2):
    from .production import sigma_pp_to_l_N_mixing
    return sigma_pp_to_l_N_mixing(m, U2, c.M_E)


def _sigma_NN(m1, m2, d):
    from .production import sigma_pp_to_N1N2
    return sigma_pp_to_N1N2(m1, m2, d)


def _fb(sigma_pb):
    return sigma_pb * 1e3 * LUMI_FB


# ---------------------------------------------------------------------------------------
# reach per cell: arrays over the LLP mass, plus diagnostics
# ---------------------------------------------------------------------------------------
def reach_B1(m2):
    m2 = np.atleast_1d(np.asarray(m2, float))[:, None, None]
    x = SPLITTINGS[None, :, None]
    d = np.geomspace(1e-10, 1e-2, 161)[None, None, :]
    m1 = m2 * (1.0 - x)
    p = make_point(m_N1=m1, m_N2=m2, d_NN=d)
    N = cnt.n_events_B1(p, LUMI_FB)
    best = N.reshape(N.shape[0], -1).max(axis=1)
    return best, {"best_splitting": SPLITTINGS[np.argmax(N.max(axis=2), axis=1)]}


def _reach_two_n1(kind, m1, coupling_name, grid):
    m1 = np.atleast_1d(np.asarray(m1, float))[:, None]
    vals = {coupling_name: grid[None, :]}
    if coupling_name == "V2":
        vals = {"U_e": np.sqrt(grid)[None, :]}
    else:
        vals["a"] = 0.0
    p = make_point(m_N1=m1, m_N2=M_N2_FIXED, d_NN=_d_NN_fixed(), **vals)
    f = cnt.n_events_B2 if kind == "B2" else cnt.n_events_B3
    N = f(p, LUMI_FB)
    return N.max(axis=1), {"ctau_N2_m": float(cnt.ctau_N2(1.0, M_N2_FIXED, _d_NN_fixed()))}


def reach_B2(m1):
    return _reach_two_n1("B2", m1, "d_gamma_e", np.geomspace(1e-14, 1e-3, 166))


def reach_B3(m1):
    return _reach_two_n1("B3", m1, "V2", np.geomspace(1e-16, 1.0, 161))


def reach_B4(m2):
    m2 = np.atleast_1d(np.asarray(m2, float))
    x = SPLITTINGS[None, :]
    m1 = m2[:, None] * (1.0 - x)
    g_sigma = _sigma_N_nu(m2, 1.0)[:, None] / _sigma_NN(m1, m2[:, None], 1.0)
    g_gamma = _dipole_width(m2, 1.0)[0][:, None] / dec.gamma_N2_to_N1_gamma(m1, m2[:, None], 1.0)
    W = g_sigma / g_gamma
    # events where the window is open: production by d_gamma, N2 -> N1 gamma, displaced
    bg = _boosts("N_nu", m2)[:, None, None]
    d = np.geomspace(1e-12, 1e-2, 121)[None, None, :]
    best = np.zeros(len(m2))
    for j in range(len(SPLITTINGS)):
        for r in np.geomspace(DOMINANCE, 1e4, 9):           # (d_NN/d_gamma)^2 = r g_Gamma
            ratio = r * g_gamma[:, j][:, None, None]
            ok = DOMINANCE * ratio < g_sigma[:, j][:, None, None]
            dNN = d * np.sqrt(ratio)
            G_nn = dec.gamma_N2_to_N1_gamma(m1[:, j][:, None, None], m2[:, None, None], dNN)
            G_dip = _dipole_width(m2[:, None, None], d)[0]
            br = G_nn / (G_nn + G_dip)
            ct = dec.proper_decay_length(G_nn + G_dip)
            N = _fb(_sigma_N_nu(m2[:, None, None], d)) * br * window_probability(
                bg, ct, PHOTON_WINDOW)
            best = np.maximum(best, np.where(ok, N, 0.0).max(axis=(1, 2)))
    return best, {"window_W_max": W.max(axis=1)}


def reach_B5(m):
    m = np.atleast_1d(np.asarray(m, float))[:, None]
    d = np.geomspace(1e-14, 1e-2, 241)[None, :]
    bg = _boosts("N_nu", m)[:, None]
    tot, nug = _dipole_width(m, d)
    sig = _fb(_sigma_N_nu(m, d))
    N = sig * nug / tot * window_probability(bg, dec.proper_decay_length(tot), PHOTON_WINDOW)
    # decay length where the production alone gives 3 events
    d3 = np.sqrt(3.0 / _fb(_sigma_N_nu(m[:, 0], 1.0)))
    lab3 = bg[:, 0] * dec.proper_decay_length(_dipole_width(m[:, 0], d3)[0]) * 1e3
    return N.max(axis=1), {"lab_decay_length_mm_at_3_produced": lab3}


def reach_B6(m):
    m = np.atleast_1d(np.asarray(m, float))[:, None, None]
    d = np.geomspace(1e-14, 1e-2, 121)[None, :, None]
    U2 = np.geomspace(1e-16, 1.0, 97)[None, None, :]
    bg = _boosts("N_nu", m)[:, None, None]
    G_dip, _ = _dipole_width(m, d)
    G_mix, G_ejj = _mixing_width(m, U2)
    ok = (G_mix > DOMINANCE * G_dip) & (_sigma_N_nu(m, d) > DOMINANCE * _sigma_W(m, U2))
    tot = G_dip + G_mix
    N = _fb(_sigma_N_nu(m, d)) * G_ejj / tot * window_probability(
        bg, dec.proper_decay_length(tot), DV_WINDOW)
    return np.where(ok, N, 0.0).reshape(N.shape[0], -1).max(axis=1), {}


def reach_B7(m2):
    m2 = np.atleast_1d(np.asarray(m2, float))
    U2 = np.geomspace(1e-16, 1.0, 97)[None, :, None]
    d = np.geomspace(1e-12, 1e-2, 121)[None, None, :]
    bg = _boosts("W_mixing", m2)[:, None, None]
    M2 = m2[:, None, None]
    best = np.zeros(len(m2))
    frac = np.zeros(len(m2))
    for x in SPLITTINGS:
        m1 = M2 * (1.0 - x)
        G_nn = dec.gamma_N2_to_N1_gamma(m1, M2, d) + dec.gamma_N2_to_N1_Z(m1, M2, d)
        G_mix, _ = _mixing_width(M2, U2)
        ok = (G_nn > DOMINANCE * G_mix) & (
            _sigma_W(M2, U2) > DOMINANCE * _sigma_NN(m1, M2, 1.0) * d * d)
        br = dec.gamma_N2_to_N1_gamma(m1, M2, d) / (G_nn + G_mix)
        N = _fb(_sigma_W(M2, U2)) * br * window_probability(
            bg, dec.proper_decay_length(G_nn + G_mix), PHOTON_WINDOW)
        Nok = np.where(ok, N, 0.0)
        best = np.maximum(best, Nok.reshape(len(m2), -1).max(axis=1))
        frac = np.maximum(frac, (Nok >= 3).reshape(len(m2), -1).mean(axis=1))
    return best, {"viable_fraction_of_coupling_plane": frac}


def reach_B8(m):
    m = np.atleast_1d(np.asarray(m, float))[:, None, None]
    U2 = np.geomspace(1e-16, 1.0, 97)[None, :, None]
    d = np.geomspace(1e-14, 1e-2, 121)[None, None, :]
    bg = _boosts("W_mixing", m)[:, None, None]
    G_dip, G_nug = _dipole_width(m, d)
    G_mix, _ = _mixing_width(m, U2)
    ok = (G_dip > DOMINANCE * G_mix) & (_sigma_W(m, U2) > DOMINANCE * _sigma_N_nu(m, d))
    tot = G_dip + G_mix
    ct = dec.proper_decay_length(tot)
    inside = window_probability(bg, ct, (0.0, PHOTON_WINDOW[1]))       # prompt or displaced
    N = np.where(ok, _fb(_sigma_W(m, U2)) * G_nug / tot * inside, 0.0)
    Nd = np.where(ok, _fb(_sigma_W(m, U2)) * G_nug / tot * window_probability(
        bg, ct, PHOTON_WINDOW), 0.0)
    flat = N.reshape(N.shape[0], -1)
    disp = (Nd.reshape(N.shape[0], -1) >= 3).sum(axis=1) / np.maximum(
        (flat >= 3).sum(axis=1), 1)
    return flat.max(axis=1), {"displaced_share_of_viable_points": disp,
                              "max_displaced_events": Nd.reshape(N.shape[0], -1).max(axis=1)}


def reach_minimal(m):
    m = np.atleast_1d(np.asarray(m, float))[:, None]
    U2 = np.geomspace(1e-16, 1.0, 161)[None, :]
    bg = _boosts("W_mixing", m)[:, None]
    tot, ejj = _mixing_width(m, U2)
    N = _fb(_sigma_W(m, U2)) * ejj / tot * window_probability(
        bg, dec.proper_decay_length(tot), DV_WINDOW)
    return N.max(axis=1), {}


REACH = {"B1": reach_B1, "B2": reach_B2, "B3": reach_B3, "B4": reach_B4, "B5": reach_B5,
         "B6": reach_B6, "B7": reach_B7, "B8": reach_B8, "minimal": reach_minimal}


def reach(benchmark: str, m):
    """Largest expected events of ``benchmark`` at LLP mass m (GeV; m_N2 for B1, B4, B7,
    m_N1 < 700 GeV for B2, B3, m_N otherwise)."""
    from ...errors import ParameterError
    if benchmark not in REACH:
        raise ParameterError(f"unknown benchmark {benchmark!r}; use one of {sorted(REACH)}")
    return REACH[benchmark](m)[0]


def _mass_grid(benchmark: str) -> np.ndarray:
    if benchmark in ("B2", "B3"):
        return np.geomspace(5.0, 0.98 * M_N2_FIXED, 24)
    return np.geomspace(2.0, 3000.0, 26)


def _range_text(m, ok):
    if not ok.any():
        return "nowhere"
    return f"{m[ok].min():.3g}-{m[ok].max():.3g} GeV"


def matrix() -> list[dict]:
    """The 3 x 3 matrix: per cell the viable mass range (reach >= 3 events), the best reach
    and a reason computed from the model."""
    rows = []
    for name, (prod, decay) in CELLS.items():
        m = _mass_grid(name)
        N, diag = REACH[name](m)
        ok = N >= 3.0
        i = int(np.argmax(N))
        why = _reason(name, m, N, diag)
        rows.append({"benchmark": name, "production": prod, "decay": decay,
                     "viable": bool(ok.any()), "viable_masses": _range_text(m, ok),
                     "max_events": float(N[i]), "at_mass": float(m[i]), "why": why})
    return rows


def _reason(name, m, N, diag) -> str:
    i = int(np.argmax(N))
    ok = N >= 3
    top = f"{m[ok].max():.3g}" if ok.any() else "-"
    if name == "B1":
        return (f"N >= 3 only up to m_N2 = {top} GeV (best {N[i]:.2g} at {m[i]:.3g} GeV, "
                f"splitting x = {diag['best_splitting'][i]:.2g}): p_T^gamma > 10 GeV needs a "
                "splitting whose Gamma(N2 -> N1 gamma) ∝ d_NN^2 makes N2 prompt at any d_NN "
                "giving >= 3 events, unless sigma and the boost are those of a few-GeV N2")
    if name in ("B2", "B3"):
        ok = N >= 3
        sig = "displaced photons from N1 -> nu gamma" if name == "B2" else "DV + e, no photon"
        return (f"{sig}; prompt N2 (c tau = {diag['ctau_N2_m']:.1e} m at Lambda = 10 TeV, "
                f"m_N2 = 700 GeV); up to {N.max():.3g} events"
                + ("" if ok.any() else " (never 3)"))
    if name == "B4":
        W = diag["window_W_max"]
        low = W[m < 40.0]
        return (f"production by d_gamma and decay by d_NN need g_Gamma < (d_NN/d_gamma)^2 < "
                f"g_sigma with factors {DOMINANCE:g}: the window g_sigma/g_Gamma is <= "
                f"{np.max(low):.3g} below 40 GeV (~1: C_NNB large enough to dominate the N2 "
                f"decay also dominates production; > {DOMINANCE ** 2:g} needed) and opens "
                f"(<= {np.max(W):.2g}) only near the Z pole and at TeV masses, where N2 is "
                f"prompt: at most {N[i]:.2g} displaced events")
    if name == "B5":
        lab = diag["lab_decay_length_mm_at_3_produced"]
        j = int(np.argmin(np.abs(m - 20.0)))
        return (f"prompt: at the d_gamma that produces 3 N the lab decay length is "
                f"{lab[j]:.2g} mm at {m[j]:.3g} GeV ({np.max(lab):.2g} mm at {m[0]:.3g} GeV); "
                f"N >= 3 displaced only up to {top} GeV (best {N[i]:.2g})")
    if name == "B6":
        return (f"prompt: the mixing decay must beat the dipole decay, which is already prompt "
                f"at the d_gamma needed for production; best {N[i]:.2g} DV events")
    if name == "B7":
        f = float(np.max(diag["viable_fraction_of_coupling_plane"]))
        return (f"narrow: >= 3 events in at most {100 * f:.2g}% of the (|V_eN|^2, d_NN) "
                f"plane (best {N[i]:.3g} events at m_N2 = {m[i]:.3g} GeV)")
    if name == "B8":
        s = diag["displaced_share_of_viable_points"]
        ok = N >= 3
        share = float(np.max(s[ok])) if ok.any() else 0.0
        return (f"prompt e + photon (W -> e N, N -> nu gamma); the photon is displaced in up "
                f"to {100 * share:.2g}% of the viable couplings (max "
                f"{np.max(diag['max_displaced_events']):.3g} displaced-photon events)")
    return "standard DV search (no photon): W -> e N, N -> e j j displaced"


def format_matrix(rows) -> str:
    """The matrix as text (production rows x decay columns), then one line per cell."""
    by = {(r["production"], r["decay"]): r for r in rows}
    cols = ("C_NNB", "C_NB", "V_eN")
    head = f"{'prod. / decay':<14}" + "".join(f"{c_:<28}" for c_ in cols)
    lines = [head]
    for p in cols:
        cells = []
        for d in cols:
            r = by[(p, d)]
            mark = "viable" if r["viable"] else "not viable"
            cells.append(f"{r['benchmark']}: {mark} ({r['viable_masses']})"[:27])
        lines.append(f"{p:<14}" + "".join(f"{x:<28}" for x in cells))
    lines.append("")
    for r in rows:
        lines.append(f"{r['benchmark']:>7}  max {r['max_events']:.3g} events at "
                     f"{r['at_mass']:.3g} GeV: {r['why']}")
    return "\n".join(lines)
