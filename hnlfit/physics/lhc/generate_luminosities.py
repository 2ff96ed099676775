"""Write the shipped parton-luminosity tables from the NNPDF2.3 QED LO grid inside pythia8mc.

``hnlfit lhc generate`` / ``tools/generate_luminosities.py``.  Not run by CI or at run time;
needs the optional extra ``spectra`` (``pythia8mc==8.317.2``).  The PDF is the one Pythia uses
by default (``PDF:pSet = 13``: NNPDF2.3 QCD+QED LO, α_s(M_Z) = 0.130,
``NNPDF23_lo_as_0130_qed_0000.dat``), read through Pythia's own grid interpolation
(``Pythia.getPDFPtr(2212)``, an ``LHAGrid1``), so that the tables are Pythia's PDF exactly.

Definitions (x f(x, μ²) is what Pythia returns; f_a is the density of parton a in a proton)::

    F_ab(τ, y)  = f_a(√τ e^y, μ²) f_b(√τ e^-y, μ²)            (a from beam 1, b from beam 2)
    dL_ab/dτ    = ∫ dy [F_ab(τ, y) + F_ab(τ, -y)]             (a or b from either beam)
                = ∫_τ^1 dx/x [f_a(x) f_b(τ/x) + f_b(x) f_a(τ/x)]

so that σ(pp → X) = Σ_pairs ∫ dτ dL_ab/dτ σ̂_ab(τ s) for a σ̂ symmetric in the beams.  The
factorisation scale is μ_F = k √ŝ = k √(τ s), k ∈ {½, 1, 2} ("down", "nominal", "up").

Pairs: q q̄ for q = d, u, s, c, b (the neutral-current channels) and the charged-current
pairs u d̄, u s̄, u b̄, c d̄, c s̄, c b̄ and their conjugates d ū, ... (W⁺: up-type quark with
down-type antiquark; W⁻: the conjugates); no CKM factor is applied in the tables.

Files (``hnlfit/data/lhc/luminosity_<√s in TeV>TeV.npz`` + ``metadata.json``):
  ``sqrt_shat``          √ŝ grid in GeV (log-uniform), τ = ŝ/s
  ``L_<pair>_<scale>``   dL/dτ (dimensionless) on that grid, <scale> ∈ down, nominal, up
  ``u``                  rapidity grid in units of y_max = -ln(τ)/2 (u ∈ [-1, 1])
  ``F_<pair>``           F_ab(τ, u y_max) at the nominal scale, shape (n_tau, n_u), for the
                         rapidity distribution of the event sampler
The y integral uses Gauss–Legendre in u with ``N_Y_GAUSS`` nodes (the integrand vanishes
smoothly at |u| → 1); √ŝ runs from ``SQRT_SHAT_MIN`` GeV to 0.96 √s.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

PDF_FILE = "NNPDF23_lo_as_0130_qed_0000.dat"
PDF_NAME = "NNPDF2.3 QCD+QED LO, alpha_s(M_Z) = 0.130 (Pythia 8 default, PDF:pSet = 13)"
SQRT_S_VALUES = (13600.0, 14000.0)
SQRT_SHAT_MIN = 2.0
SQRT_SHAT_MAX_FRACTION = 0.96
N_TAU = 261
N_U = 41
N_Y_GAUSS = 96
SCALES = {"down": 0.5, "nominal": 1.0, "up": 2.0}

QUARKS = {"d": 1, "u": 2, "s": 3, "c": 4, "b": 5}
NEUTRAL_PAIRS = {f"{q}{q}bar": (i, -i) for q, i in QUARKS.items()}
CHARGED_PAIRS = {}
for _up in ("u", "c"):
    for _dn in ("d", "s", "b"):
        CHARGED_PAIRS[f"{_up}{_dn}bar"] = (QUARKS[_up], -QUARKS[_dn])   # W+
        CHARGED_PAIRS[f"{_dn}{_up}bar"] = (QUARKS[_dn], -QUARKS[_up])   # W-
PAIRS = {**NEUTRAL_PAIRS, **CHARGED_PAIRS}
PARTON_IDS = tuple(range(-5, 6))


def default_outdir() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "lhc"


def file_name(sqrt_s: float) -> str:
    return f"luminosity_{sqrt_s / 1000.0:g}TeV.npz"


def make_pdf():
    """Pythia's default proton PDF object (LHAGrid1 with the NNPDF2.3 QED LO grid)."""
    import pythia8mc
    py = pythia8mc.Pythia("", False)
    py.readString("Print:quiet = on")
    pdf = py.getPDFPtr(2212)
    return py, pdf


def parton_densities(pdf, x: np.ndarray, mu2: float) -> dict[int, np.ndarray]:
    """f_a(x, μ²) = xf/x for every parton id in PARTON_IDS at the points x (one scale)."""
    out = {i: np.empty(x.shape) for i in PARTON_IDS}
    for k, xv in enumerate(np.ravel(x)):      # table generation only; Pythia is scalar
        for i in PARTON_IDS:
            out[i].flat[k] = pdf.xf(i, float(xv), mu2) / xv
    return out


def tables_for(pdf, sqrt_s: float, progress: bool = True) -> dict[str, np.ndarray]:
    s = sqrt_s * sqrt_s
    rs_hat = np.geomspace(SQRT_SHAT_MIN, SQRT_SHAT_MAX_FRACTION * sqrt_s, N_TAU)
    tau = rs_hat ** 2 / s
    ug, wg = np.polynomial.legendre.leggauss(N_Y_GAUSS)
    u_grid = np.linspace(-1.0, 1.0, N_U)
    out: dict[str, np.ndarray] = {"sqrt_shat": rs_hat, "u": u_grid}
    for name in PAIRS:
        for sc in SCALES:
            out[f"L_{name}_{sc}"] = np.zeros(N_TAU)
        out[f"F_{name}"] = np.zeros((N_TAU, N_U))
    t0 = time.time()
    for it, (tv, rv) in enumerate(zip(tau, rs_hat)):
        ymax = -0.5 * np.log(tv)
        for sc, k in SCALES.items():
            mu2 = (k * rv) ** 2
            y = ug * ymax
            f1 = parton_densities(pdf, np.sqrt(tv) * np.exp(y), mu2)
            f2 = parton_densities(pdf, np.sqrt(tv) * np.exp(-y), mu2)
            for name, (a, b) in PAIRS.items():
                integrand = f1[a] * f2[b] + f1[b] * f2[a]
                out[f"L_{name}_{sc}"][it] = ymax * np.sum(wg * integrand)
            if sc == "nominal":
                uu = np.clip(u_grid, -1 + 1e-12, 1 - 1e-12) * ymax
                g1 = parton_densities(pdf, np.sqrt(tv) * np.exp(uu), mu2)
                g2 = parton_densities(pdf, np.sqrt(tv) * np.exp(-uu), mu2)
                for name, (a, b) in PAIRS.items():
                    F = g1[a] * g2[b]
                    F[[0, -1]] = 0.0     # x = 1 at the edges
                    out[f"F_{name}"][it] = F
        if progress and (it % 40 == 0 or it == N_TAU - 1):
            print(f"  sqrt_s = {sqrt_s:g}: {it + 1}/{N_TAU} tau points, "
                  f"{time.time() - t0:.0f} s", file=sys.stderr)
    return out


def _pythia8mc_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pythia8mc")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_tables(outdir: Path, progress: bool = True) -> Path:
    from ...io import write_json, write_npz
    py, pdf = make_pdf()
    outdir = Path(outdir)
    files = {}
    for rs in SQRT_S_VALUES:
        arrays = tables_for(pdf, rs, progress)
        for k in arrays:                 # the sampler's shapes need no double precision
            if k.startswith("F_"):
                arrays[k] = arrays[k].astype(np.float32)
        path = write_npz(outdir / file_name(rs), **arrays)
        files[f"{rs:g}"] = {"file": path.name, "sha256": sha256_file(path), "sqrt_s_GeV": rs}
    meta = {
        "format": {
            "version": 1,
            "description": __doc__.split("Definitions")[1].strip(),
            "generator": "hnlfit/physics/lhc/generate_luminosities.py "
                         "(tools/generate_luminosities.py, `hnlfit lhc generate`)",
        },
        "pdf": PDF_NAME, "pdf_file": PDF_FILE,
        "pythia8mc_version": _pythia8mc_version(),
        "grid": {"n_tau": N_TAU, "sqrt_shat_min_GeV": SQRT_SHAT_MIN,
                 "sqrt_shat_max_fraction": SQRT_SHAT_MAX_FRACTION, "n_u": N_U,
                 "n_y_gauss": N_Y_GAUSS, "scales": SCALES},
        "pairs": {k: list(v) for k, v in PAIRS.items()},
        "files": files,
        "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return write_json(outdir / "metadata.json", meta)


#: Drell–Yan windows (√s, m̂_min, m̂_max) for the check of the tables against Pythia
DY_WINDOWS = ((13600.0, 100.0, 300.0), (14000.0, 20.0, 60.0), (14000.0, 100.0, 300.0),
              (14000.0, 1000.0, 3000.0))
DY_FILE = "drell_yan_pythia.json"


def drell_yan_reference(n_events: int = 3_000_000, seed: int = 1107) -> list[dict]:
    """Pythia's own σ(pp → γ* → μ⁺μ⁻) in m̂ windows (hard process only, γ* only, fixed
    α_em = α(M_Z) of Pythia), for tests/test_luminosity.py: the tables must reproduce it.
    σ̂(q q̄ → γ* → μμ) = 4π α² Q_q² / (9 ŝ) at LO (μ mass negligible); μ_F = √ŝ in Pythia
    (SigmaProcess:factorScale1 = 1 for 2 → 1)."""
    import pythia8mc
    out = []
    for rs, lo, hi in DY_WINDOWS:
        py = pythia8mc.Pythia("", False)
        settings = [f"Beams:eCM = {rs:g}", "WeakSingleBoson:ffbar2gmZ = on",
                    "WeakZ0:gmZmode = 1", "23:onMode = off", "23:onIfAny = 13",
                    f"PhaseSpace:mHatMin = {lo:g}", f"PhaseSpace:mHatMax = {hi:g}",
                    "SigmaProcess:alphaEMorder = -1", "PartonLevel:all = off",
                    "HadronLevel:all = off", "Print:quiet = on", "Random:setSeed = on",
                    f"Random:seed = {seed}", "Next:numberCount = 0"]
        for s in settings:
            py.readString(s)
        py.init()
        for _ in range(n_events):
            py.next()
        info = py.infoPython()
        out.append({"sqrt_s_GeV": rs, "mhat_min_GeV": lo, "mhat_max_GeV": hi,
                    "n_events": n_events, "sigma_pb": info.sigmaGen() * 1e9,
                    "sigma_err_pb": info.sigmaErr() * 1e9,
                    "alpha_em": py.settings.parm("StandardModel:alphaEMmZ"),
                    "settings": settings})
    return out


def write_drell_yan(outdir: Path, n_events: int) -> Path:
    from ...io import write_json
    rows = drell_yan_reference(n_events)
    return write_json(Path(outdir) / DY_FILE, {
        "description": "Pythia 8 sigma(pp -> gamma* -> mu+ mu-) (process ffbar2gmZ, "
                       "gmZmode = 1, hard process only) in m-hat windows, with the PDF of the "
                       "luminosity tables; reference for tests/test_luminosity.py",
        "pythia8mc_version": _pythia8mc_version(),
        "generator": "hnlfit/physics/lhc/generate_luminosities.py (--drell-yan)",
        "windows": rows})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="hnlfit lhc generate",
                                 description="Write the q q-bar luminosity tables from the "
                                             "NNPDF2.3 QED LO grid in pythia8mc (needs the "
                                             "'spectra' extra)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default: the package's hnlfit/data/lhc)")
    ap.add_argument("--no-progress", action="store_true")
    ap.add_argument("--drell-yan", action="store_true",
                    help="also run Pythia's Drell-Yan reference cross sections (a minute)")
    ap.add_argument("--dy-events", type=int, default=3_000_000)
    args = ap.parse_args(argv)
    try:
        import pythia8mc  # noqa: F401
    except ImportError:
        print("hnlfit lhc generate: needs pythia8mc; pip install 'hnlfit[spectra]'",
              file=sys.stderr)
        return 2
    outdir = args.out or default_outdir()
    path = write_tables(outdir, progress=not args.no_progress)
    print(f"wrote {path}")
    if args.drell_yan:
        print(f"wrote {write_drell_yan(outdir, args.dy_events)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
