"""Command line: ``hnlfit run | predict | breakdown | limit | observables | parameters | data |
cache | spectra``.

Values are typed: ``key=value`` takes numbers (``300``, ``1e-6``), comma lists (``100,200``),
the safe expressions run cards allow (``C_Hnue_mu=-1/1200**2``, ``C_Hnue_mu=-1/Lambda**2``;
:mod:`hnlfit.fitter.expressions`), and for switches ``true/false/yes/no/1/0``. A key given
twice is an error. ``--json`` prints strict JSON (NaN/inf as null, listed under
``non_finite_as_null``). An expected error is one line on stderr and exit code 2; ``--debug``
shows the traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings

import numpy as np

from ._version import __version__
from .errors import HnlfitError, ParameterError

TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


# ---- typed key=value parsing (the CLI door) ------------------------------------------------
def split_assignments(items: list[str]) -> dict[str, str]:
    """``key=value`` texts by key; a missing ``=`` or a repeated key is an error."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"expected key=value, got {item!r}")
        if key in out:
            raise ParameterError(f"{key!r} is given twice ({key}={out[key]} and {item})")
        out[key] = text.strip()
    return out


def parse_bool(key: str, text: str) -> bool:
    t = text.lower()
    if t in TRUE:
        return True
    if t in FALSE:
        return False
    raise ParameterError(f"{key}={text!r}: expected true/false, yes/no or 1/0")


def _number_list(text: str):
    """A float or a comma list of floats, or None if the text is not plain numbers."""
    try:
        vals = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    return vals[0] if len(vals) == 1 else np.array(vals)


def parse_numbers(texts: dict[str, str]) -> dict[str, object]:
    """Numbers, comma lists and safe expressions (which may use the other keys' values)."""
    from .fitter.expressions import ExpressionError, compile_expression, resolve

    values, derived = {}, {}
    for k, t in texts.items():
        v = _number_list(t)
        if v is None:
            if not t:
                raise ParameterError(f"{k}= has no value")
            try:
                expr = compile_expression(t)
            except ExpressionError as exc:
                raise ParameterError(f"{k}={t}: not a number, and not a valid expression "
                                     f"({exc})") from None
            unknown = sorted(n for n in expr.names if n not in texts and n != "pi")
            if unknown:
                raise ParameterError(f"{k}={t}: not a number; as an expression it uses "
                                     f"{', '.join(map(repr, unknown))}, which is not given")
            derived[k] = t
        else:
            values[k] = v
    return resolve(values, derived) if derived else values


def parse_for_observable(obs, texts: dict[str, str]) -> dict[str, object]:
    """Typed values for ``predict``: switches as booleans, string options as strings, the
    rest as numbers or expressions."""
    typed, numeric = {}, {}
    for k, t in texts.items():
        default = obs.args.get(k, 0.0) if k in obs.args else 0.0
        if isinstance(default, bool):
            typed[k] = parse_bool(k, t)
        elif isinstance(default, str):
            typed[k] = t
        elif k in obs.args and default is None and _number_list(t) is None \
                and not any(ch in t for ch in "*/()"):
            typed[k] = t                      # a name or a path (detector=FASER2)
        else:
            numeric[k] = t
    return {**parse_numbers(numeric), **typed}


# ---- output ----------------------------------------------------------------------------
def _clean(x: float) -> float:
    return float(x) + 0.0          # -0.0 -> 0.0


def fmt(v, digits: int = 4) -> str:
    """A number or an array, without '-0'."""
    a = np.asarray(v, dtype=float)
    if a.size == 1:
        return f"{_clean(a.item()):.{digits}g}"
    return "[" + ", ".join(f"{_clean(x):.{digits}g}" for x in a.ravel()) + "]"


def print_json(obj) -> None:
    from .io import dumps_json

    print(dumps_json(obj))


def _load_plugins(args) -> None:
    from .plugins import load_entry_point_plugins, load_plugin

    load_entry_point_plugins()
    for p in getattr(args, "plugin", None) or []:
        load_plugin(p)


def _one_line_warnings() -> None:
    """Warnings (validity, cache) as one line each on stderr."""
    def show(message, category, filename, lineno, file=None, line=None):
        print(f"hnlfit: warning: {message}", file=sys.stderr)

    warnings.showwarning = show


# ---- commands --------------------------------------------------------------------------
def cmd_run(args) -> int:
    from .cards import run_card

    for card in args.cards:
        res = run_card(card, outdir=args.out, quick=args.quick, progress=not args.no_progress,
                       plugins=tuple(args.plugin or ()), restart=args.restart)
        for kind, path in res["paths"].items():
            print(f"wrote {kind}: {path}")
    return 0


def cmd_predict(args) -> int:
    from .observables import registry

    _load_plugins(args)
    obs = registry.get(args.name)
    kwargs = parse_for_observable(obs, split_assignments(args.assignments))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = registry.predict(args.name, strict=not args.no_strict, **kwargs)
    flags = [str(w.message) for w in caught]
    for f in flags:
        print(f"hnlfit: warning: {f}", file=sys.stderr)
    if args.json:
        print_json({"observable": obs.name, "unit": obs.unit, "value": value,
                    "inputs": kwargs, "references": list(obs.refs), "validity_flags": flags})
    else:
        print(f"{obs.name} = {fmt(value, 6)} {'' if obs.unit == '1' else obs.unit}".rstrip())
    return 0


def cmd_breakdown(args) -> int:
    from .likelihoods.measurements import build_likelihood
    from .observables.registry import check_likelihood_reads, likelihood_flags
    from .params import make_point

    _load_plugins(args)
    like = build_likelihood(args.dataset, include=args.include, projections=args.projections)
    values = parse_numbers(split_assignments(args.assignments))
    if not args.no_strict:
        check_likelihood_reads(like, values)
    point = make_point(**values)
    rows = like.breakdown(point)
    flags = likelihood_flags(like, point)
    total = like.chi2(point)
    if args.json:
        print_json({"dataset": args.dataset, "terms": [
            {**r, "validity_flags": flags.get(r["term"], [])} for r in rows],
            "total_delta_chi2": total})
        return 0
    print(f"{'term':<24} {'prediction':>13} {'pull':>8} {'chi2':>10}  data")
    for r in rows:
        pred = "" if r.get("prediction") is None else fmt(r["prediction"])
        mark = "  [outside validity: see below]" if r["term"] in flags else ""
        print(f"{r['term']:<24} {pred:>13} {fmt(r['pull']):>8} {fmt(r['chi2']):>10}  "
              f"{r.get('data', '')}{mark}")
    print(f"{'total Delta chi2 (relative to no HNL)':<47} {fmt(total):>10}")
    for term, msgs in flags.items():
        for m in msgs:
            print(f"warning ({term}): {m}")
    return 0


def cmd_observables(args) -> int:
    from .observables import registry

    _load_plugins(args)
    obs = registry.all_observables()
    if args.json:
        print_json([{"name": o.name, "unit": o.unit, "tex": o.tex, "params": list(o.params),
                     "args": o.args, "references": list(o.refs),
                     "validity": [v.text() for v in o.valid]} for o in obs])
        return 0
    for o in obs:
        extra = f"  args: {o.args}" if o.args else ""
        print(f"{o.name:<24} [{o.unit}]  {', '.join(o.refs)}{extra}")
    return 0


def cmd_parameters(args) -> int:
    from .params import PARAMETERS

    if args.json:
        print_json([{"name": p.name, "unit": p.unit, "description": p.description,
                     "lower": p.lower, "upper": p.upper, "strict_lower": p.strict_lower,
                     "default": p.default, "coupling": p.coupling}
                    for p in PARAMETERS.values()])
        return 0
    for p in PARAMETERS.values():
        print(f"{p.name:<14} [{p.unit}]  {p.description}  range {p.range_text()}")
    return 0


def entry_numbers(e: dict) -> dict:
    """What a measurement entry says: value and uncertainty, or the limit, with its CL."""
    k = e["kind"]
    if k == "gaussian":
        return {"value": e["value"], "sigma": e["sigma"],
                "text": f"{e['value']:.4g} +- {e['sigma']:.3g}"}
    if k == "asymmetric_gaussian":
        return {"value": e["value"], "sigma_up": e["sigma_up"], "sigma_down": e["sigma_down"],
                "text": f"{e['value']:.4g} +{e['sigma_up']:.3g} -{e['sigma_down']:.3g}"}
    if k == "upper_limit":
        return {"limit": e["limit"], "text": f"< {e['limit']:.3g}"}
    if k == "inverse_lower_limit":
        return {"lower_limit": e["lower_limit"], "text": f"> {e['lower_limit']:.3g}"}
    if k == "upper_limit_table":
        m, lim = e["table"]["m_N"], e["table"]["limit"]
        s = float(e.get("limit_scale", 1.0))
        return {"table_m_N": [min(m), max(m)], "limit_range": [min(lim) * s, max(lim) * s],
                "text": f"< {min(lim) * s:.3g}..{max(lim) * s:.3g} for m_N in "
                        f"[{min(m):g}, {max(m):g}] GeV"}
    if k == "poisson":
        return {"n_obs": e["n_obs"], "background": e.get("background", 0.0),
                "text": f"n = {e['n_obs']}, b = {e.get('background', 0.0):g}"}
    if k == "pyhf_count":
        return {"n_obs": e["n_obs"], "background": e["background"],
                "background_uncertainty": e["background_uncertainty"],
                "text": f"n = {e['n_obs']:g}, b = {e['background']:g} +- "
                        f"{e['background_uncertainty']:g}"}
    if k == "ckm_first_row":
        return {"inputs": e["inputs"], "text": "CKM first-row fit: " +
                ", ".join(sorted(e["inputs"]))}
    return {"text": k}


PUBLISHED = "published_bounds"


def _data_sources(dataset: str | None) -> list[tuple[str, list[dict]]]:
    from importlib import resources
    from pathlib import Path

    from .likelihoods.measurements import datasets, load_entries, load_file

    published = Path(str(resources.files("hnlfit"))) / "data" / "published_bounds" / \
        "likelihood.yaml"
    if dataset == PUBLISHED:
        return [(PUBLISHED, load_file(published))]
    if dataset is not None:
        if Path(dataset).suffix in (".yaml", ".yml"):
            return [(dataset, load_file(dataset))]
        return [(dataset, load_entries(dataset))]
    return [(ds, load_entries(ds)) for ds in datasets()] + [(PUBLISHED, load_file(published))]


def cmd_data(args) -> int:
    from .likelihoods.measurements import reference_text

    out = []
    for ds, entries in _data_sources(args.dataset):
        rows = []
        for e in entries:
            nums = entry_numbers(e)
            rows.append({"name": e["name"], "kind": e["kind"],
                         "observable": e.get("observable"), "unit": e.get("unit"),
                         **{k: v for k, v in nums.items() if k != "text"},
                         "summary": nums["text"], "cl": e.get("cl"), "year": e.get("year"),
                         "experiment": e.get("experiment"), "references": reference_text(e),
                         "projection": bool(e.get("projection", False)),
                         "default": e.get("default", True) is not False})
        out.append({"dataset": ds, "opt_in": ds == PUBLISHED, "entries": rows})
    if args.json:
        print_json(out)
        return 0
    for block in out:
        note = ("  (opt-in: build_likelihood(..., extra_files=[...published_bounds/"
                "likelihood.yaml]) or a card's data: list)" if block["opt_in"] else "")
        print(f"== {block['dataset']}{note}")
        for r in block["entries"]:
            unit = "" if r["unit"] in (None, "1") else f" {r['unit']}"
            cl = f"  {100 * r['cl']:g}% CL" if r["cl"] else ""
            flags = (" [projection]" if r["projection"] else "") + \
                    ("" if r["default"] else " [alternative]")
            print(f"  {r['name']:<26} {r['summary'] + unit:<34}{cl:<10} {r['year'] or '':<5} "
                  f"{r['references']}{flags}")
    return 0


def _scan_values(name: str, at: dict) -> tuple[np.ndarray, np.ndarray | None]:
    """The positive and (for signed couplings) negative grids of |coupling|, inside the
    parameter's range and, for an EFT coefficient, below strong coupling at the given m_N."""
    from .params import PARAMETERS

    spec = PARAMETERS[name]
    hi = min(spec.upper, 1.0)
    if name.startswith("C_Hnue") and "m_N" in at:
        m = float(np.max(at["m_N"]))
        hi = min(hi, 0.99 * (4 * np.pi) ** 2 / m ** 2)
    pos = np.geomspace(hi * 1e-14, hi, 701)
    signed = spec.lower < 0
    return pos, (-pos if signed else None)


def cmd_limit(args) -> int:
    from .fitter.limits import limit_1d
    from .fitter.scan import grid_scan
    from .likelihoods.measurements import build_likelihood
    from .params import COUPLINGS, PARAMETERS, unknown_name_error

    name = args.coupling
    if name not in PARAMETERS:
        raise unknown_name_error(name)
    if name not in COUPLINGS:
        raise ParameterError(f"{name!r} is not a coupling; `hnlfit limit` scans one of "
                             f"{', '.join(COUPLINGS)}")
    if not 0.5 < args.cl < 1.0:
        raise ParameterError(f"--cl {args.cl:g}: the confidence level must be in (0.5, 1)")
    at = parse_numbers(split_assignments(args.at or []))
    if name in at:
        raise ParameterError(f"{name!r} is scanned; do not fix it with --at")
    for k, v in at.items():
        if np.ndim(v):
            raise ParameterError(f"--at {k}: give one value, not a list")
    _load_plugins(args)
    like = build_likelihood(args.dataset, include=args.include, projections=args.projections)
    from .observables.registry import check_likelihood_reads
    check_likelihood_reads(like, [name])      # --at may fix what only some terms read
    pos, neg = _scan_values(name, at)
    results = {}
    for sign, grid in (("+", pos), ("-", neg)):
        if grid is None:
            continue
        res = grid_scan(like, {name: grid}, fixed=at, progress=False)
        results[sign] = (np.abs(grid), np.asarray(res.chi2, dtype=float))
    chi2_all = np.concatenate([c for _, c in results.values()])
    chi2_min = float(np.nanmin(chi2_all))
    two_sided = chi2_min < -1.0        # the data prefer a non-zero coupling by more than 1 sigma
    reference = "from_minimum" if two_sided else "from_sm"
    out = {"coupling": name, "unit": PARAMETERS[name].unit, "at": at, "dataset": args.dataset,
           "cl": args.cl, "terms": [t.name for t in like.terms],
           "reference_point": "the minimum of chi2 along the coupling" if two_sided
           else f"the no-HNL point ({name} = 0)",
           "chi2_min": chi2_min, "sides": {}}
    for sign, (x, chi2) in results.items():
        if two_sided:
            chi2 = chi2 - chi2_min
        lim = limit_1d(x, chi2, cl=args.cl, one_sided=not two_sided, reference="from_sm",
                       log_x=True)
        out["threshold"] = lim.threshold
        out["one_sided"] = lim.one_sided
        out["sides"][sign] = {"upper": lim.upper, "lower": lim.lower,
                              "allowed": lim.intervals, "scanned": [float(x[0]), float(x[-1])]}
    if args.json:
        print_json(out)
        return 0
    unit = "" if out["unit"] == "1" else f" {out['unit']}"
    where = ", ".join(f"{k} = {fmt(v, 6)}" for k, v in at.items()) or "defaults"
    kind = "two-sided (the data prefer a non-zero value)" if two_sided else "one-sided"
    print(f"{name} at {where}, data set {args.dataset} ({len(out['terms'])} term"
          f"{'s' if len(out['terms']) != 1 else ''})")
    print(f"  {100 * args.cl:g}% CL {kind}: Delta chi2 = {out['threshold']:.3f} from "
          f"{out['reference_point']}")
    for sign, s in out["sides"].items():
        label = f"{name} {'>' if sign == '+' else '<'} 0" if neg is not None else name
        if two_sided:
            rng = "; ".join(f"[{fmt(a)}, {fmt(b)}]" for a, b in s["allowed"])
            print(f"  {label}: allowed |{name}| in {rng}{unit}" if rng else
                  f"  {label}: excluded over the whole scanned range")
        elif s["upper"] is None:
            print(f"  {label}: no limit in the scanned range |{name}| <= {fmt(s['scanned'][1])}"
                  f"{unit}")
        else:
            print(f"  {label}: |{name}| < {fmt(s['upper'])}{unit}")
    return 0


def cmd_cache(args) -> int:
    from . import cache

    if args.action == "clear":
        n, size = cache.clear()
        if args.json:
            print_json({"removed_files": n, "freed_bytes": size, "folder": cache.describe()})
        else:
            print(f"removed {n} files ({size / 1e6:.1f} MB) from {cache.describe()}")
        return 0
    info = cache.info()
    if args.json:
        print_json(info)
        return 0
    print(f"cache folder: {info['folder']}" + ("" if info["usable"] else "  (not usable: "
                                                f"{info['problem']}; tables kept in memory)"))
    print(f"  {info['files']} files, {info['bytes'] / 1e6:.1f} MB")
    for t in info["tables"]:
        print(f"  {t['name']:<40} {t['bytes'] / 1e3:10.1f} kB")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hnlfit", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"hnlfit {__version__}")
    ap.add_argument("--debug", action="store_true",
                    help="show the traceback of an error (anywhere on the command line)")
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run one or more run cards")
    r.add_argument("cards", nargs="+")
    r.add_argument("--out", default="results", help="output folder (default: results)")
    r.add_argument("--quick", action="store_true", help="small grid / short chain")
    r.add_argument("--restart", action="store_true",
                   help="posterior cards: start the chains afresh instead of continuing them")
    r.add_argument("--no-progress", action="store_true")
    r.add_argument("--plugin", action="append", help="python file or module to import")
    r.set_defaults(func=cmd_run)

    p = sub.add_parser("predict", help="predict an observable: NAME key=value ...")
    p.add_argument("name")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-strict", action="store_true",
                   help="allow parameters the observable does not read")
    p.add_argument("--plugin", action="append")
    p.set_defaults(func=cmd_predict)

    b = sub.add_parser("breakdown", help="per-term chi2, prediction and pull at a point")
    b.add_argument("assignments", nargs="*")
    b.add_argument("--dataset", default="seed")
    b.add_argument("--include", nargs="*", help="only these measurements (by name)")
    b.add_argument("--projections", action="store_true",
                   help="add the projections (HL-LHC, FCC-ee, far detectors, ...)")
    b.add_argument("--json", action="store_true")
    b.add_argument("--no-strict", action="store_true",
                   help="allow parameters no term of the likelihood reads")
    b.add_argument("--plugin", action="append")
    b.set_defaults(func=cmd_breakdown)

    lim = sub.add_parser("limit", help="1-d limit on a coupling: COUPLING --at m_N=... ")
    lim.add_argument("coupling")
    lim.add_argument("--at", nargs="+", action="extend", metavar="KEY=VALUE",
                     help="the fixed parameters (m_N=300 Lambda=1000 ...)")
    lim.add_argument("--dataset", default="seed")
    lim.add_argument("--include", nargs="*", help="only these measurements (by name)")
    lim.add_argument("--projections", action="store_true")
    lim.add_argument("--cl", type=float, default=0.95)
    lim.add_argument("--json", action="store_true")
    lim.add_argument("--plugin", action="append")
    lim.set_defaults(func=cmd_limit)

    o = sub.add_parser("observables", help="list observables with units and references")
    o.add_argument("--json", action="store_true")
    o.add_argument("--plugin", action="append")
    o.set_defaults(func=cmd_observables)

    pa = sub.add_parser("parameters", help="list model parameters")
    pa.add_argument("--json", action="store_true")
    pa.set_defaults(func=cmd_parameters)

    d = sub.add_parser("data", help="the measurements of the data sets: values, limits, CL, "
                                    "year, references")
    d.add_argument("--dataset", help="a data set name, 'published_bounds', or a YAML file")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_data)

    c = sub.add_parser("cache", help="the table cache: info | clear")
    c.add_argument("action", choices=["info", "clear"])
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_cache)
    _add_spectra_parser(sub)
    _add_lhc_parser(sub)
    return ap


# ---- `hnlfit spectra` (forward meson spectra, issue 4) -------------------------------------
def cmd_spectra(args) -> int:
    if args.action == "generate":
        from .spectra.generate import main as generate_main
        return generate_main(args.rest)
    from .spectra import comparison_table
    if "--json" in args.rest:
        print_json(comparison_table())
        return 0
    if args.rest:
        raise ParameterError(f"`hnlfit spectra info` takes only --json, got {' '.join(args.rest)}")
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
    if args.action == "benchmarks":      # the seed-000 3x3 matrix, computed (issue 11 item 8)
        from .physics.lhc.benchmarks import format_matrix, matrix
        print(format_matrix(matrix()))
        return 0
    from .physics.lhc.luminosity import describe
    print(describe())
    return 0


def _add_lhc_parser(sub) -> None:
    s = sub.add_parser("lhc", help="LHC parton luminosities: generate (from pythia8mc) | info; "
                                   "benchmarks: the seed-000 3x3 matrix")
    s.add_argument("action", choices=["generate", "info", "benchmarks"])
    s.add_argument("rest", nargs=argparse.REMAINDER,
                   help="options of `generate` (see `hnlfit lhc generate --help`)")
    s.set_defaults(func=cmd_lhc)
# ---- end of `hnlfit lhc` ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    args = build_parser().parse_args(argv)
    _one_line_warnings()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("hnlfit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:                 # `hnlfit data | head`: the reader has gone
        sys.stdout = open(os.devnull, "w")
        return 0
    except (HnlfitError, KeyError, ValueError, OSError) as exc:
        if debug:
            raise
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        if isinstance(exc, OSError) and not isinstance(exc, HnlfitError):
            msg = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else exc
        text = " ".join(str(msg).split())
        hint = "" if isinstance(exc, HnlfitError) else " (--debug shows the traceback)"
        print(f"hnlfit: error: {text}{hint}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
