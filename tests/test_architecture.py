"""Imports point one way: extract → graph → exports → the top floor, with no cycle.

Every layer may import :mod:`paperkg.errors` (the one error type); no layer imports
the top floor (:mod:`paperkg.api`, :mod:`paperkg.cli`).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

TOP_FLOOR = {"paperkg.api", "paperkg.cli", "paperkg.__main__"}  # paperkg.errors and paperkg.outputs are shared leaves

#: Package → module prefixes it must never import.
FORBIDDEN = {
    "paperkg.extract": {"networkx", "rdflib", "paperkg.graph", "paperkg.exports", *TOP_FLOOR},
    "paperkg.graph": {"spacy", "thinc", "rdflib", "paperkg.extract.ner", "paperkg.exports",
                      *TOP_FLOOR},
    "paperkg.exports": {"spacy", "thinc", "paperkg.extract", *TOP_FLOOR},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def package_files(package: str) -> list[Path]:
    module = importlib.import_module(package)
    names = [package] + [info.name for info in
                         pkgutil.walk_packages(module.__path__, prefix=package + ".")]
    return [Path(importlib.util.find_spec(name).origin) for name in names]


def forbidden(name: str, prefixes: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_architecture_imports_point_one_way(package):
    bad = {
        path.name: sorted(m for m in imported_modules(path) if forbidden(m, FORBIDDEN[package]))
        for path in package_files(package)
    }
    assert {name: mods for name, mods in bad.items() if mods} == {}


def test_architecture_every_part_is_a_subpackage_of_paperkg():
    files = package_files("paperkg.extract")
    rooms = {path.parent.name for path in files}
    assert {"read", "ner", "concepts"} <= rooms
