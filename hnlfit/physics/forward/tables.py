"""The per-mass far-detector tables: N rays binned in log10(c), c = ℓ/p_N (m/GeV).

Each ray that crosses a decay volume enters at ℓ_in and leaves at ℓ_out; its decay
probability is exp(−κ c_in) − exp(−κ c_out) with κ = m_N Γ_N/ħc.  Binning c on a fine log grid
(kind 0 = entries, 1 = exits) and keeping Σw and Σw·c per bin makes a whole coupling grid one
matrix product (see :mod:`hnlfit.physics.forward.far_detectors`).  Meson channels and W/Z
channels fill the same format, one weight set each.
"""
from __future__ import annotations

import numpy as np

LOGC_MIN, LOGC_MAX, LOGC_STEP = -6.0, 4.0, 0.002
N_LOGC = int(round((LOGC_MAX - LOGC_MIN) / LOGC_STEP))
# weight sets: N from neutral mesons (flavour-blind), from charged mesons per lepton flavour,
# from W -> l N per flavour, from Z -> nu N
SETS = ("neutral", "e", "mu", "tau", "W_e", "W_mu", "W_tau", "Z")


def accumulate(W, WC, iset: int, smp: dict, br: float) -> None:
    """Add the rays ``smp`` (ℓ_in, ℓ_out, p, w) × ``br`` to set ``iset`` of the log-c
    histograms W (Σ weight) and WC (Σ weight × c), entry points as kind 0, exits as 1."""
    for kind, ell in enumerate((smp["l_in"], smp["l_out"])):
        cval = ell / smp["p"]
        k = np.clip(((np.log10(cval) - LOGC_MIN) / LOGC_STEP).astype(np.int64), 0,
                    N_LOGC - 1)
        wk = br * smp["w"]
        W[iset, kind] += np.bincount(k, wk, N_LOGC)
        WC[iset, kind] += np.bincount(k, wk * cval, N_LOGC)


def compress_table(W, WC) -> dict[str, np.ndarray]:
    """The non-empty bins as a table {c, W (signed), set}."""
    iset, kind, k = np.nonzero(W > 0)
    w = W[iset, kind, k]
    return {"c": WC[iset, kind, k] / w, "W": np.where(kind == 1, w, -w),
            "set": iset.astype(np.int8)}
