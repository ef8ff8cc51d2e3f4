"""Fuzzing the bibliographic readers: any bytes, and any mutation of a real-shaped fixture,
read into papers or raise a one-line InputError; no other exception ever escapes.

Examples per test: ``PAPERKG_FUZZ_EXAMPLES`` (default 250).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperkg.errors import InputError
from paperkg.extract.read.readers import MAX_TEXT_CHARS, read_papers

FIXTURES = Path(__file__).parent / "fixtures"
FUZZ = settings(
    max_examples=int(os.environ.get("PAPERKG_FUZZ_EXAMPLES", "250")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: (file name to write, fixture to mutate, forced format or None)
SHAPES = [
    ("f.xml", "same/papers.atom.xml", None),
    ("f.xml", "arxiv_raw.xml", None),
    ("f.bib", "refs.bib", None),
    ("f.ris", "refs.ris", None),
    ("f.json", "refs.csl.json", "csl-json"),
    ("f.json", "openalex_work.json", "openalex"),
    ("f.json", "s2_paper.json", "s2"),
    ("f.jsonl", "arxiv_snapshot.jsonl", "arxiv-snapshot"),
]


def outcome(name: str, data: bytes, format: str | None) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            papers = read_papers([path], format=format)
        except InputError as err:
            assert "\n" not in str(err) and "\r" not in str(err), str(err)
            return "input-error"
    for p in papers:
        assert p.title and len(p.title) <= MAX_TEXT_CHARS and len(p.abstract) <= MAX_TEXT_CHARS
        for text in (p.title, p.abstract, p.venue, *p.authors, *p.categories, *p.ids):
            text.encode("utf-8")  # no lone surrogate
    assert [p.id for p in papers] == sorted({p.id for p in papers})
    return "papers"


@pytest.mark.parametrize("name, fixture, format", SHAPES, ids=[s[1] for s in SHAPES])
@FUZZ
@given(data=st.data())
def test_readers_formats_fuzz_mutated_fixture(name, fixture, format, data):
    original = (FIXTURES / fixture).read_bytes()
    cut = data.draw(st.integers(0, len(original)), label="cut")
    keep = data.draw(st.integers(0, len(original) - cut), label="keep")
    insert = data.draw(
        st.one_of(
            st.binary(max_size=40),
            st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.sampled_from([b"{", b"}", b"\\", b'"', b"<", b"&amp;", b"&x;", b"@", b"#", b"%", b"$",
                             b"\nER  - \n", b"\nTY  - JOUR\n", b"]]>", b"<!--", b"\x00", b"\\'", b"{\\\"o}"]),
        ),
        label="insert",
    )
    mutated = original[:cut] + insert + original[cut + keep:]
    outcome(name, mutated, format)


@pytest.mark.parametrize("name, format", [(s[0], s[2]) for s in SHAPES[1:4]] + [("f.json", None), ("f.jsonl", None)])
@FUZZ
@given(text=st.text(max_size=300))
def test_readers_formats_fuzz_any_text(name, format, text):
    outcome(name, text.encode("utf-8", "surrogatepass"), format)


@FUZZ
@given(
    index=st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.lists(st.integers(-2, 60), max_size=4), st.integers(), st.none(), st.text(max_size=3)),
        max_size=12,
    )
)
def test_readers_formats_fuzz_openalex_inverted_index(index):
    work = {"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": index}
    outcome("w.json", json.dumps(work).encode(), "openalex")
