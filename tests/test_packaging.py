"""The wheel installs one name, ``paperkg``: nothing a user's own ``graph.py`` can shadow."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("paperkg-*.whl")
    return path


def test_packaging_wheel_installs_only_paperkg(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"paperkg"}


def test_packaging_wheel_holds_every_part_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in ["paperkg/cli.py", "paperkg/errors.py", "paperkg/outputs.py",
                   "paperkg/extract/records.py", "paperkg/extract/read/readers.py",
                   "paperkg/extract/ner/pipeline.py", "paperkg/extract/concepts/resolve.py",
                   "paperkg/graph/store.py", "paperkg/exports/rdf.py"]:
        assert module in names, module
    assert sum(n.startswith("paperkg/seeds/") and n.endswith(".txt") for n in names) == 5
    assert any(n.startswith("paperkg/extract/ner/model") and n.endswith("config.cfg") for n in names)
    assert any(n.startswith("paperkg/exports/vendor/") for n in names)
