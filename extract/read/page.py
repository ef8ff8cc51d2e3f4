"""Daily-papers pages (``.txt``): a header, the page date, then title / abstract paragraphs.

A page starts with a short header ("new", "Subscribe", a date such as "Mar 14", …) and then
alternates title and abstract paragraphs separated by blank lines. The header length is not
fixed: records start after the page date, or, on a page without one, at the first title
followed by an abstract. Paragraphs are split on ``\\n`` only (never on U+2028, U+0085 or
form feeds), and each keeps its text exactly, less its surrounding whitespace.

>>> earliest_date(["Mar 14", "Mar 11", ""])
'Mar 11'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.raw import RawRecord, make_record, source_name
from paperkg.extract.read.text import display, read_text
from paperkg.extract.records import Source

__all__ = ["earliest_date", "read_page"]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?$", re.IGNORECASE)
_DAY = re.compile(rf"({_MONTH})\s+(\d{{1,2}})", re.IGNORECASE)
_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_ABSTRACT_MIN_WORDS = 20


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


def read_page(path: Path, *, name: str | None = None) -> list[RawRecord]:
    """Read a daily-papers page: header, page date, then title / abstract paragraphs.

    A title with no abstract (at the end of a page) is kept with an empty abstract.

    Raises
    ------
    InputError
        If the page holds no recognisable title / abstract records, or a paragraph is
        longer than :data:`~paperkg.extract.read.text.MAX_TEXT_CHARS` (naming ``file:line``).
    """
    paragraphs = list(_paragraphs(read_text(path)))
    shown, file = display(path), source_name(path, name)
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
        records.append(make_record(title, abstract, f"{shown}:{line}", Source(file, line, date)))
    if not any(r.abstract for r in records):
        raise InputError(
            f"{shown}: no paper records found (expected a header, then title and abstract "
            "paragraphs separated by blank lines)"
        )
    return records


def earliest_date(dates: Sequence[str]) -> str:
    """Return the earliest page date ("Mar 11" before "Mar 14"); other dates sort after,
    as text; empty dates are ignored."""

    def order(date: str) -> tuple:
        m = _DAY.match(date)
        # IGNORECASE also matches look-alikes ("ſep" with a long s): those are not months.
        month = "janfebmaraprmayjunjulaugsepoctnovdec".find(m.group(1)[:3].lower()) if m else -1
        if month < 0 or month % 3:
            return (99, 99, date)
        return (month // 3, int(m.group(2)), date)

    dated = [d for d in dates if d]
    return min(dated, key=order) if dated else ""
