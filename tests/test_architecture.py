"""Imports point one way: extract → graph → exports → paperkg, with no cycle."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

#: Package → top-level modules it must never import.
FORBIDDEN = {
    "extract": {"networkx", "rdflib", "graph", "exports", "paperkg"},
    "graph": {"spacy", "thinc", "rdflib", "exports", "paperkg"},
    "exports": {"spacy", "thinc", "paperkg"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def package_files(package: str) -> list[Path]:
    module = importlib.import_module(package)
    return [
        Path(module.__path__[0]) / f"{info.name}.py"
        for info in pkgutil.iter_modules(module.__path__)
        if (Path(module.__path__[0]) / f"{info.name}.py").is_file()
    ] + [Path(module.__file__)]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_architecture_imports_point_one_way(package):
    bad = {
        path.name: sorted(imported_modules(path) & FORBIDDEN[package])
        for path in package_files(package)
    }
    assert {name: mods for name, mods in bad.items() if mods} == {}
