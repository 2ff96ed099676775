"""The package layout: no import cycle anywhere in hnlfit (docs/architecture.md).

Every ``import`` and ``from ... import`` inside the package, at module level or inside a
function, is an edge of the graph; ``from pkg import name`` is an edge to ``pkg.name`` when
that is a module.  A cycle is a strongly connected component of more than one module (or a
module importing itself).
"""
from __future__ import annotations

import ast
from pathlib import Path

import hnlfit

ROOT = Path(hnlfit.__file__).parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        package = mod if is_pkg else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                for a in node.names:
                    sub = f"{stem}.{a.name}"
                    targets.append(sub if sub in files else stem)
            for t in targets:
                if t in files and t != mod:
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_physics_does_not_import_upwards():
    """The physics core sits below observables, likelihoods, fitter and cards."""
    above = ("hnlfit.observables", "hnlfit.likelihoods", "hnlfit.fitter", "hnlfit.cards",
             "hnlfit.cli", "hnlfit.plotting")
    graph = import_graph()
    bad = [(m, t) for m, ts in graph.items() if m.startswith("hnlfit.physics")
           for t in ts if t.startswith(above)]
    assert not bad, bad


def test_every_sector_is_a_folder_in_physics_and_observables():
    for sector in ("nusmeft", "dipole", "forward"):
        assert (ROOT / "physics" / sector / "__init__.py").exists()
        assert (ROOT / "observables" / sector / "__init__.py").exists()
