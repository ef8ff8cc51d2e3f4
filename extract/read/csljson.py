"""CSL-JSON (``.json``), the citation format of Zotero, Mendeley, pandoc and citeproc.

A file is a list of items (one item alone is read too); an item
(https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) is read as:

===========  =================================================================
title        ``title``
abstract     ``abstract``
ids          ``DOI``; an arXiv id from ``URL`` or ``number`` (``arXiv:…``)
date         ``issued`` (``date-parts``, else ``raw`` / ``literal``)
authors      ``author[]`` as ``given family`` (else ``literal``)
venue        ``container-title`` (else ``event-title``, ``publisher``)
categories   ``keyword`` (split on ``,`` or ``;``)
url          ``URL``
===========  =================================================================

Each item is named ``file: entry ID`` by its ``id`` (else ``file: record N``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from paperkg.extract.read.ids import arxiv_id, identifiers, iso_date
from paperkg.extract.read.jsonl import is_json_lines, json_items
from paperkg.extract.read.raw import RawRecord, as_text, make_record, mapping, sequence, source_name
from paperkg.extract.read.text import display
from paperkg.extract.records import Source

__all__ = ["item_record", "read_csl_json"]

_KEYWORDS = re.compile(r"\s*[,;]\s*")


def _issued(value: object, where: str) -> str:
    issued = mapping(value, "issued", where)
    parts = sequence(issued.get("date-parts"), "date-parts", where)
    if parts:
        return iso_date(sequence(parts[0], "date-parts", where))
    return iso_date(as_text(issued.get("raw") or issued.get("literal"), "issued", where))


def item_record(item: object, where: str, source: Source) -> RawRecord:
    """Return the record of one CSL-JSON item (see the module docstring).

    Raises
    ------
    InputError
        If ``item`` is not a JSON object, or a field has the wrong shape.
    """
    item = mapping(item, "a CSL-JSON item", where)
    text = lambda key: as_text(item.get(key), key, where)  # noqa: E731
    authors = []
    for person in sequence(item.get("author"), "author", where):
        person = mapping(person, "an author", where)
        literal = as_text(person.get("literal"), "author literal", where)
        parts = [as_text(person.get(k), f"author {k}", where) for k in ("given", "non-dropping-particle", "family", "suffix")]
        authors.append(literal or " ".join(p for p in parts if p))
    arxiv = next((arxiv_id(v) for v in (text("URL"), text("number")) if "arxiv" in v.lower() and arxiv_id(v)), "")
    return make_record(
        text("title"),
        text("abstract"),
        where,
        Source(source.file, source.line, _issued(item.get("issued"), where)),
        url=text("URL"),
        authors=authors,
        venue=text("container-title") or text("event-title") or text("publisher"),
        categories=[k for k in _KEYWORDS.split(text("keyword")) if k],
        ids=identifiers(doi=text("DOI"), arxiv=arxiv),
    )


def read_csl_json(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read a CSL-JSON file: a list of items, or one item.

    Raises
    ------
    InputError
        Naming ``file: entry ID`` for an item that is not a CSL-JSON object, or the file
        (and line) for text that is not JSON.
    """
    shown, file, lines = display(path), source_name(path, name), is_json_lines(path)
    for where, position, item in json_items(path):
        key = item.get("id") if isinstance(item, dict) else None
        if not lines and isinstance(key, (str, int)) and not isinstance(key, bool) and str(key).strip():
            where = f"{shown}: entry {str(key).strip()!r}"
        yield item_record(item, where, Source(file, position))
