"""Results as data: contour points, per-mass limit tables, HEPData, curve tables.

Written beside a card's figure (``<outdir>/NAME/``):

``NAME_contours.json`` / ``NAME_contours.csv``
    every boundary line of every layer and panel, the exact points that are drawn: (x, y) in
    the card's parameter units, with the level and the rule of the region (|pull| > z_CL,
    Δχ² > threshold, |pull| < n σ) and the CL.
``NAME_limits.csv``
    per x of the card's grid, the first y interval inside each region (``low``, ``high``;
    for an exclusion whose y is a coupling, ``low`` is the limit), flags where the interval
    reaches the scanned range instead of a crossing, and how many intervals the column has.
``NAME_hepdata/`` and ``NAME_hepdata.tar.gz``
    a HEPData submission written with hepdata_lib and validated by it (hepdata-validator):
    one table per region with the limit against x, one per contour line (thinned to
    ``HEPDATA_MAX_POINTS`` points evenly spaced along the line); independent and
    dependent variables with units, CL, data set, measurement and the references of the
    inputs as qualifiers and in the descriptions.  A card whose layers exclude nothing in
    range has no table to submit and writes none (its JSON says so: empty ``regions``).
``NAME_curves.csv``
    for a curves card, every curve against x.

Axes: x and y are the card's ``x`` and ``y``; the card's arrays are (nx, ny), as
:class:`~hnlfit.fitter.scan.ScanResult`.
"""
from __future__ import annotations

import csv
import io as _io
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..io import atomic_path, write_json
from ..params import PARAMETERS

_SKIP = ("eft_invalid",)       # not a measurement: not exported as a limit
HEPDATA_MAX_POINTS = 150       # points per contour line in the HEPData tables (JSON/CSV: all;
                               # a third in quick mode)


def _thin(line: np.ndarray, n: int) -> np.ndarray:
    """At most ``n`` points of a line, evenly spaced by index, both ends kept."""
    if len(line) <= n:
        return line
    return line[np.unique(np.linspace(0, len(line) - 1, n).round().astype(int))]


def _unit(name: str) -> str:
    spec = PARAMETERS.get(name)
    u = spec.unit if spec else ""
    return "" if u == "1" else u


def _write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return path


def _contour_records(card: dict, plane: dict):
    """(panel, layer, level, region info, geometry) of every drawn region."""
    for ip, panel in enumerate(plane["panels"]):
        for il, layer in enumerate(panel["layers"]):
            lim = plane["limits"][ip * len(panel["layers"]) + il]
            for level, geo in layer["regions"]:
                yield ip, il, level, lim, geo


def write_plane_tables(card: dict, folder: Path, plane: dict) -> dict:
    """Contour points (JSON, CSV) and per-mass limit tables (CSV) of a plane card."""
    name, xn, yn = card["name"], card["x"]["name"], card["y"]["name"]
    head = {"card": name, "x": xn, "y": yn, "x_unit": _unit(xn), "y_unit": _unit(yn),
            "axes_order": "arrays (nx, ny) as fitter.scan.ScanResult; points are (x, y)"}
    contours = []
    buf = _io.StringIO()
    w = csv.writer(buf)
    w.writerow(["panel", "layer", "label", "level", "line", xn, yn])
    for ip, il, level, lim, geo in _contour_records(card, plane):
        info = lim["info"]
        contours.append({"panel": ip, "panel_title": lim["panel_title"],
                         "fixed": lim["fixed"], "layer": il, "label": lim["label"],
                         "kind": lim["kind"], "level": level, "rule": info.get("rule"),
                         "cl": info.get("cl"), "measurement": info.get("measurement"),
                         "terms": info.get("terms"),
                         "lines": [ln.tolist() for ln in geo.lines]})
        for k, ln in enumerate(geo.lines):
            for px, py in ln:
                w.writerow([ip, il, lim["label"], level, k, f"{px:.6g}", f"{py:.6g}"])
    out = {"contours_json": write_json(folder / f"{name}_contours.json",
                                       {**head, "contours": contours}),
           "contours_csv": _write_text(folder / f"{name}_contours.csv", buf.getvalue())}
    buf = _io.StringIO()
    w = csv.writer(buf)
    w.writerow(["panel", "layer", "label", "level", xn, f"{yn}_low", f"{yn}_high",
                "low_is_edge", "high_is_edge", "n_intervals"])
    for lim in plane["limits"]:
        for r in lim["regions"]:
            for i in range(len(r["x"])):
                if not np.isfinite(r["low"][i]):
                    continue
                w.writerow([lim["panel"], lim["layer"], lim["label"], r["level"],
                            f"{r['x'][i]:.6g}", f"{r['low'][i]:.6g}", f"{r['high'][i]:.6g}",
                            int(r["low_is_edge"][i]), int(r["high_is_edge"][i]),
                            int(r["n_intervals"][i])])
    out["limits_csv"] = _write_text(folder / f"{name}_limits.csv", buf.getvalue())
    return out


def _arxiv_ids(text: str) -> list[str]:
    return re.findall(r"\b(\d{4}\.\d{4,5}|hep-[a-z]{2}/\d{7})\b", text or "")


def _references(info: dict) -> str:
    refs = info.get("references") or [info.get("reference", "")]
    return "; ".join(r for r in refs if r)


def write_hepdata(card: dict, folder: Path, plane: dict) -> dict:
    """A validated HEPData submission of a plane card (see the module text)."""
    from hepdata_lib import Submission, Table, Variable

    name, xn, yn = card["name"], card["x"]["name"], card["y"]["name"]
    sub = Submission()
    sub.comment = (f"hnlfit run card {name}: {card.get('title', '')}. "
                   f"{card.get('reference', '')}. Data set: {card['dataset']}.")
    links = set()
    n_tables = 0
    for lim in plane["limits"]:
        if lim["kind"] in _SKIP:
            continue
        info = lim["info"]
        refs = _references(info)
        links.update(_arxiv_ids(refs))
        what = info.get("measurement") or "+".join(info.get("terms", []))
        for r in lim["regions"]:
            ok = np.isfinite(r["low"])
            if not ok.any():
                continue
            n_tables += 1
            t = Table(f"P{lim['panel'] + 1} L{lim['layer'] + 1} level {r['level']:g} limit")
            t.description = (f"{lim['label']} ({lim['panel_title'] or 'single panel'}): first "
                             f"interval in {yn} inside the region ({info.get('rule')}) at each "
                             f"{xn}. Inputs: {refs or 'see the data set'}.")
            t.location = f"hnlfit card {name}, panel {lim['panel'] + 1}"
            t.keywords["observables"] = [yn]
            vx = Variable(xn, is_independent=True, is_binned=False, units=_unit(xn))
            vx.values = r["x"][ok]
            t.add_variable(vx)
            for col, label in (("low", "lower end"), ("high", "upper end")):
                v = Variable(f"{yn} {label}", is_independent=False, is_binned=False,
                             units=_unit(yn))
                v.values = r[col][ok]
                _qualify(v, card, lim, info, r["level"], what)
                t.add_variable(v)
            sub.add_table(t)
    for ip, il, level, lim, geo in _contour_records(card, plane):
        if lim["kind"] in _SKIP:
            continue
        info = lim["info"]
        what = info.get("measurement") or "+".join(info.get("terms", []))
        for k, ln in enumerate(geo.lines):
            if len(ln) < 3:
                continue
            n_tables += 1
            t = Table(f"P{ip + 1} L{il + 1} level {level:g} contour {k + 1}")
            t.description = (f"{lim['label']} ({lim['panel_title'] or 'single panel'}): "
                             f"boundary line {k + 1} of the region {info.get('rule')}. "
                             f"Inputs: {_references(info) or 'see the data set'}.")
            t.location = f"hnlfit card {name}, panel {ip + 1}"
            ln = _thin(ln, HEPDATA_MAX_POINTS // (3 if card.get("_quick") else 1))
            vx = Variable(xn, is_independent=True, is_binned=False, units=_unit(xn))
            vx.values = ln[:, 0]
            vy = Variable(yn, is_independent=False, is_binned=False, units=_unit(yn))
            vy.values = ln[:, 1]
            _qualify(vy, card, lim, info, level, what)
            t.add_variable(vx)
            t.add_variable(vy)
            sub.add_table(t)
    for aid in sorted(links):
        sub.add_link(f"input reference arXiv:{aid}", f"https://arxiv.org/abs/{aid}")
    if not n_tables:
        return {}
    return _create_validated(sub, folder, name)


def _qualify(var, card: dict, lim: dict, info: dict, level: float, what: str) -> None:
    cl = info.get("cl")
    if cl is not None:
        var.add_qualifier("CL", f"{100 * float(cl):g}%")
    var.add_qualifier("region", str(info.get("rule")))
    var.add_qualifier("level", f"{level:g}")
    var.add_qualifier("data set", str(info.get("dataset", card["dataset"])))
    var.add_qualifier("measurement", what)
    for p, val in {**card.get("fixed", {}), **lim["fixed"]}.items():
        var.add_qualifier(p, f"{val:g}" if isinstance(val, (int, float)) else str(val),
                          _unit(p))


def _create_validated(sub, folder: Path, name: str) -> dict:
    """hepdata_lib writes the tar ball into the working directory: work in a temporary
    folder, then move the submission folder and the tar ball into place."""
    folder.mkdir(parents=True, exist_ok=True)
    target_dir = folder / f"{name}_hepdata"
    target_tar = folder / f"{name}_hepdata.tar.gz"
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}_hepdata.", dir=folder))
    cwd = os.getcwd()
    try:
        os.chdir(tmp)
        sub.create_files("submission", validate=True, remove_old=True)
        os.chdir(cwd)
        if target_dir.exists():
            shutil.rmtree(target_dir)
        os.replace(tmp / "submission", target_dir)
        os.replace(tmp / "submission.tar.gz", target_tar)
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp, ignore_errors=True)
    return {"hepdata": target_dir, "hepdata_tar": target_tar}


def write_curve_tables(card: dict, folder: Path, curves: dict) -> dict:
    """Every curve of a curves card against x, one column each (CSV)."""
    xn = card["x"]["name"]
    cols, heads = [curves["x"]], [f"{xn} [{_unit(xn)}]" if _unit(xn) else xn]
    for ip, panel in enumerate(curves["panels"]):
        for ic, cv in enumerate(panel["curves"]):
            cols.append(np.asarray(cv["y"], dtype=np.float64))
            heads.append(f"panel{ip}_curve{ic}: {cv['label']} ({panel.get('title', '')})")
    buf = _io.StringIO()
    w = csv.writer(buf)
    w.writerow(heads)
    for row in np.column_stack(cols):
        w.writerow([f"{v:.6g}" for v in row])
    return {"curves_csv": _write_text(folder / f"{card['name']}_curves.csv", buf.getvalue())}
