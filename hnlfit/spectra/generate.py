"""Generate the forward meson and W/Z spectra with Pythia 8 (``hnlfit spectra generate``).

Not run by CI.  Needs the optional extra ``spectra`` (``pip install "hnlfit[spectra]"``, i.e.
``pythia8mc==8.317.2``).  The shipped tables under ``hnlfit/data/spectra/14TeV/`` were made
with :func:`main` at its defaults; ``metadata.json`` records every setting, seed, event count
and cross section.

Processes (pp at √s = 14 TeV, Pythia 8 defaults otherwise: Monash 2013 tune, NNPDF2.3 QCD+QED
LO)::

    softqcd      SoftQCD:inelastic                            pi0 eta etaprime rho0 omega phi pi K
    ccbar        HardQCD:hardccbar (gg, qq̄ → cc̄, massive LO)  D Ds
    bbbar        HardQCD:hardbbbar                            B
    charmonium   Charmonium:all, pTHatMin = 1 GeV (NRQCD)     jpsi
    bottomonium  Bottomonium:all, pTHatMin = 1 GeV (NRQCD)    upsilon1s
    wboson       WeakSingleBoson:ffbar2W (LO qq̄' → W±)          Wplus Wminus
    zboson       WeakSingleBoson:ffbar2gmZ, WeakZ0:gmZmode = 2   Z
                 (Z only, no γ*; Breit-Wigner mass)

Electroweak bosons (group "bosons", for HNLs from W → ℓN, Z → νN).  The bosons' own decays
are switched off and each event's *last* copy of the boson is histogrammed (the one that
carries the recoil of initial-state radiation; with decays off it is final, status > 0).
Only initial-state radiation matters for the boson's kinematics (it generates the boson p_T
and shifts its rapidity), so ``PartonLevel:ISR`` stays on; multiparton interactions,
final-state radiation and hadronisation cannot change the boson's momentum in Pythia's
recoil scheme and are switched off for speed (``PartonLevel:MPI``, ``PartonLevel:FSR``,
``HadronLevel:all = off``).  W⁺ and W⁻ are kept in separate tables (their rapidity
distributions differ: u-valence vs d-valence).  σ_gen is Pythia's LO total (Breit-Wigner
integrated over its default mass window); ``hnlfit.spectra`` can rescale the totals to the
NNLO cross sections of ``hnlfit/data/spectra/boson_xsec_14TeV.yaml`` (``normalise="nnlo"``).

Normalisation.  Every process is generated unweighted, so each meson entry carries the weight
σ_gen/N_events, where σ_gen is Pythia's own estimate of the cross section of the selected
process(es) (``Info::sigmaGen``, in mb) at the end of the run: the inelastic cross section
for SoftQCD (≈ 79 mb), the LO σ(pp → cc̄), σ(pp → bb̄) of the massive matrix elements with no
p̂_T cut (they are finite at p̂_T → 0) for the heavy-flavour runs, and the NRQCD colour-singlet
plus colour-octet σ above p̂_T = 1 GeV for the onia (their matrix elements diverge at p̂_T → 0,
so a cut is needed and the total depends on it).  LO heavy-flavour and NRQCD totals are
uncertain by factors of order 2 (scale choice, the p̂_T cut): ``hnlfit.spectra`` can rescale
each meson to the published totals of seed 003 Table 1 (``normalise="seed003"``).

Hemispheres.  Pythia's pp events are symmetric under z → -z, so mesons with p_z < 0 are
reflected (θ → π - θ) and every entry gets half the weight: the tables hold the cross section
*per forward hemisphere* with both hemispheres' statistics.  Charged mesons hold both charge
states (π⁺ + π⁻, ...); seed 003 Table 1 quotes one state.

Decays.  In the SoftQCD run the record of every event lists each hadron once, decayed or not
(status < 0 once decayed), so every π⁰, η, ... is counted, including those fed by the
prompt decays of heavier resonances (η → 3π⁰, ω → π⁰γ, K*, ...), which are physical.  Hadrons
with cτ > 10 mm are not decayed (``ParticleDecays:limitTau0``): π±, K±, K_L, K_S, Λ, ... decay
far from the IP, so their daughters must not be counted as produced there.  In the
heavy-flavour and onia runs the decays of the tabulated mesons (D±, D_s±, B±, J/ψ, Υ) are
switched off (``mayDecay = off``): only the mesons themselves are histogrammed, and the
light-meson feed-down from charm is already part of the SoftQCD run.  J/ψ from B decays
(non-prompt, ≈ 10% of prompt) and D from B decays are not included.

Tables: counts n in 2-d bins of (log10 θ, log10 p), θ the polar angle from the beam axis of
the hemisphere, p in GeV; θ in [1e-6, 10^0.2] rad, p in [0.1, 10^4] GeV, 0.05 decades per bin;
entries outside are put in the first/last bin, so the table's sum is the whole hemisphere.
σ_bin = n × ``sigma_per_count_fb``; its statistical error is √n × ``sigma_per_count_fb``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

LOG10_THETA_EDGES = np.round(np.arange(-6.0, 0.2 + 1e-9, 0.05), 6)
LOG10_P_EDGES = np.round(np.arange(-1.0, 4.0 + 1e-9, 0.05), 6)
SQRT_S_GEV = 14000.0
MB_TO_FB = 1e12

PDG = {"Wplus": 24, "Wminus": -24, "Z": 23,
       "pi0": 111, "eta": 221, "etaprime": 331, "rho0": 113, "omega": 223, "phi": 333,
       "pi": 211, "K": 321, "D": 411, "Ds": 431, "B": 521, "jpsi": 443, "upsilon1s": 553}
CHARGED = ("pi", "K", "D", "Ds", "B")

_EW_SETTINGS = ["PartonLevel:ISR = on", "PartonLevel:MPI = off", "PartonLevel:FSR = off",
                "HadronLevel:all = off"]

PROCESSES = {
    "softqcd": {"settings": ["SoftQCD:inelastic = on"],
                "mesons": ["pi0", "eta", "etaprime", "rho0", "omega", "phi", "pi", "K"],
                "switch_off": [], "n_events": 300_000, "seed": 14001},
    "ccbar": {"settings": ["HardQCD:hardccbar = on"], "mesons": ["D", "Ds"],
              "switch_off": ["D", "Ds"], "n_events": 150_000, "seed": 14002},
    "bbbar": {"settings": ["HardQCD:hardbbbar = on"], "mesons": ["B"],
              "switch_off": ["B"], "n_events": 50_000, "seed": 14003},
    "charmonium": {"settings": ["Charmonium:all = on", "PhaseSpace:pTHatMin = 1.0"],
                   "mesons": ["jpsi"], "switch_off": ["jpsi"], "n_events": 60_000,
                   "seed": 14004},
    "bottomonium": {"settings": ["Bottomonium:all = on", "PhaseSpace:pTHatMin = 1.0"],
                    "mesons": ["upsilon1s"], "switch_off": ["upsilon1s"], "n_events": 30_000,
                    "seed": 14005},
    "wboson": {"settings": ["WeakSingleBoson:ffbar2W = on"] + _EW_SETTINGS,
               "mesons": ["Wplus", "Wminus"], "switch_off": ["Wplus"], "n_events": 2_000_000,
               "seed": 14006, "group": "bosons"},
    "zboson": {"settings": ["WeakSingleBoson:ffbar2gmZ = on", "WeakZ0:gmZmode = 2"]
               + _EW_SETTINGS, "mesons": ["Z"], "switch_off": ["Z"], "n_events": 1_000_000,
               "seed": 14007, "group": "bosons"},
}
#: process groups: "mesons" (every copy in the record counted, see Decays above) and
#: "bosons" (the last copy of each W/Z, see Electroweak bosons above)
GROUPS = ("mesons", "bosons")

COMMON_SETTINGS = [
    f"Beams:eCM = {SQRT_S_GEV:g}",
    "Next:numberCount = 0",
    "Print:quiet = on",
    "ParticleDecays:limitTau0 = on",
    "ParticleDecays:tau0Max = 10.0",
]


def default_outdir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "spectra" / "14TeV"


def histogram(theta: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Counts in the (log10 θ, log10 p) bins; θ folded to the forward hemisphere by the
    caller; under/overflow go to the edge bins."""
    nt, nps = len(LOG10_THETA_EDGES) - 1, len(LOG10_P_EDGES) - 1
    with np.errstate(divide="ignore"):
        lt, lp = np.log10(theta), np.log10(p)
    it = np.clip(np.floor((lt - LOG10_THETA_EDGES[0]) / 0.05).astype(np.int64), 0, nt - 1)
    ip = np.clip(np.floor((lp - LOG10_P_EDGES[0]) / 0.05).astype(np.int64), 0, nps - 1)
    return np.bincount(it * nps + ip, minlength=nt * nps).reshape(nt, nps)


def run_process(name: str, n_events: int | None = None, seed: int | None = None,
                progress: bool = True, chunk: int = 5000) -> dict:
    """Run one process; returns counts per meson, σ_gen and the settings used."""
    import pythia8mc
    from tqdm.auto import tqdm

    proc = PROCESSES[name]
    n_events = int(n_events or proc["n_events"])
    seed = int(seed if seed is not None else proc["seed"])
    settings = COMMON_SETTINGS + proc["settings"] + [f"{abs(PDG[m])}:mayDecay = off"
                                                     for m in proc["switch_off"]]
    settings += ["Random:setSeed = on", f"Random:seed = {seed}"]
    pythia = pythia8mc.Pythia("", False)
    for s in settings:
        if not pythia.readString(s):
            raise RuntimeError(f"Pythia rejected the setting {s!r}")
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise process {name}")
    bosons = proc.get("group", "mesons") == "bosons"
    # mesons: |id| (both charge states in one table); bosons: signed id, last copy only
    wanted = {PDG[m] if bosons else abs(PDG[m]): m for m in proc["mesons"]}
    nt, nps = len(LOG10_THETA_EDGES) - 1, len(LOG10_P_EDGES) - 1
    counts = {m: np.zeros((nt, nps), np.int64) for m in proc["mesons"]}
    buf = {m: [] for m in proc["mesons"]}
    n_ok = n_fail = 0
    t0 = time.perf_counter()
    bar = tqdm(total=n_events, desc=f"pythia {name}", unit="evt", disable=not progress,
               smoothing=0.05)

    def flush():
        for m, rows in buf.items():
            if rows:
                a = np.asarray(rows, float)
                pz = a[:, 2]
                pt = np.hypot(a[:, 0], a[:, 1])
                theta = np.arctan2(pt, np.abs(pz))          # folded: θ → π - θ for p_z < 0
                counts[m] += histogram(theta, np.sqrt(pt * pt + pz * pz))
                rows.clear()

    while n_ok < n_events:
        if not pythia.next():
            n_fail += 1
            if n_fail > 100 + n_events // 100:
                raise RuntimeError(f"{name}: too many failed events ({n_fail})")
            continue
        n_ok += 1
        for prt in pythia.event:
            if bosons:
                m = wanted.get(prt.id()) if prt.isFinal() else None
            else:
                m = wanted.get(prt.idAbs())
            if m is not None:
                buf[m].append((prt.px(), prt.py(), prt.pz()))
        if n_ok % chunk == 0:
            flush()
            bar.update(chunk)
    flush()
    bar.update(n_ok - bar.n)
    bar.close()
    info = pythia.infoPython()
    sigma_mb, sigma_err_mb = float(info.sigmaGen()), float(info.sigmaErr())
    return {"process": name, "group": proc.get("group", "mesons"), "counts": counts,
            "n_events": n_ok, "n_failed": n_fail,
            "sigma_gen_mb": sigma_mb, "sigma_gen_err_mb": sigma_err_mb, "seed": seed,
            "settings": settings, "seconds": time.perf_counter() - t0,
            "pythia_version": f"{pythia.settings.parm('Pythia:versionNumber'):.3f}",
            "pythia8mc_version": _pythia8mc_version()}


def _pythia8mc_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pythia8mc")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_process(result: dict, outdir: Path) -> dict:
    """Write the per-particle .npz tables of one process and return its metadata block
    (particles under "mesons" or "bosons", by the process group, with the reference total:
    seed 003 Table 1 for mesons, the NNLO cross section of
    ``hnlfit/data/ew_boson_xsec_14TeV.yaml`` for bosons)."""
    from ..io import write_npz
    from . import SEED003_TABLE1_FB, nnlo_boson_xsec_fb

    outdir = Path(outdir)
    group = result.get("group", "mesons")
    per_count = result["sigma_gen_mb"] * MB_TO_FB / (2.0 * result["n_events"])
    parts = {}
    for m, n in result["counts"].items():
        path = write_npz(outdir / f"{m}.npz", counts=n.astype(np.uint32),
                         log10_theta_edges=LOG10_THETA_EDGES, log10_p_edges=LOG10_P_EDGES,
                         sigma_per_count_fb=np.float64(per_count),
                         n_events=np.int64(result["n_events"]))
        total = float(n.sum()) * per_count
        entry = {"file": path.name, "sha256": _sha256(path), "pdgid": PDG[m],
                 "entries": int(n.sum()), "sigma_hemisphere_fb": total,
                 "sigma_hemisphere_stat_err_fb": math.sqrt(float(n.sum())) * per_count}
        if group == "bosons":
            ref = nnlo_boson_xsec_fb(m) / 2.0          # per hemisphere
            entry.update({"nnlo_hemisphere_fb": ref, "ratio_lo_to_nnlo": total / ref})
        else:
            ref = SEED003_TABLE1_FB[m] * (2 if m in CHARGED else 1)
            entry.update({"charge_states": "both" if m in CHARGED else "self-conjugate",
                          "seed003_table1_fb": ref, "ratio_to_seed003": total / ref})
        parts[m] = entry
    return {"process": result["process"], "group": group,
            "pythia_version": result["pythia_version"],
            "pythia8mc_version": result["pythia8mc_version"], "settings": result["settings"],
            "seed": result["seed"], "n_events": result["n_events"],
            "n_failed": result["n_failed"], "sigma_gen_mb": result["sigma_gen_mb"],
            "sigma_gen_err_mb": result["sigma_gen_err_mb"],
            "sigma_per_count_fb": per_count, "cpu_seconds": result["seconds"],
            group: parts}


def update_metadata(outdir: Path, blocks: list[dict]) -> Path:
    from ..io import write_json

    path = Path(outdir) / "metadata.json"
    meta = json.loads(path.read_text()) if path.exists() else {}
    meta.setdefault("format", {
        "version": 1,
        "description": "counts[i_theta, i_p] of mesons per bin of (log10 theta [rad], "
                       "log10 p [GeV]) in one forward hemisphere (both hemispheres folded); "
                       "sigma_bin = counts * sigma_per_count_fb; stat. error = "
                       "sqrt(counts) * sigma_per_count_fb; under/overflow in the edge bins; "
                       "charged mesons: both charge states",
        "sqrt_s_GeV": SQRT_S_GEV,
        "generator": "hnlfit/spectra/generate.py (tools/generate_spectra.py, "
                     "`hnlfit spectra generate`)"})
    procs = meta.setdefault("processes", {})
    for b in blocks:
        b = dict(b)
        b["generated"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        procs[b["process"]] = b
    for group in GROUPS:
        table = {m: p for p, b in procs.items() for m in b.get(group, {})}
        if table:
            meta[group] = table
    return write_json(path, meta)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="hnlfit spectra generate",
                                 description="Generate forward meson and W/Z spectra with "
                                             "Pythia 8 "
                                             "(needs the 'spectra' extra: pythia8mc)")
    ap.add_argument("--process", action="append", choices=sorted(PROCESSES),
                    help="process(es) to run (default: all)")
    ap.add_argument("--events", type=int, help="events per process (default: per process)")
    ap.add_argument("--scale-events", type=float, default=1.0,
                    help="multiply the default event numbers (e.g. 0.01 for a quick test)")
    ap.add_argument("--seed", type=int, help="random seed (default: per process)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default: the package's hnlfit/data/spectra/14TeV)")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    try:
        import pythia8mc  # noqa: F401
    except ImportError:
        print("hnlfit spectra generate: needs pythia8mc; pip install 'hnlfit[spectra]'",
              file=sys.stderr)
        return 2
    outdir = args.out or default_outdir()
    for name in args.process or list(PROCESSES):
        n = args.events or max(100, int(PROCESSES[name]["n_events"] * args.scale_events))
        res = run_process(name, n, args.seed, progress=not args.no_progress)
        block = write_process(res, outdir)
        update_metadata(outdir, [block])
        for m, b in block.get("mesons", {}).items():
            print(f"{name:12s} {m:10s} sigma/hemisphere = {b['sigma_hemisphere_fb']:.3e} fb "
                  f"(stat {b['sigma_hemisphere_stat_err_fb'] / b['sigma_hemisphere_fb']:.1%})"
                  f"  seed 003 Table 1: {b['seed003_table1_fb']:.3e}  ratio "
                  f"{b['ratio_to_seed003']:.3f}")
        for m, b in block.get("bosons", {}).items():
            print(f"{name:12s} {m:10s} sigma/hemisphere (LO) = {b['sigma_hemisphere_fb']:.3e} "
                  f"fb  NNLO: {b['nnlo_hemisphere_fb']:.3e}  LO/NNLO "
                  f"{b['ratio_lo_to_nnlo']:.3f}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
