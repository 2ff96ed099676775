"""Expected events of the seed-000 LHC benchmarks B1-B3 (issue 11 item 6).

Physics: :mod:`hnlfit.physics.lhc.counts` (event-count formulas and the factor 2),
:mod:`hnlfit.physics.lhc.detector` (selections, efficiency tables).  ``lumi_fb`` in fb^-1
(default 3000, HL-LHC), 14 TeV.  ``counting`` (B2, B3): "events" (default: events with at
least one selected N1 decay) or "seed" (the seed's 2 BR eps).
"""
from __future__ import annotations

from ...physics.lhc import counts as cnt
from ..registry import observable
from .decays import d_NN_of

_F = ("e", "mu", "tau")
_P = ("m_N1", "m_N2", "d_NN", "Lambda") + tuple(
    f"d_{k}_{f}" for k in ("gamma", "Z", "W") for f in _F) + tuple(f"U_{f}" for f in _F)
_REFS = ("2405.08877 (seed 000: N_sig formulas, selections)",
         "2209.01029 (ATLAS non-pointing photons)", "1207.0627 (CMS displaced vertices)")
_ARGS = {"lumi_fb": 3000.0, "sqrt_s": 14000.0, "majorana": True, "cp": "same",
         "coupling": "d_NN"}


def _point(p, coupling):
    return p if coupling == "d_NN" else p.replace(d_NN=d_NN_of(p, coupling))


def _check_sqrt_s(sqrt_s):
    from ...errors import ObservableError
    if float(sqrt_s) != 14000.0:
        raise ObservableError("the LHC efficiency tables are built at sqrt_s = 14000 GeV only")


@observable("n_events_lhc_B1", unit="events", tex=r"N^{B1}", params=_P, refs=_REFS, sm=0.0,
            args=dict(_ARGS),
            description="B1: non-pointing photons from N2 -> N1 gamma (C_NNB production and "
                        "decay), events")
def n_events_lhc_B1(p, lumi_fb=3000.0, sqrt_s=14000.0, majorana=True, cp="same",
                    coupling="d_NN"):
    _check_sqrt_s(sqrt_s)
    return cnt.n_events_B1(_point(p, coupling), float(lumi_fb), 14000.0, bool(majorana), cp)


@observable("n_events_lhc_B2", unit="events", tex=r"N^{B2}", params=_P, refs=_REFS, sm=0.0,
            args={**_ARGS, "counting": "events"},
            description="B2: non-pointing photons from N1 -> nu gamma (C_NNB production, "
                        "active-sterile dipole decay), events")
def n_events_lhc_B2(p, lumi_fb=3000.0, sqrt_s=14000.0, majorana=True, cp="same",
                    coupling="d_NN", counting="events"):
    _check_sqrt_s(sqrt_s)
    return cnt.n_events_B2(_point(p, coupling), float(lumi_fb), 14000.0, bool(majorana), cp,
                           counting)


@observable("n_events_lhc_B3", unit="events", tex=r"N^{B3}", params=_P, refs=_REFS, sm=0.0,
            args={**_ARGS, "counting": "events"},
            description="B3: displaced vertices N1 -> e j j with a DV electron (C_NNB "
                        "production, mixing decay), events")
def n_events_lhc_B3(p, lumi_fb=3000.0, sqrt_s=14000.0, majorana=True, cp="same",
                    coupling="d_NN", counting="events"):
    _check_sqrt_s(sqrt_s)
    return cnt.n_events_B3(_point(p, coupling), float(lumi_fb), 14000.0, bool(majorana), cp,
                           counting)


@observable("lhc_benchmark_reach", unit="events", tex=r"N_\mathrm{max}", params=("m_N",),
            refs=("2405.08877 (seed 000: the 3 x 3 benchmark matrix)",
                  "hnlfit/physics/lhc/benchmarks.py"), sm=None,
            args={"benchmark": "B1"},
            description="largest expected events (14 TeV, 3 ab^-1) of a seed-000 benchmark "
                        "cell over its couplings, at long-lived-state mass m_N (m_N2 for B1, "
                        "B4, B7; m_N1 < 700 GeV at m_N2 = 700 GeV, Lambda = 10 TeV for B2, "
                        "B3); benchmark='three_events' is the constant 3 (95% CL)")
def lhc_benchmark_reach(p, benchmark="B1"):
    import numpy as np

    from ...physics.lhc import benchmarks as bm
    m = np.asarray(p["m_N"], dtype=np.float64)
    if benchmark == "three_events":
        return np.full(m.shape, 3.0)
    flat = m.ravel()
    out = np.zeros(flat.shape)
    ok = flat < 0.98 * bm.M_N2_FIXED if benchmark in ("B2", "B3") else np.ones(flat.shape, bool)
    if np.any(ok):
        out[ok] = bm.reach(benchmark, flat[ok])
    return out.reshape(m.shape)
