"""Semantic Scholar papers (``.json``, ``.jsonl``, ``.gz``): Graph API responses and bulk files.

A paper object (https://api.semanticscholar.org/api-docs/graph, "Paper") is read as:

=============  ==================================================================
title          ``title``
abstract       ``abstract`` (often ``null``: the paper is kept, title only)
ids            ``paperId`` (``s2:…``), ``externalIds.DOI``, ``externalIds.ArXiv``,
               ``externalIds.CorpusId`` / ``corpusid`` (``s2corpus:…``)
date           ``publicationDate`` (else ``year``)
authors        ``authors[].name``
venue          ``publicationVenue.name`` (else ``venue``, else ``journal.name``)
categories     ``fieldsOfStudy`` (else ``s2FieldsOfStudy[].category``)
url            ``url``
=============  ==================================================================

Keys are matched without case, so the bulk datasets' lower-case keys (``corpusid``,
``externalids``, ``publicationdate``) read the same. A search or list page
(``{"total": …, "data": [paper, …]}``) gives its ``data``; a batch response (a JSON list) its
papers, where ``null`` (an unknown id) is skipped; a citations or references page its
``citingPaper`` / ``citedPaper`` objects; JSON Lines a paper (or page) a line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from paperkg.extract.read.ids import identifiers, iso_date
from paperkg.extract.read.jsonl import json_items
from paperkg.extract.read.raw import RawRecord, as_text, make_record, mapping, sequence, source_name
from paperkg.extract.records import Source

__all__ = ["paper_record", "read_s2"]


def _lower(value: object, what: str, where: str) -> dict:
    return {str(k).lower(): v for k, v in mapping(value, what, where).items()}


def paper_record(paper: object, where: str, source: Source) -> RawRecord:
    """Return the record of one Semantic Scholar paper (see the module docstring).

    Raises
    ------
    InputError
        If ``paper`` is not a JSON object, or a field has the wrong shape.
    """
    p = _lower(paper, "a Semantic Scholar paper", where)
    text = lambda key: as_text(p.get(key), key, where)  # noqa: E731
    external = _lower(p.get("externalids"), "externalIds", where)
    ext = lambda key: as_text(external.get(key), f"externalIds.{key}", where)  # noqa: E731
    venue = (
        as_text(_lower(p.get("publicationvenue"), "publicationVenue", where).get("name"), "publicationVenue.name", where)
        or text("venue")
        or as_text(_lower(p.get("journal"), "journal", where).get("name"), "journal.name", where)
    )
    fields = [as_text(f, "fieldsOfStudy", where) for f in sequence(p.get("fieldsofstudy"), "fieldsOfStudy", where)]
    if not fields:
        fields = [
            as_text(_lower(f, "an s2FieldsOfStudy entry", where).get("category"), "category", where)
            for f in sequence(p.get("s2fieldsofstudy"), "s2FieldsOfStudy", where)
        ]
    authors = [
        as_text(_lower(a, "an author", where).get("name"), "author name", where)
        for a in sequence(p.get("authors"), "authors", where)
    ]
    date = iso_date(text("publicationdate")) or iso_date(p.get("year"))
    return make_record(
        text("title"),
        text("abstract"),
        where,
        Source(source.file, source.line, date),
        url=text("url"),
        authors=authors,
        venue=venue,
        categories=fields,
        ids=identifiers(
            doi=ext("doi"),
            arxiv=ext("arxiv"),
            s2=text("paperid"),
            s2corpus=ext("corpusid") or text("corpusid"),
        ),
    )


def read_s2(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read Semantic Scholar papers: one paper, a ``data`` page, a batch list, or JSON Lines.

    Raises
    ------
    InputError
        Naming ``file:line`` (JSON Lines) or ``file: record N`` for a record that is not
        JSON or not a paper.
    """
    file = source_name(path, name)
    for where, position, item in json_items(path, pages=("data",)):
        if item is None:  # a batch response's unknown id
            continue
        if isinstance(item, Mapping) and len(item) == 1:  # citations / references pages
            item = item.get("citingPaper", item.get("citedPaper", item))
        yield paper_record(item, where, Source(file, position))

