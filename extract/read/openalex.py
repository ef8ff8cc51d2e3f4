"""OpenAlex works (``.json``, ``.jsonl``, ``.gz``): a single work, an API page, or JSON Lines.

An OpenAlex *work* (https://docs.openalex.org/api-entities/works/work-object) is read as:

=====================  ==============================================================
title                  ``title`` (or ``display_name``)
abstract               rebuilt from ``abstract_inverted_index`` (word → positions):
                       every word at each of its positions, in position order, joined
                       by single spaces — exactly the words OpenAlex holds
ids                    ``id`` (``openalex:W…``), ``doi`` / ``ids.doi``; an arXiv id from a
                       ``10.48550/arXiv.…`` DOI or an ``arxiv.org/abs/`` location
date                   ``publication_date`` (else ``publication_year``)
authors                ``authorships[].author.display_name``
venue                  ``primary_location.source.display_name`` (else ``host_venue``)
categories             ``topics[].display_name`` (else ``concepts[].display_name``)
url                    the DOI link, else ``primary_location.landing_page_url``, else ``id``
=====================  ==============================================================

An API page (``{"meta": …, "results": [work, …]}``) gives its results; a JSON Lines file
(an OpenAlex snapshot part, ``--format openalex`` for names without ``.jsonl``) a work a line.

>>> rebuild_abstract({"deep": [1], "We": [0], "learning.": [2]}, "w.json")
'We deep learning.'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.ids import arxiv_id, identifiers, iso_date
from paperkg.extract.read.jsonl import json_items
from paperkg.extract.read.raw import RawRecord, as_text, make_record, mapping, sequence, source_name
from paperkg.extract.read.text import MAX_TEXT_CHARS
from paperkg.extract.records import Source

__all__ = ["read_openalex", "rebuild_abstract", "work_record"]


def rebuild_abstract(index: object, where: str) -> str:
    """Return the abstract held by an ``abstract_inverted_index`` (``None`` gives ``""``).

    Raises
    ------
    InputError
        If the index is not an object of word → list of positions, a position is not a
        whole number ≥ 0, one position holds two words, or the positions run past the
        length limit.
    """
    if index is None:
        return ""
    words: dict[int, str] = {}
    for word, positions in mapping(index, "abstract_inverted_index", where).items():
        for position in sequence(positions, "abstract_inverted_index positions", where):
            if isinstance(position, bool) or not isinstance(position, int) or position < 0:
                raise InputError(
                    f"{where}: abstract_inverted_index position {position!r} of {word!r} "
                    "is not a whole number >= 0"
                )
            if position > MAX_TEXT_CHARS:
                raise InputError(
                    f"{where}: abstract_inverted_index position {position:,} is past the "
                    f"{MAX_TEXT_CHARS:,}-character limit"
                )
            if position in words and words[position] != word:
                raise InputError(
                    f"{where}: abstract_inverted_index puts {words[position]!r} and {word!r} "
                    f"at position {position}"
                )
            words[position] = word
    return " ".join(words[p] for p in sorted(words))


def _arxiv(work: Mapping, where: str) -> str:
    for location in sequence(work.get("locations"), "locations", where):
        url = as_text(mapping(location, "a location", where).get("landing_page_url"), "landing_page_url", where)
        if "arxiv.org/" in url.lower() and arxiv_id(url):
            return arxiv_id(url)
    return ""


def work_record(work: object, where: str, source: Source) -> RawRecord:
    """Return the record of one OpenAlex work (see the module docstring).

    Raises
    ------
    InputError
        If ``work`` is not a JSON object, or a field has the wrong shape.
    """
    work = mapping(work, "an OpenAlex work", where)
    text = lambda key: as_text(work.get(key), key, where)  # noqa: E731
    ids = mapping(work.get("ids"), "ids", where)
    doi = text("doi") or as_text(ids.get("doi"), "ids.doi", where)
    openalex = text("id") or as_text(ids.get("openalex"), "ids.openalex", where)
    primary = mapping(work.get("primary_location"), "primary_location", where)
    venue = as_text(mapping(primary.get("source"), "primary_location.source", where).get("display_name"),
                    "source display_name", where)
    if not venue:
        venue = as_text(mapping(work.get("host_venue"), "host_venue", where).get("display_name"),
                        "host_venue display_name", where)
    authors = [
        as_text(mapping(mapping(a, "an authorship", where).get("author"), "author", where).get("display_name"),
                "author display_name", where)
        for a in sequence(work.get("authorships"), "authorships", where)
    ]
    topics = sequence(work.get("topics"), "topics", where) or sequence(work.get("concepts"), "concepts", where)
    categories = [
        as_text(mapping(t, "a topic", where).get("display_name"), "topic display_name", where) for t in topics
    ]
    date = iso_date(text("publication_date")) or iso_date(work.get("publication_year"))
    url = (f"https://doi.org/{doi.split('doi.org/')[-1]}" if doi else "") or as_text(
        primary.get("landing_page_url"), "landing_page_url", where) or openalex
    return make_record(
        text("title") or text("display_name"),
        rebuild_abstract(work.get("abstract_inverted_index"), where),
        where,
        Source(source.file, source.line, date),
        url=url,
        authors=authors,
        venue=venue,
        categories=categories,
        ids=identifiers(doi=doi, arxiv=_arxiv(work, where), openalex=openalex),
    )


def read_openalex(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read OpenAlex works: one work, an API page (``results``), a list, or JSON Lines.

    Raises
    ------
    InputError
        Naming ``file:line`` (JSON Lines) or ``file: record N`` for a record that is not
        JSON or not a work.
    """
    file = source_name(path, name)
    for where, position, item in json_items(path, pages=("results",)):
        yield work_record(item, where, Source(file, position))
