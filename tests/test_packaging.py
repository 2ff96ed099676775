"""Every data file of the package is shipped by the wheel: the installed package (not the
source tree the tests import) must find its tables, curves and licences."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_patterns_cover_every_data_file():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = conf["tool"]["setuptools"]["package-data"]["hnlfit"]
    pkg = ROOT / "hnlfit"
    missing = []
    for f in pkg.rglob("*"):
        if not f.is_file() or f.suffix in (".py", ".pyc") or "__pycache__" in f.parts:
            continue
        rel = f.relative_to(pkg).as_posix()
        # setuptools' "**/" also matches files at the top of the package
        if not any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.removeprefix("**/"))
                   for p in patterns):
            missing.append(rel)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
