"""Readers for paperkg's input formats, chosen by file suffix from one table.

* Daily-papers pages (``.txt``): a short header ("new", "Subscribe", a date such as
  "Mar 14", …) and then alternating title and abstract paragraphs, separated by blank
  lines. The header length is not fixed: records start after the page date, or, on a
  page without one, at the first title followed by an abstract.
* JSON Lines (``.jsonl``) and CSV (``.csv``) with ``title`` and ``abstract`` fields and
  optional ``id``, ``url`` and ``date``.

Texts are kept exactly as given (only the paragraph's surrounding whitespace is
dropped), so mention offsets point into them. The same paper read from several pages
is one :class:`~paperkg.extract.records.Paper` with all its sources. A paper without an ``id``
gets one from its normalised title, so ids are stable across runs and file orders.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.records import Paper, Source

__all__ = [
    "READERS",
    "RawRecord",
    "code_urls",
    "paper_id",
    "read_jsonl",
    "read_csv",
    "read_page",
    "read_papers",
    "read_text",
]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?$", re.IGNORECASE)
_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_CODE_URL = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|"
    r"codeberg\.org|sourceforge\.net|git\.[\w.-]+)/[^\s<>\"'{}|\\^`\]]*",
    re.IGNORECASE,
)
_ABSTRACT_MIN_WORDS = 20


@dataclass(frozen=True)
class RawRecord:
    """One record as read, before papers read several times are merged."""

    title: str
    abstract: str
    source: Source
    id: str = ""
    url: str = ""


def read_text(path: Path) -> str:
    """Return the UTF-8 text of ``path`` (BOM dropped, newlines as ``\\n``).

    Raises
    ------
    InputError
        If the file is missing, empty, binary or not UTF-8.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def code_urls(text: str) -> tuple[str, ...]:
    """Return the code-repository URLs in ``text``, in order, without duplicates.

    >>> code_urls("Code: https://github.com/a/b. Also https://github.com/a/b")
    ('https://github.com/a/b',)
    """
    found = [m.group(0).rstrip(".,;:)") for m in _CODE_URL.finditer(text)]
    return tuple(dict.fromkeys(found))


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def paper_id(title: str) -> str:
    """Return the stable id of a paper without an explicit one: a hash of its title.

    Case, punctuation and spacing do not change it.

    >>> paper_id("Attention Is All You Need") == paper_id("attention is all you need.")
    True
    """
    return "p" + hashlib.sha1(_title_key(title).encode("utf-8")).hexdigest()[:12]


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, stripped paragraph) for each non-blank paragraph."""
    line = 1
    for chunk in _BLANK.split(text):
        stripped = chunk.strip()
        if stripped:
            leading = chunk[: len(chunk) - len(chunk.lstrip())]
            yield line + leading.count("\n"), stripped
        line += chunk.count("\n") + 2


def _is_abstract(paragraph: str) -> bool:
    """A paragraph that can only be an abstract: long, or ending a sentence."""
    return len(paragraph.split()) >= _ABSTRACT_MIN_WORDS or paragraph.endswith((".", "!", "?"))


def _is_title(paragraph: str) -> bool:
    """A paragraph that can only be a title: one short line, not ending a sentence."""
    return "\n" not in paragraph and not _is_abstract(paragraph)


def read_page(path: Path) -> list[RawRecord]:
    """Read a daily-papers page: header, page date, then title / abstract paragraphs.

    A title with no abstract (at the end of a page) is kept with an empty abstract.

    Raises
    ------
    InputError
        If the page holds no recognisable title / abstract records.
    """
    paragraphs = list(_paragraphs(read_text(path)))
    date = ""
    start = None
    for i, (_, text) in enumerate(paragraphs):
        if _DATE.match(text):
            date, start = text, i + 1
            break
    if start is None:  # no page date: records start at the first title + abstract pair
        start = next(
            (
                i
                for i in range(len(paragraphs) - 1)
                if _is_title(paragraphs[i][1])
                and len(paragraphs[i + 1][1].split()) >= _ABSTRACT_MIN_WORDS
            ),
            len(paragraphs),
        )
    records = []
    i = start
    while i < len(paragraphs):
        line, title = paragraphs[i]
        following = [text for _, text in paragraphs[i + 1 : i + 3]]
        # Titles and abstracts alternate; a short title-like paragraph followed by an
        # abstract-like one means this title has no abstract of its own.
        missing = not following or (
            _is_title(following[0]) and len(following) > 1 and not _is_title(following[1])
        )
        abstract = "" if missing else following[0]
        i += 1 if missing else 2
        records.append(RawRecord(title=title, abstract=abstract, source=Source(path.name, line, date)))
    if not any(r.abstract for r in records):
        raise InputError(
            f"{path}: no paper records found (expected a header, then title and abstract "
            "paragraphs separated by blank lines)"
        )
    return records


def _field(record: dict, name: str, where: str, *, required: bool = False) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise InputError(f"{where}: record has no {name!r}")
        return ""
    if not isinstance(value, (str, int)):
        raise InputError(f"{where}: field {name!r} must be text, not {type(value).__name__}")
    return str(value)


def _record(record: object, path: Path, line: int) -> RawRecord:
    where = f"{path}:{line}"
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object with a 'title'")
    title = _field(record, "title", where, required=True).strip()
    if not title:
        raise InputError(f"{where}: record has no 'title'")
    return RawRecord(
        title=title,
        abstract=_field(record, "abstract", where).strip(),
        source=Source(path.name, line, _field(record, "date", where).strip()),
        id=_field(record, "id", where).strip(),
        url=_field(record, "url", where).strip(),
    )


def read_jsonl(path: Path) -> list[RawRecord]:
    """Read JSON Lines records ``{"title", "abstract", "id"?, "url"?, "date"?}``.

    Raises
    ------
    InputError
        Naming ``file:line`` for a line that is not JSON or a record without a title.
    """
    records = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        records.append(_record(record, path, number))
    return records


def read_csv(path: Path) -> list[RawRecord]:
    """Read a CSV file with a header row holding ``title`` and ``abstract`` columns."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "title" not in fields:
        raise InputError(f"{path}: the CSV header has no 'title' column")
    records = []
    for row in reader:
        clean = {k.strip().lower(): v for k, v in row.items() if k is not None}
        records.append(_record(clean, path, reader.line_num))
    return records


#: Readers by file suffix.
READERS: dict[str, Callable[[Path], list[RawRecord]]] = {
    ".txt": read_page,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}


def _files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in READERS)
            if not inside:
                known = ", ".join(READERS)
                raise InputError(f"{path}: no input files ({known}) in this folder")
            files.extend(inside)
        elif not path.exists():
            raise InputError(f"{path}: no such file or folder")
        elif path.suffix.lower() not in READERS:
            known = ", ".join(READERS)
            raise InputError(f"{path}: unknown input format {path.suffix!r}; known: {known}")
        else:
            files.append(path)
    return files


def _earliest(dates: Sequence[str]) -> str:
    def order(date: str) -> tuple:
        m = re.match(rf"({_MONTH})\s+(\d+)", date, re.IGNORECASE)
        if not m:
            return (99, 99, date)
        month = "janfebmaraprmayjunjulaugsepoctnovdec".index(m.group(1)[:3].lower()) // 3
        return (month, int(m.group(2)), date)

    dated = [d for d in dates if d]
    return min(dated, key=order) if dated else ""


def merge_records(records: Iterable[RawRecord]) -> list[Paper]:
    """Merge records of the same paper (same id, or same normalised title) into papers.

    Papers are sorted by id, so the result does not depend on file order.
    """
    groups: dict[str, list[RawRecord]] = {}
    for record in records:
        groups.setdefault(record.id or paper_id(record.title), []).append(record)
    papers = []
    for pid, group in groups.items():
        group.sort(key=lambda r: r.source)
        abstract = max((r.abstract for r in group), key=len)
        papers.append(
            Paper(
                id=pid,
                title=group[0].title,
                abstract=abstract,
                date=_earliest([r.source.date for r in group]),
                url=next((r.url for r in group if r.url), ""),
                sources=tuple(sorted({r.source for r in group})),
                code_urls=code_urls(abstract),
            )
        )
    return sorted(papers, key=lambda p: p.id)


def read_papers(paths: Iterable[str | os.PathLike]) -> list[Paper]:
    """Read every input file (folders are expanded) and return the merged papers.

    Raises
    ------
    InputError
        For a missing, empty, binary or malformed input; the message is one line.
    """
    records: list[RawRecord] = []
    for path in _files(paths):
        records.extend(READERS[path.suffix.lower()](path))
    if not records:
        raise InputError("no paper records in the input")
    return merge_records(records)
