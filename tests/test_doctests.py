"""Run the docstring examples of the installed modules (they document the API)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ["extract", "graph", "exports", "paperkg"]
SKIP = {"paperkg.__main__", "extract.train"}


def modules():
    for package in PACKAGES:
        yield package
        module = importlib.import_module(package)
        for info in pkgutil.iter_modules(module.__path__, prefix=package + "."):
            if info.name not in SKIP:
                yield info.name


@pytest.mark.parametrize("name", sorted(set(modules())))
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
