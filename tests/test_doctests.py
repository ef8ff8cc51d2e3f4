"""Run the docstring examples of the installed modules (they document the API)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

SKIP = {"paperkg.__main__", "paperkg.extract.ner.train"}


#: The packages of paperkg; each is walked on its own, since the parts live in separate
#: folders (``package-dir``) and an editable install does not nest them under paperkg/.
PACKAGES = ["paperkg", "paperkg.extract", "paperkg.graph", "paperkg.exports"]


def modules():
    for package in PACKAGES:
        yield package
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__[:1], prefix=package + "."):
            if info.name not in SKIP:
                yield info.name


@pytest.mark.parametrize("name", sorted(set(modules())))
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
