"""Figures of the meson → N branching ratios (2308.16608 Fig. 2) and of the far-detector inputs.

``meson_br_figure`` draws BR(meson → N + X) against m_N for one dipole value and one or more
flavours (the seed's Fig. 2 uses d_γ = 1e-4 GeV⁻¹, electron flavour on top and τ flavour
below).  ``write_meson_br_plot`` writes it with its numbers (png, pdf, npz, json; atomic).
``tools/plot_meson_brs.py`` is the command-line door.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import __version__
from .io import save_figure, write_json, write_npz
from .physics import meson_decays as md

_LABEL = {"rho0": r"$\rho^0\to\nu\bar N$", "omega": r"$\omega\to\nu\bar N$",
          "phi": r"$\phi\to\nu\bar N$", "jpsi": r"$J/\psi\to\nu\bar N$",
          "upsilon1s": r"$\Upsilon(1S)\to\nu\bar N$", "pi0": r"$\pi^0\to\gamma\nu\bar N$",
          "eta": r"$\eta\to\gamma\nu\bar N$", "etaprime": r"$\eta'\to\gamma\nu\bar N$",
          "pi": r"$\pi^-\to\gamma\ell^-\bar N$", "K": r"$K^-\to\gamma\ell^-\bar N$",
          "D": r"$D^-\to\gamma\ell^-\bar N$", "Ds": r"$D_s^-\to\gamma\ell^-\bar N$",
          "B": r"$B^-\to\gamma\ell^-\bar N$"}
_FLAV = {"e": "e", "mu": r"\mu", "tau": r"\tau"}


def meson_brs(m_N: np.ndarray, d: float, flavour: str, p0_norm: str = "gammagamma"
              ) -> dict[str, np.ndarray]:
    """BR(meson → N̄ + X) for every meson at the masses m_N, one channel (as the seed)."""
    out = {}
    for name in md.ALL_MESONS:
        lep = flavour if name in md.CHARGED_PSEUDOSCALAR else None
        out[name] = md.branching_ratio(name, m_N, d, lepton=lep, p0_norm=p0_norm)
    return out


def meson_br_figure(d: float = 1e-4, flavours=("e", "tau"), m_range=(1e-3, 10.0),
                    n: int = 400, p0_norm: str = "gammagamma"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = np.geomspace(*m_range, n)
    fig, axes = plt.subplots(len(flavours), 1, figsize=(7.5, 4.2 * len(flavours)),
                             squeeze=False, constrained_layout=True)
    data = {"m_N": m}
    colours = dict(zip(md.ALL_MESONS, [f"C{i}" for i in range(10)] + ["k", "0.5", "olive"]))
    for ax, fl in zip(axes[:, 0], flavours):
        brs = meson_brs(m, d, fl, p0_norm)
        for name, br in brs.items():
            data[f"{fl}_{name}"] = br
            ok = br > 0
            if not ok.any():
                continue
            ls = "-" if name in md.VECTOR else ("--" if name in md.NEUTRAL_PSEUDOSCALAR
                                                else ":")
            ax.loglog(m[ok], br[ok], ls, color=colours[name], lw=1.6, label=_LABEL[name])
        ax.set_xlim(*m_range)
        ax.set_ylim(1e-22, 1e-6)
        ax.set_xlabel(r"$m_N$ [GeV]")
        ax.set_ylabel("BR")
        ax.set_title(rf"$d_\gamma^{{{_FLAV[fl]}}} = {d:g}$ GeV$^{{-1}}$, $\ell = {_FLAV[fl]}$",
                     fontsize=11)
        ax.grid(alpha=0.25, which="both", lw=0.5)
        ax.legend(fontsize=7.5, ncol=3, loc="lower left", frameon=False)
    fig.suptitle("Meson decays to N via the photon dipole (cf. arXiv:2308.16608 Fig. 2)",
                 fontsize=11)
    return fig, data


def write_meson_br_plot(outdir: str | Path = "results", d: float = 1e-4,
                        flavours=("e", "tau"), name: str = "meson_brs", n: int = 400,
                        p0_norm: str = "gammagamma") -> dict[str, Path]:
    import matplotlib.pyplot as plt

    t0 = time.perf_counter()
    fig, data = meson_br_figure(d, flavours, n=n, p0_norm=p0_norm)
    folder = Path(outdir) / name
    paths = {"png": save_figure(fig, folder / f"{name}.png", dpi=150),
             "pdf": save_figure(fig, folder / f"{name}.pdf"),
             "npz": write_npz(folder / f"{name}.npz", **data)}
    plt.close(fig)
    paths["json"] = write_json(folder / f"{name}.json", {
        "hnlfit_version": __version__, "d_gamma": d, "flavours": list(flavours),
        "p0_norm": p0_norm, "reference": "arXiv:2308.16608 Fig. 2, eqs. 2.10-2.18",
        "note": "one charge-conjugation channel per meson, as the seed plots it",
        "seconds": time.perf_counter() - t0,
        "outputs": {k: str(v) for k, v in paths.items()}})
    return paths
