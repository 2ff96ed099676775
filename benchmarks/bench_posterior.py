"""Posterior chains: ``runs/g2_posterior.yaml`` wall time and likelihood evaluations per
second, before/after side by side, plus the per-call cost of the log-posterior (16 points,
the sampler's size) and the identity of the chains.

    python benchmarks/bench_posterior.py [--before /work/before] [--after TREE] [--repeat 2]
                                         [--card runs/g2_posterior.yaml] [--nsteps N]

Each implementation runs in its own process (``PYTHONPATH`` = its tree), alternating
before/after ``--repeat`` times on a fresh output folder (nothing resumed), one BLAS thread.
Every process also times the numpy baseline ``np.log(np.exp(x) + 1)`` on 10^6 doubles, so
the figures are given as ratios to it as well (the machine is shared; the minimum of the
repeats is reported).  Evaluations per second = walkers x steps per data set over the
sampling time of that chain (emcee evaluates every walker once per step).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _baseline() -> float:
    import numpy as np

    x = np.random.default_rng(0).random(1_000_000)
    best = float("inf")
    for _ in range(7):
        t = time.perf_counter()
        np.log(np.exp(x) + 1)
        best = min(best, time.perf_counter() - t)
    return best


def _per_call(card_path: str) -> dict:
    """Best time of one log-posterior call and one likelihood call at 16 points."""
    import numpy as np
    import yaml

    from hnlfit.fitter.posterior import LogPosterior
    from hnlfit.fitter.priors import parse_priors
    from hnlfit.likelihoods.measurements import build_likelihood

    card = yaml.safe_load(Path(card_path).read_text())
    priors = parse_priors(card["parameters"])
    rng = np.random.default_rng(1)
    u = np.stack([p.sample(rng, 16) for p in priors.values()], axis=1)
    out = {}
    for ds in card["datasets"]:
        lp = LogPosterior(build_likelihood(ds), priors, card.get("fixed", {}),
                          card.get("derived", {}), card.get("require_eft_valid", False))
        best = float("inf")
        for _ in range(7):
            t = time.perf_counter()
            for _ in range(100):
                lp(u)
            best = min(best, (time.perf_counter() - t) / 100)
        out[ds] = best
    return out


def worker(card_path: str, out: str, nsteps: int | None) -> dict:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import numpy as np
    import yaml

    from hnlfit.cli import main

    card = yaml.safe_load(Path(card_path).read_text())
    if nsteps:
        card["sampler"]["nsteps"] = nsteps
        card["sampler"]["burn"] = min(card["sampler"]["burn"], nsteps // 4)
        tmp = Path(out) / "card.yaml"
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(yaml.safe_dump(card))
        card_path = str(tmp)
    base = _baseline()
    per_call = _per_call(card_path)
    t0 = time.perf_counter()
    code = main(["run", card_path, "--out", out, "--no-progress"])
    wall = time.perf_counter() - t0
    if code:
        raise SystemExit(f"card failed with exit code {code}")
    folder = Path(out) / card["name"]
    meta = json.loads((folder / f"{card['name']}.json").read_text())
    walkers, steps = card["sampler"]["nwalkers"], card["sampler"]["nsteps"]
    evals = {ds: walkers * steps / p["meta"]["elapsed_s"] for ds, p in meta["posteriors"].items()}
    with np.load(folder / f"{card['name']}.npz") as z:
        arrays = {k: z[k] for k in z.files if k != "names"}
    np.savez(Path(out) / "chains.npz", **arrays)
    return {"wall_s": wall, "baseline_s": base, "evals_per_s": evals,
            "per_call_s": per_call, "chains": str(Path(out) / "chains.npz")}


def _run(tree: str, card: str, nsteps: int | None) -> dict:
    out = tempfile.mkdtemp(prefix="hnlfit-bench-post-")
    env = {**os.environ, "PYTHONPATH": tree, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    cmd = [sys.executable, __file__, "--worker", card, out] + (
        ["--nsteps", str(nsteps)] if nsteps else [])
    res = subprocess.run(cmd, env=env, cwd=tempfile.gettempdir(), capture_output=True,
                         text=True)
    if res.returncode:
        raise SystemExit(f"{tree}: {res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", default="/work/before")
    ap.add_argument("--after", default=str(ROOT),
                    help="tree to compare (default: this one)")
    ap.add_argument("--card", default=str(ROOT / "runs" / "g2_posterior.yaml"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--nsteps", type=int, default=None)
    ap.add_argument("--worker", nargs=2, metavar=("CARD", "OUT"))
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.nsteps)))
        return

    import numpy as np

    runs = {"before": [], "after": []}
    for _ in range(args.repeat):
        for name, tree in (("before", args.before), ("after", args.after)):
            runs[name].append(_run(tree, args.card, args.nsteps))
            r = runs[name][-1]
            print(f"  {name:<6} wall {r['wall_s']:6.2f} s  "
                  f"(baseline {1e3 * r['baseline_s']:.2f} ms)", flush=True)
    best = {k: min(v, key=lambda r: r["wall_s"]) for k, v in runs.items()}
    print(f"\n{'':<28}{'before':>12}{'after':>12}{'ratio':>9}")
    b, a = best["before"], best["after"]
    print(f"{'card wall time [s]':<28}{b['wall_s']:12.2f}{a['wall_s']:12.2f}"
          f"{b['wall_s'] / a['wall_s']:8.2f}x")
    print(f"{'  / numpy baseline':<28}{b['wall_s'] / b['baseline_s']:12.0f}"
          f"{a['wall_s'] / a['baseline_s']:12.0f}")
    for ds in b["evals_per_s"]:
        eb = max(r["evals_per_s"][ds] for r in runs["before"])
        ea = max(r["evals_per_s"][ds] for r in runs["after"])
        print(f"{'evals/s ' + ds:<28}{eb:12.0f}{ea:12.0f}{ea / eb:8.2f}x")
    for ds in b["per_call_s"]:
        cb = min(r["per_call_s"][ds] for r in runs["before"])
        ca = min(r["per_call_s"][ds] for r in runs["after"])
        print(f"{'log-post. 16 pts ' + ds + ' [ms]':<28}{1e3 * cb:12.3f}{1e3 * ca:12.3f}"
              f"{cb / ca:8.2f}x")
    with np.load(b["chains"]) as zb, np.load(a["chains"]) as za:
        for k in sorted(zb.files):
            x, y = zb[k], za[k]
            if k.endswith("_coords"):
                print(f"chain {k}: identical bit for bit: {np.array_equal(x, y)}")
            elif k.endswith("_chi2"):
                d = np.abs(x - y)
                rel = np.max(d / np.maximum(np.abs(x), 1.0))
                print(f"chi2 {k}: max |difference| {d.max():.1e} (max |chi2| "
                      f"{np.abs(x).max():.3g}; relative to max(|chi2|, 1): {rel:.1e})")


if __name__ == "__main__":
    main()
