"""Command line: ``hnlfit run | predict | breakdown | observables | parameters | data``."""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .errors import HnlfitError


def _parse_assignments(items: list[str]) -> dict[str, object]:
    """``key=value`` pairs; a value with commas becomes an array; non-numbers stay strings."""
    out: dict[str, object] = {}
    for item in items:
        if "=" not in item:
            raise HnlfitError(f"expected key=value, got {item!r}")
        key, text = item.split("=", 1)
        try:
            vals = [float(v) for v in text.split(",")]
            out[key] = vals[0] if len(vals) == 1 else np.array(vals)
        except ValueError:
            out[key] = text
    return out


def _load_plugins(args) -> None:
    from .plugins import load_entry_point_plugins, load_plugin

    load_entry_point_plugins()
    for p in getattr(args, "plugin", None) or []:
        load_plugin(p)


def _fmt(v, digits: int = 4) -> str:
    a = np.asarray(v)
    if a.size == 1:
        return f"{a.item():.{digits}g}"
    return "[" + ", ".join(f"{x:.{digits}g}" for x in a.ravel()) + "]"


def cmd_run(args) -> int:
    from .cards import run_card

    for card in args.cards:
        res = run_card(card, outdir=args.out, quick=args.quick, progress=not args.no_progress,
                       plugins=tuple(args.plugin or ()))
        for kind, path in res["paths"].items():
            print(f"wrote {kind}: {path}")
    return 0


def cmd_predict(args) -> int:
    from .observables import registry

    _load_plugins(args)
    kwargs = _parse_assignments(args.assignments)
    value = registry.predict(args.name, **kwargs)
    obs = registry.get(args.name)
    if args.json:
        print(json.dumps({"observable": obs.name, "unit": obs.unit, "value": value.tolist(),
                          "inputs": {k: np.asarray(v).tolist() for k, v in kwargs.items()},
                          "references": list(obs.refs)}))
    else:
        print(f"{obs.name} = {_fmt(value, 6)} {'' if obs.unit == '1' else obs.unit}".rstrip())
    return 0


def cmd_breakdown(args) -> int:
    from .likelihoods.measurements import build_likelihood
    from .params import make_point

    _load_plugins(args)
    like = build_likelihood(args.dataset, include=args.include, projections=args.projections)
    point = make_point(**_parse_assignments(args.assignments))
    rows = like.breakdown(point)
    if args.json:
        print(json.dumps([{k: (np.asarray(v).tolist() if isinstance(v, np.ndarray) else v)
                           for k, v in r.items()} for r in rows]))
        return 0
    print(f"{'term':<22} {'prediction':>13} {'pull':>8} {'chi2':>9}  data")
    for r in rows:
        pred = "" if r["prediction"] is None else _fmt(r["prediction"])
        print(f"{r['term']:<22} {pred:>13} {_fmt(r['pull']):>8} {_fmt(r['chi2']):>9}  "
              f"{r['data']}")
    print(f"{'total Delta chi2 (relative to no HNL)':<45} {_fmt(like.chi2(point)):>9}")
    return 0


def cmd_observables(args) -> int:
    from .observables import registry

    _load_plugins(args)
    obs = registry.all_observables()
    if args.json:
        print(json.dumps([{"name": o.name, "unit": o.unit, "tex": o.tex,
                           "params": list(o.params), "args": o.args,
                           "references": list(o.refs)} for o in obs], default=str))
        return 0
    for o in obs:
        extra = f"  args: {o.args}" if o.args else ""
        print(f"{o.name:<24} [{o.unit}]  {', '.join(o.refs)}{extra}")
    return 0


def cmd_parameters(args) -> int:
    from .params import PARAMETERS

    for p in PARAMETERS.values():
        print(f"{p.name:<14} [{p.unit}]  {p.description}  range {p.range_text()}")
    return 0


def cmd_data(args) -> int:
    from .likelihoods.measurements import datasets, load_entries, reference_text

    for ds in ([args.dataset] if args.dataset else datasets()):
        print(f"== {ds}")
        for e in load_entries(ds):
            flags = (" [projection]" if e.get("projection") else "") + \
                    (" [alternative]" if e.get("default") is False else "")
            print(f"  {e['name']:<26} {e['kind']:<20} {e.get('year', '')}  "
                  f"{reference_text(e)}{flags}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hnlfit", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run one or more run cards")
    r.add_argument("cards", nargs="+")
    r.add_argument("--out", default="results", help="output folder (default: results)")
    r.add_argument("--quick", action="store_true", help="small grid / short chain")
    r.add_argument("--no-progress", action="store_true")
    r.add_argument("--plugin", action="append", help="python file or module to import")
    r.set_defaults(func=cmd_run)

    p = sub.add_parser("predict", help="predict an observable: NAME key=value ...")
    p.add_argument("name")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plugin", action="append")
    p.set_defaults(func=cmd_predict)

    b = sub.add_parser("breakdown", help="per-term chi2, prediction and pull at a point")
    b.add_argument("assignments", nargs="*")
    b.add_argument("--dataset", default="seed")
    b.add_argument("--include", nargs="*")
    b.add_argument("--projections", action="store_true")
    b.add_argument("--json", action="store_true")
    b.add_argument("--plugin", action="append")
    b.set_defaults(func=cmd_breakdown)

    o = sub.add_parser("observables", help="list observables with units and references")
    o.add_argument("--json", action="store_true")
    o.add_argument("--plugin", action="append")
    o.set_defaults(func=cmd_observables)

    sub.add_parser("parameters", help="list model parameters").set_defaults(
        func=cmd_parameters)
    d = sub.add_parser("data", help="list measurements of the data sets")
    d.add_argument("--dataset")
    d.set_defaults(func=cmd_data)
    _add_spectra_parser(sub)
    _add_lhc_parser(sub)
    return ap


# ---- `hnlfit spectra` (forward meson spectra, issue 4) -------------------------------------
def cmd_spectra(args) -> int:
    if args.action == "generate":
        from .spectra.generate import main as generate_main
        return generate_main(args.rest)
    from .spectra import comparison_table
    print(f"{'meson':<10} {'process':<12} {'sigma/hemisphere [fb]':>22} {'stat':>6} "
          f"{'seed 003 Table 1':>17} {'ratio':>6}")
    for r in comparison_table():
        print(f"{r['meson']:<10} {r['process']:<12} {r['sigma_fb']:>22.4e} "
              f"{r['stat_err_fb'] / r['sigma_fb']:>6.1%} {r['seed003_fb']:>17.4e} "
              f"{r['ratio']:>6.3f}")
    print("charged mesons: both charge states (Table 1 x 2); see hnlfit/data/spectra/14TeV/"
          "metadata.json")
    return 0


def _add_spectra_parser(sub) -> None:
    s = sub.add_parser("spectra", help="forward meson spectra: generate (Pythia 8) | info")
    s.add_argument("action", choices=["generate", "info"])
    s.add_argument("rest", nargs=argparse.REMAINDER,
                   help="options of `generate` (see `hnlfit spectra generate --help`)")
    s.set_defaults(func=cmd_spectra)
# ---- end of `hnlfit spectra` ---------------------------------------------------------------


# ---- `hnlfit lhc` (parton luminosities for LHC production, issue 11) ----------------------
def cmd_lhc(args) -> int:
    if args.action == "generate":
        from .physics.lhc.generate_luminosities import main as generate_main
        return generate_main(args.rest)
    from .physics.lhc.luminosity import describe
    print(describe())
    return 0


def _add_lhc_parser(sub) -> None:
    s = sub.add_parser("lhc", help="LHC parton luminosities: generate (from pythia8mc) | info")
    s.add_argument("action", choices=["generate", "info"])
    s.add_argument("rest", nargs=argparse.REMAINDER,
                   help="options of `generate` (see `hnlfit lhc generate --help`)")
    s.set_defaults(func=cmd_lhc)
# ---- end of `hnlfit lhc` ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (HnlfitError, KeyError, ValueError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"hnlfit: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
