"""RIS (``.ris``), as Zotero, Mendeley, EndNote, Scopus and Web of Science export it.

Records run from ``TY  - `` to ``ER  - ``; fields are parsed with ``rispy`` (which joins
continuation lines) after paperkg checks the structure line by line, because a record
without its ``ER`` line or a tag outside any record would otherwise be dropped silently.
A record is read as:

===========  ==================================================================
title        ``TI`` (else ``T1``, else ``ST``)
abstract     ``AB`` (else ``N2``)
ids          ``DO``; an arXiv id from an ``arxiv.org`` link in ``UR``
date         ``DA`` (else ``PY``, else ``Y1``), ``2016/06/27/`` → ``2016-06-27``
authors      ``AU`` and ``A1``, ``"Last, First"`` as ``"First Last"``
venue        ``T2`` (else ``JO``, ``JF``, ``J2``)
categories   ``KW``
url          the first ``UR``
===========  ==================================================================

Each record is named ``file:line`` by its ``TY`` line.

>>> ris_date("2016/06/27/"), ris_date("2019///"), ris_date("")
('2016-06-27', '2019', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import rispy

from paperkg.errors import InputError
from paperkg.extract.read.ids import arxiv_id, identifiers, iso_date
from paperkg.extract.read.latex import person_name
from paperkg.extract.read.raw import RawRecord, make_record, source_name
from paperkg.extract.read.text import display, read_text
from paperkg.extract.records import Source

__all__ = ["read_ris", "ris_date"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_RIS_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?")


def ris_date(value: str) -> str:
    """Return a RIS date (``YYYY/MM/DD/other``, parts may be empty) as an ISO date."""
    m = _RIS_DATE.match(value or "")
    if not m:
        return ""
    year, month, day = m.group(1), m.group(2) or "", m.group(3) or ""
    return iso_date([int(p) for p in (year, month, day) if p][: 1 + bool(month) + bool(month and day)])


def _record_lines(text: str, shown: str) -> list[int]:
    """Check the record structure; return the line of each record's ``TY``."""
    starts: list[int] = []
    open_at = 0
    for number, line in enumerate(text.split("\n"), start=1):
        m = _TAG.match(line)
        tag = m.group(1) if m else ""
        if tag == "TY":
            if open_at:
                raise InputError(f"{shown}:{open_at}: RIS record has no 'ER  - ' line before the next 'TY'")
            open_at = number
            starts.append(number)
        elif tag == "ER":
            if not open_at:
                raise InputError(f"{shown}:{number}: 'ER  - ' outside a RIS record")
            open_at = 0
        elif line.strip() and not open_at:
            raise InputError(f"{shown}:{number}: text outside a RIS record (records start with 'TY  - ')")
    if open_at:
        raise InputError(f"{shown}:{open_at}: RIS record has no 'ER  - ' line")
    if not starts:
        raise InputError(f"{shown}: no RIS records ('TY  - ' … 'ER  - ') in this file")
    return starts


def _first(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v), "")
        if value:
            return " ".join(str(value).split())
    return ""


def read_ris(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read the records of a RIS file (see the module docstring).

    Raises
    ------
    InputError
        For a record without its ``ER`` line, text outside records, a file with no
        records (naming the line), or a field over the length limit.
    """
    shown, file = display(path), source_name(path, name)
    text = read_text(path).removeprefix("\ufeff")
    starts = _record_lines(text, shown)
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except (ValueError, KeyError, IndexError) as err:  # rispy's own complaints
        raise InputError(f"{shown}: not valid RIS ({' '.join(str(err).split())})") from None
    if len(records) != len(starts):
        raise InputError(f"{shown}: read {len(records)} RIS records but found {len(starts)} 'TY' lines")
    for line, record in zip(starts, records):
        where = f"{shown}:{line}"
        urls = [str(u).strip() for u in record.get("urls", []) or []]
        arxiv = next((arxiv_id(u) for u in urls if "arxiv.org/" in u.lower()), "")
        date = ris_date(_first(record, "date")) or ris_date(_first(record, "year")) or ris_date(
            _first(record, "publication_year"))
        authors = [person_name(str(a)) for a in (record.get("authors") or []) + (record.get("first_authors") or [])]
        yield make_record(
            _first(record, "title", "primary_title", "short_title"),
            _first(record, "abstract", "notes_abstract"),
            where,
            Source(file, line, date),
            url=next(iter(urls), ""),
            authors=authors,
            venue=_first(record, "secondary_title", "journal_name", "alternate_title3", "alternate_title1"),
            categories=[str(k) for k in record.get("keywords", []) or []],
            ids=identifiers(doi=_first(record, "doi"), arxiv=arxiv),
        )
