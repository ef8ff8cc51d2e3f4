"""Fuzzing the readers: any input reads into safe papers or raises InputError, nothing else.

Every generated input ends in one of two outcomes, checked by :func:`outcome`:

* papers whose every text is a valid Unicode string (no lone surrogate, so it can be
  written as UTF-8), non-empty titles, fields within ``MAX_TEXT_CHARS``, ids unique and
  sorted; or
* an :class:`InputError` whose message is one line.

Any other exception fails the test (hypothesis shrinks it to a minimal input). The same
records in files given in any order, or through their folders, read the same.

Examples per test: ``PAPERKG_FUZZ_EXAMPLES`` (default 250; CI keeps the default). With
``pytest -s`` the module prints how many inputs it tried and how each ended.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperkg.errors import InputError
from paperkg.extract.read.readers import MAX_TEXT_CHARS, read_papers
from paperkg.extract.records import Paper

FUZZ = settings(
    max_examples=int(os.environ.get("PAPERKG_FUZZ_EXAMPLES", "250")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

COUNTS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    total = COUNTS["papers"] + COUNTS["input-error"]
    line = (f"readers fuzz: {total} inputs, {COUNTS['papers']} read into papers, "
            f"{COUNTS['input-error']} InputError, 0 other exceptions ({dict(sorted(COUNTS.items()))})")
    print("\n" + line)
    if os.environ.get("PAPERKG_FUZZ_REPORT"):
        with open(os.environ["PAPERKG_FUZZ_REPORT"], "a", encoding="utf-8") as f:
            f.write(line + "\n")


def check_papers(papers: list[Paper]) -> None:
    assert papers and all(isinstance(p, Paper) for p in papers)
    ids = [p.id for p in papers]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for p in papers:
        assert p.title and p.sources
        texts = [p.id, p.title, p.abstract, p.date, p.url, *p.code_urls, *(s.file for s in p.sources)]
        for text in texts:
            assert isinstance(text, str)
            text.encode("utf-8")  # raises on a lone surrogate
            assert len(text) <= MAX_TEXT_CHARS
        assert p.title == p.title.strip() and p.abstract == p.abstract.strip()


def outcome(paths: list, kind: str) -> tuple[str, object]:
    """Read ``paths``; return ("papers", papers) or ("error", message); count the outcome."""
    try:
        papers = read_papers(paths)
    except InputError as err:
        message = str(err)
        assert message and "\n" not in message and "\r" not in message, message
        message.encode("utf-8")
        COUNTS["input-error"] += 1
        COUNTS[f"{kind}:input-error"] += 1
        return "error", message
    check_papers(papers)
    COUNTS["papers"] += 1
    COUNTS[f"{kind}:papers"] += 1
    return "papers", papers


# --- strategies --------------------------------------------------------------------------------

SPECIAL = [
    "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c",
    "\x1e", "\x00", "\x7f", "\t", " ", "\u00a0", "\ufeff", "\ufffe", "\ufffd", "\ud800", "\udbff",
    "\udc00", "\udfff", "\U0001f600", "e\u0301", "\u202e", "ſ", "K", '"', "'", ",", ";", "{", "}",
    "[", "]", ":", "\\", "Mar 14", "Sept 3", "https://github.com/a/b", "title", "abstract", ".",
]
PIECE = st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=()), st.characters(max_codepoint=127),
                  st.text(st.characters(max_codepoint=127), max_size=8))
TEXT = st.lists(PIECE, max_size=16).map("".join)
WORDS = st.text(alphabet=st.sampled_from("abc XYZ.é日\u2028"), min_size=1, max_size=12)


def encode(text: str, how: str) -> bytes:
    """Encode ``text`` as a file would hold it; lone surrogates go through as invalid bytes."""
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    bom = {"utf-8-sig": codecs.BOM_UTF8, "utf-16-le-bom": codecs.BOM_UTF16_LE,
           "utf-16-be-bom": codecs.BOM_UTF16_BE, "utf-32-le-bom": codecs.BOM_UTF32_LE,
           "utf-32-be-bom": codecs.BOM_UTF32_BE}.get(how, b"")
    codec = {"utf-8-sig": "utf-8"}.get(how, how.replace("-bom", ""))
    return bom + text.encode(codec, "surrogatepass")


ENCODING = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom",
                            "utf-32-le-bom", "utf-32-be-bom", "utf-16-le", "latin-1"])


class Raw(str):
    """JSON text written as is (numbers too long for ``json.dumps``, deep nesting)."""


RAW_JSON = st.one_of(
    st.integers(4290, 4400).map(lambda n: Raw("9" * n)),
    st.integers(4290, 4400).map(lambda n: Raw("-1" + "0" * n)),
    st.sampled_from([Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e999"), Raw("-0"), Raw("1.0E+2")]),
    st.integers(1, 3000).map(lambda n: Raw("[" * n + "]" * n)),
    st.integers(500, 3000).map(lambda n: Raw('{"a":' * n + "1" + "}" * n)),
    st.sampled_from([Raw('"\\ud800"'), Raw('"\\udfff\\ud800"'), Raw('"\\ud83d\\ude00"'), Raw('"a\\u0000b"')]),
)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, RAW_JSON)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.sampled_from(["title", "abstract", "id"]), TEXT), inner, max_size=3)),
    max_leaves=8,
)
FIELD_VALUE = st.one_of(TEXT, TEXT, WORDS, VALUE)
RECORD = st.fixed_dictionaries(
    {"title": FIELD_VALUE},
    optional={"abstract": FIELD_VALUE, "id": FIELD_VALUE, "url": FIELD_VALUE, "date": FIELD_VALUE, "extra": VALUE},
)
# Records that usually read: text fields (with escapes for lone surrogates), long digit ids.
TEXTISH = st.one_of(TEXT, WORDS, st.tuples(WORDS, RAW_JSON.filter(lambda r: r.startswith('"'))).map(
    lambda t: Raw(json.dumps(t[0])[:-1] + t[1][1:])))
CLEAN_RECORD = st.fixed_dictionaries(
    {"title": st.one_of(WORDS, TEXTISH)},
    optional={"abstract": TEXTISH, "id": st.one_of(TEXTISH, RAW_JSON.filter(lambda r: r[:1] in "9-")),
              "url": TEXTISH, "date": st.one_of(TEXTISH, st.sampled_from(["Mar 14", "ſep 3", "Dec 99"])),
              "extra": VALUE},
)


def to_json(value: object, ascii_only: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=ascii_only)}: {to_json(v, ascii_only)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(v, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


@st.composite
def jsonl_text(draw) -> str:
    lines = []
    messy = draw(st.integers(0, 2)) == 0
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["record", "record", "record", "value", "garbage", "blank"])) if messy else "clean"
        if kind == "clean":
            lines.append(to_json(draw(CLEAN_RECORD), draw(st.booleans())))
        elif kind == "record":
            lines.append(to_json(draw(RECORD), draw(st.booleans())))
        elif kind == "value":
            lines.append(to_json(draw(VALUE), draw(st.booleans())))
        elif kind == "garbage":
            lines.append(draw(TEXT))
        else:
            lines.append(draw(st.sampled_from(["", " ", "\t", "\u2028", "\x0c"])))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@st.composite
def csv_text(draw) -> str:
    known = st.sampled_from(["title", "abstract", "id", "url", "date", " Title ", "ABSTRACT", "notes"])
    messy = draw(st.integers(0, 2)) == 0
    if messy:
        header = draw(st.lists(st.one_of(known, known, TEXT), min_size=1, max_size=5))
        rows = draw(st.lists(st.lists(st.one_of(TEXT, WORDS), max_size=6), max_size=5))
    else:
        header = ["title", *draw(st.lists(known.filter(lambda k: k.strip().lower() != "title"), max_size=4, unique=True))]
        header = draw(st.permutations(header))
        rows = draw(st.lists(st.tuples(WORDS, st.lists(st.one_of(TEXT, WORDS), max_size=5)).map(
            lambda t: [t[0], *t[1]]), max_size=5))
        rows = [row[1:1 + header.index("title")] + [row[0]] + row[1 + header.index("title"):] for row in rows]
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                        lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for row in [header, *rows]:
        writer.writerow(row)
    text = out.getvalue()
    if messy and draw(st.booleans()):  # damage it: cut it, or splice in raw text
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(TEXT)
    return text


@st.composite
def page_text(draw) -> str:
    header = draw(st.sampled_from(["", "new\n\nSubscribe\n\n", "new\n\nSubscribe\n\nMar 14\n\n", "Sept 3, 2024\n\n"]))
    sep = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n \n", "\n\u00a0\n", "\n\n\n", "\r\r"]))
    paragraphs = draw(st.lists(st.one_of(TEXT, WORDS, WORDS.map(lambda w: (w + " ") * 25)), max_size=8))
    return header + sep.join(paragraphs)


# --- the fuzz ---------------------------------------------------------------------------------


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@FUZZ
@given(suffix=st.sampled_from([".txt", ".jsonl", ".csv"]), data=st.binary(max_size=300))
def test_readers_fuzz_arbitrary_bytes(suffix, data):
    with tempfile.TemporaryDirectory() as tmp:
        outcome([write(Path(tmp), "in" + suffix, data)], "bytes")


@FUZZ
@given(suffix=st.sampled_from([".txt", ".jsonl", ".csv"]), text=TEXT, how=ENCODING)
def test_readers_fuzz_arbitrary_unicode(suffix, text, how):
    with tempfile.TemporaryDirectory() as tmp:
        outcome([write(Path(tmp), "in" + suffix, encode(text, how))], "unicode")


@FUZZ
@given(text=page_text(), how=ENCODING)
def test_readers_fuzz_pages(text, how):
    with tempfile.TemporaryDirectory() as tmp:
        outcome([write(Path(tmp), "page.txt", encode(text, how))], "page")


@FUZZ
@given(text=jsonl_text(), how=ENCODING)
def test_readers_fuzz_jsonl_values(text, how):
    with tempfile.TemporaryDirectory() as tmp:
        outcome([write(Path(tmp), "r.jsonl", encode(text, how))], "jsonl")


@FUZZ
@given(text=csv_text(), how=ENCODING)
def test_readers_fuzz_csv(text, how):
    with tempfile.TemporaryDirectory() as tmp:
        outcome([write(Path(tmp), "r.csv", encode(text, how))], "csv")


SIMPLE_RECORD = st.fixed_dictionaries(
    {"title": st.sampled_from(["Alpha", "alpha.", "Beta", "Gamma net", "???", "Ωmega \ud800"])},
    optional={
        "id": st.sampled_from(["x1", "x2", "p1", ""]),
        "abstract": st.sampled_from(["", "Short.", "A longer abstract https://github.com/o/r."]),
        "date": st.sampled_from(["Mar 14", "Mar 2", "2024-01-02", ""]),
        "url": st.sampled_from(["", "https://a.org/1", "https://a.org/2"]),
    },
)
# Same-named files in different folders, and different formats side by side.
LAYOUT = ["dA/papers.jsonl", "dB/papers.jsonl", "dA/more.csv", "dC/papers.jsonl", "dB/x\u2028y.csv"]


def file_bytes(name: str, records: list[dict]) -> bytes:
    if name.endswith(".jsonl"):
        return "".join(json.dumps(r) + "\n" for r in records).encode()
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=["title", "abstract", "id", "url", "date"])
    writer.writeheader()
    writer.writerows({k: v.replace("\ud800", "\ufffd") for k, v in r.items()} for r in records)
    return out.getvalue().encode()


@FUZZ
@given(
    placed=st.lists(st.tuples(st.sampled_from(LAYOUT), SIMPLE_RECORD), min_size=1, max_size=8),
    data=st.data(),
)
def test_readers_fuzz_file_order_does_not_change_papers(placed, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        by_file: dict[str, list[dict]] = {}
        for name, record in placed:
            by_file.setdefault(name, []).append(record)
        paths = [write(root, name, file_bytes(name, records)) for name, records in by_file.items()]
        first = outcome(paths, "order")
        again = outcome(data.draw(st.permutations(paths)), "order")
        folders = sorted({p.parent for p in paths})
        via_folders = outcome(data.draw(st.permutations(folders)), "order")
        assert first == again == via_folders


NAME_CHAR = st.one_of(st.sampled_from(["\n", "\r", "\u2028", "\x1b", "\udcff", "\udc80", " ", "é", "日", "-"]),
                      st.characters(min_codepoint=33, max_codepoint=126).filter(lambda c: c != "/"))


@FUZZ
@given(stem=st.text(alphabet=NAME_CHAR, min_size=1, max_size=8), suffix=st.sampled_from([".jsonl", ".csv", ".txt"]),
       broken=st.booleans())
def test_readers_fuzz_file_names(stem, suffix, broken):
    name = stem + suffix
    try:
        os.fsencode(name)
    except UnicodeError:  # not every platform takes every name
        return
    body = {".jsonl": b'{"title": "T"}\n' if not broken else b"{oops\n",
            ".csv": b"title\nT\n" if not broken else b"nope\nT\n",
            ".txt": b"T\n\n" + b"word " * 25 if not broken else b"\x00"}[suffix]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = write(Path(tmp), name, body)
        except OSError:
            return
        kind, result = outcome([path], "names")
        assert kind == ("error" if broken else "papers")
