"""Run the docstring examples of the installed modules (they document the API)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import paperkg

SKIP = {"paperkg.__main__", "paperkg.extract.ner.train"}


def modules():
    yield "paperkg"
    for info in pkgutil.walk_packages(paperkg.__path__, prefix="paperkg."):
        if info.name not in SKIP:
            yield info.name


@pytest.mark.parametrize("name", sorted(set(modules())))
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
