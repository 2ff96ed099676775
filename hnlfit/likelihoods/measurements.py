"""Measurement data sets (YAML with references) and the likelihood terms built from them.

Data sets live in ``hnlfit/likelihoods/data/<dataset>/*.yaml``, one file per experiment
or measurement family.  Each file holds a list of entries validated against
:data:`hnlfit.likelihoods.schema.DATASET_FILE`; an entry names the observable it
constrains, the kind of term, the numbers, the year, the CL and the references.

* ``seed``    -- exactly the inputs of 2105.11462 (to reproduce its figures)
* ``current`` -- the latest published values (see each entry's references)

Entries flagged ``projection: true`` (HL-LHC, nEXO, ...) are expected sensitivities; they
enter a likelihood only when asked for by name or with ``projections=True``. Entries with
``default: false`` are alternatives (e.g. Delta a_e from Rb when Cs is the default).

A user adds an experiment by writing one more YAML file in this format (anywhere) and
passing its path to :func:`load_entries` / ``build_likelihood(extra_files=...)`` or a run
card's ``data:`` list.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import numpy as np

from ..errors import DataError
from ..io import read_yaml
from ..observables.context import evaluation
from ..params import suggest
from . import schema
from .schema import reference_text  # noqa: F401  (part of this module's interface)
from .terms import (AsymmetricGaussian, Combined, Gaussian, PiecewiseLinear, PoissonCount,
                    PyhfCount, Term,
                    UpperLimit, counting_spec)

DATA_ROOT = resources.files("hnlfit.likelihoods") / "data"


def _dataset_folders() -> dict[str, Path]:
    """Every data set by name: a folder of YAML measurement files anywhere below the data
    root; the folders between the root and a data set group them by sector
    (``nusmeft/seed``, ``dipole/ee_colliders_seed``, ``forward/far_detectors_seed``)."""
    root = Path(str(DATA_ROOT))
    found: dict[str, Path] = {}
    for folder in sorted(p for p in root.rglob("*") if p.is_dir()):
        if folder.name.startswith("_") or not any(folder.glob("*.yaml")):
            continue
        if folder.name in found:
            raise DataError(f"data set {folder.name!r} is defined twice: {found[folder.name]} "
                            f"and {folder}")
        found[folder.name] = folder
    return found


def datasets() -> list[str]:
    """The names of the shipped data sets."""
    return sorted(_dataset_folders())


def dataset_folder(dataset: str) -> Path:
    """The folder of one data set; an unknown name is a DataError with suggestions."""
    folders = _dataset_folders()
    if dataset not in folders:
        raise DataError(f"unknown data set {dataset!r}; available: {', '.join(sorted(folders))}."
                        f"{suggest(dataset, folders)}")
    return folders[dataset]


def load_file(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate one measurement file; errors name the file and the entry."""
    path = Path(path)
    doc = read_yaml(path, "measurement file")
    try:
        jsonschema.validate(doc, schema.DATASET_FILE)
    except jsonschema.ValidationError as exc:
        raise DataError(_schema_message(path, doc, exc)) from None
    _check_values(path, doc["measurements"])
    for e in doc["measurements"]:
        e["source_file"] = str(path)
    return doc["measurements"]


def _non_finite(value, where: str):
    """The first NaN/inf number in a (nested) entry value, as (path, value), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if np.isfinite(value) else (where, value)
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for k, v in items:
        sub = f"{where}{k}" if str(k).startswith("[") else f"{where}/{k}" if where else str(k)
        bad = _non_finite(v, sub)
        if bad:
            return bad
    return None


def _check_values(path: Path, entries: list[dict]) -> None:
    """What the JSON schema cannot say: every number finite (``value: .nan`` gave chi2 = NaN,
    ``sigma: .inf`` a term that is silently 0), tables with columns of equal length and
    distinct masses, and entry names unique in the file."""
    seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        name = e["name"]
        bad = _non_finite({k: v for k, v in e.items() if k != "references"}, "")
        if bad:
            raise DataError(f"measurement file {path} (entry {name!r}): {bad[0]} = {bad[1]} is "
                            "not a finite number")
        table = e.get("table")
        if isinstance(table, dict):
            m, lim = table.get("m_N", []), table.get("limit", [])
            if len(m) != len(lim):
                raise DataError(f"measurement file {path} (entry {name!r}): table columns "
                                f"m_N and limit have different lengths ({len(m)} and "
                                f"{len(lim)})")
            if len(set(m)) != len(m):
                raise DataError(f"measurement file {path} (entry {name!r}): table m_N has "
                                "repeated masses")
        if name in seen:
            raise DataError(f"measurement file {path}: entry name {name!r} is used twice "
                            f"(entries {seen[name]} and {i})")
        seen[name] = i


def _schema_message(path: Path, doc, exc: jsonschema.ValidationError) -> str:
    """Say what is wrong with a file: for an entry, validate it against the schema of its
    own ``kind`` so the message names the offending field rather than 'not valid under any
    of the given schemas'."""
    where = "/".join(str(x) for x in exc.absolute_path) or "top level"
    msg = exc.message
    rel = list(exc.absolute_path)
    if len(rel) >= 2 and rel[0] == "measurements" and isinstance(doc, dict):
        item = doc["measurements"][rel[1]]
        if not isinstance(item, dict):
            return f"measurement file {path}: entry {rel[1]} is not a mapping"
        name = item.get("name", f"#{rel[1]}")
        kinds = {b["properties"]["kind"]["const"]: b for b in schema.MEASUREMENT["oneOf"]}
        kind = item.get("kind")
        if kind not in kinds:
            return (f"measurement file {path} (entry {name!r}): unknown kind {kind!r}; "
                    f"allowed: {', '.join(kinds)}.{suggest(str(kind), kinds)}")
        errors = list(jsonschema.Draft202012Validator(kinds[kind]).iter_errors(item))
        if errors:
            best = jsonschema.exceptions.best_match(errors)
            field = "/".join(str(x) for x in best.absolute_path) or "entry"
            return (f"measurement file {path} (entry {name!r}, kind {kind}): {field}: "
                    f"{best.message}")
    return f"measurement file {path} fails the schema at {where}: {msg}"


@lru_cache(maxsize=None)
def _dataset_entries(dataset: str) -> tuple[dict[str, Any], ...]:
    folder = dataset_folder(dataset)
    entries: list[dict[str, Any]] = []
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            entries.extend(load_file(Path(str(f))))
    names = [e["name"] for e in entries]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"data set {dataset!r} defines {dup} more than once")
    return tuple(entries)


def load_entries(dataset: str = "seed", extra_files: Iterable[str | Path] = ()) -> list[dict]:
    entries = [dict(e) for e in _dataset_entries(dataset)]
    origin = {e["name"]: f"data set {dataset!r}" for e in entries}
    for f in extra_files:
        for e in load_file(f):
            if e["name"] in origin:
                raise DataError(f"measurement file {f} (entry {e['name']!r}): the name is "
                                f"already defined by {origin[e['name']]}")
            origin[e["name"]] = f"measurement file {f}"
            entries.append(e)
    return entries


def build_term(entry: dict) -> Term:
    """Turn one validated entry into a likelihood term."""
    kind = entry["kind"]
    common = dict(name=entry["name"], reference=reference_text(entry))
    if kind == "ckm_first_row":
        from .ckm import ckm_term
        return ckm_term(entry)
    if kind in ("solar_spectrum", "solar_rate_limit", "sn1987a", "stellar_cooling",
                "bbn_thermal"):
        from .lowenergy import build
        return build(entry, common["reference"])
    common.update(observable=entry["observable"],
                  obs_args=dict(entry.get("observable_args", {})),
                  scale=float(entry.get("scale", 1.0)))
    if kind == "gaussian":
        return Gaussian(**common, value=entry["value"], sigma=entry["sigma"])
    if kind == "asymmetric_gaussian":
        return AsymmetricGaussian(**common, value=entry["value"], sigma_up=entry["sigma_up"],
                                  sigma_down=entry["sigma_down"])
    if kind == "upper_limit":
        return UpperLimit(**common, limit=entry["limit"], cl=entry["cl"])
    if kind == "inverse_lower_limit":
        return UpperLimit(**common, limit=1.0 / entry["lower_limit"], cl=entry["cl"])
    if kind == "upper_limit_table":
        return TableUpperLimit(**common, cl=entry["cl"],
                               masses=np.asarray(entry["table"]["m_N"], float),
                               limits=np.asarray(entry["table"]["limit"], float)
                               * float(entry.get("limit_scale", 1.0)))
    if kind == "poisson":
        return PoissonCount(**common, n_obs=entry["n_obs"],
                            background=entry.get("background", 0.0))
    if kind == "pyhf_count":
        spec = counting_spec(entry["n_obs"], entry["background"],
                             entry["background_uncertainty"])
        return PyhfCount(entry["name"], entry["observable"], spec,
                         obs_args=common["obs_args"], scale=common["scale"],
                         reference=common["reference"])
    raise DataError(f"entry {entry['name']!r}: unknown kind {kind!r}")  # schema prevents


class TableUpperLimit(UpperLimit):
    """An upper limit that depends on m_N (log-log interpolation in a published table).

    Outside the table's mass range the measurement says nothing: chi2 = 0 there.
    """

    def __init__(self, *, masses: np.ndarray, limits: np.ndarray, **kw):
        order = np.argsort(masses)
        self.masses, self.limits = masses[order], limits[order]
        super().__init__(limit=float(self.limits[0]), **kw)

    def limit_at(self, m_N: np.ndarray) -> np.ndarray:
        logl = np.interp(np.log(m_N), np.log(self.masses), np.log(self.limits))
        return np.exp(logl)

    def _pull_of(self, point, pred):
        ev = evaluation(point)
        m = ev["m_N"]
        inside = (m >= self.masses[0]) & (m <= self.masses[-1])
        # ln m_N once per evaluation (both flavours' tables); the table holds its edge
        # values beyond its range, exactly as clipping m_N to the table would
        log_m = ev.shared(("log", "m_N"), lambda: np.log(m))
        if "_log_table" not in self.__dict__:   # np.interp without a search per point
            self._log_table = PiecewiseLinear(np.log(self.masses), np.log(self.limits))
        lim = np.exp(self._log_table(log_m))
        return np.where(inside, self.z * np.abs(pred) / lim, 0.0)

    def pull_at(self, point):
        return self._pull_of(point, self.prediction(point))

    def _chi2_of(self, ev):
        chi2 = self.pull_at(ev) ** 2
        if self.sm_constant() == 0.0:          # a zero no-HNL prediction has pull 0
            return chi2
        return chi2 - self._pull_of(ev, self.sm_prediction(ev)) ** 2

    def describe(self) -> str:
        return (f"< table in m_N [{self.masses[0]:g}, {self.masses[-1]:g}] GeV "
                f"({100 * self.cl:g}% CL)")


def select(entries: list[dict], include: Iterable[str] | None = None,
           exclude: Iterable[str] = (), projections: bool = False) -> list[dict]:
    """Pick entries: by name when ``include`` is given, else the defaults (no projections)."""
    by_name = {e["name"]: e for e in entries}
    if include is not None:
        chosen = []
        for n in include:
            if n not in by_name:
                raise DataError(f"no measurement {n!r} in this data set.{suggest(n, by_name)}")
            chosen.append(by_name[n])
    else:
        chosen = [e for e in entries if e.get("default", True)
                  and (projections or not e.get("projection", False))]
    excl = set(exclude)
    for n in excl:
        if n not in by_name:
            raise DataError(f"cannot exclude {n!r}: no such measurement.{suggest(n, by_name)}")
    return [e for e in chosen if e["name"] not in excl]


def build_likelihood(dataset: str = "seed", include: Iterable[str] | None = None,
                     exclude: Iterable[str] = (), projections: bool = False,
                     extra_files: Iterable[str | Path] = ()) -> Combined:
    """The combined likelihood of a data set (default entries, or those named)."""
    include, exclude, extra_files = _check_arguments(dataset, include, exclude, projections,
                                                     extra_files)
    all_entries = load_entries(dataset, extra_files)
    entries = select(all_entries, include, exclude, projections)
    if not entries:
        raise DataError(_empty_message(dataset, all_entries, include, projections))
    return Combined([build_term(e) for e in entries], name=f"{dataset}")


def _names(value, what: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not all(isinstance(n, str) for n in value):
        raise DataError(f"build_likelihood: {what} must be a list of measurement names, "
                        f"got {value!r}")
    return list(value)


def _check_arguments(dataset, include, exclude, projections, extra_files):
    """The door of build_likelihood: argument types, once."""
    if not isinstance(dataset, str):
        raise DataError(f"build_likelihood: the data set must be a name, got {dataset!r}")
    if not isinstance(projections, (bool, np.bool_)):
        raise DataError(f"build_likelihood: projections must be True or False, got "
                        f"{projections!r}")
    if isinstance(extra_files, (str, Path)):
        extra_files = [extra_files]
    return _names(include, "include"), _names(exclude, "exclude") or [], list(extra_files)


def _empty_message(dataset: str, entries: list[dict], include, projections: bool) -> str:
    """Why a likelihood has no terms, and which flag adds what."""
    if include is not None and not include:
        return f"data set {dataset!r}: include=[] selects no measurement"
    proj = [e["name"] for e in entries if e.get("projection") and e.get("default", True)]
    alt = [e["name"] for e in entries if e.get("default", True) is False]
    parts = []
    if proj and not projections:
        parts.append(f"{len(proj)} projections ({', '.join(proj[:6])}"
                     f"{', ...' if len(proj) > 6 else ''}) enter with --projections "
                     "(projections=True)")
    if alt:
        parts.append(f"{len(alt)} alternatives ({', '.join(alt[:6])}"
                     f"{', ...' if len(alt) > 6 else ''}) enter when named with --include "
                     "(include=[...])")
    why = "; ".join(parts) or "every entry is excluded"
    return f"the likelihood of data set {dataset!r} would have no terms: {why}"
