"""BibTeX and BibLaTeX (``.bib``), as Zotero, JabRef, Google Scholar and arXiv export them.

Parsed with ``bibtexparser`` 2: ``@string`` macros are resolved (``booktitle = acl``, ``#``
concatenation), ``@comment``, ``@preamble`` and text between entries are ignored. Every
field is LaTeX-decoded (:func:`~paperkg.extract.read.latex.latex_to_text`: ``{\\"o}`` → ö,
``{BERT}`` → BERT) and its white space joined. An entry of any type is read as:

===========  =================================================================
title        ``title``
abstract     ``abstract``
ids          ``doi``; ``eprint`` when ``archiveprefix``/``eprinttype`` is arXiv (or
             the eprint looks like an arXiv id); an arXiv ``url``
date         ``date`` (BibLaTeX), else ``year`` + ``month``
authors      ``author``, split on ``and``, ``"Last, First"`` as ``"First Last"``
venue        ``journal`` / ``journaltitle`` / ``booktitle``
categories   ``keywords`` (split on ``,`` or ``;``), arXiv's ``primaryclass``
url          ``url``
===========  =================================================================

Each entry is named ``file:line (entry KEY)``, by the line it starts on. A block the parser
cannot read, or a key used twice, is an error naming its line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser

from paperkg.errors import InputError
from paperkg.extract.read.ids import arxiv_id, identifiers, iso_date, month_number
from paperkg.extract.read.latex import latex_to_text, person_name
from paperkg.extract.read.raw import RawRecord, make_record, source_name
from paperkg.extract.read.text import MAX_TEXT_CHARS, display, read_text
from paperkg.extract.records import Source

__all__ = ["read_bibtex"]

_KEYWORDS = re.compile(r"\s*[,;]\s*")


def _parts(raw: str) -> list[str]:
    """Split a raw BibTeX value on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(raw):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == '"' and depth == 0 and (i == 0 or raw[i - 1] != "\\"):
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return [p.strip() for p in parts]


def resolve_value(raw: str, strings: dict[str, str]) -> str:
    """Return a raw BibTeX value as text: ``{…}`` and ``"…"`` unwrapped, ``@string`` names
    replaced (case aside), parts joined by ``#`` concatenated; an unknown name (``jun``, the
    standard month macros) stays as written.

    >>> resolve_value('acl # " 2020, " # {Online}', {"acl": "ACL"})
    'ACL 2020, Online'
    """
    out = []
    for part in _parts(raw):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        else:
            out.append(strings.get(part.lower(), part))
    return "".join(out)


def _bounded(value: str, where: str) -> str:
    """``value``, if no longer than any text paperkg reads: ``@string`` macros that use each
    other twice over would otherwise double at every step, to gigabytes."""
    if len(value) > MAX_TEXT_CHARS:
        raise InputError(f"{where}: the value is longer than {MAX_TEXT_CHARS:,} characters")
    return value


def _split_authors(value: str) -> list[str]:
    """Split a BibTeX name list on ``and`` outside braces."""
    names, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            names.append(value[start : m.start()])
            start = m.end()
    names.append(value[start:])
    return [person_name(n) for n in names if n.strip() and n.strip().lower() != "others"]


def _date(fields: dict[str, str]) -> str:
    found = iso_date(fields.get("date", ""))
    if found:
        return found
    year = fields.get("year", "").strip()
    month = month_number(fields.get("month", ""))
    if year.isdigit():
        return iso_date(f"{year}-{month:02d}" if month else year)
    return ""


def read_bibtex(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read the entries of a BibTeX / BibLaTeX file (see the module docstring).

    Raises
    ------
    InputError
        For a block that cannot be parsed or a duplicate key (naming its line), a file with
        no entries, or a field over the length limit.
    """
    shown, file = display(path), source_name(path, name)
    text = read_text(path)
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its parse warnings become our one-line errors
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    finally:
        quiet.setLevel(level)
    if library.failed_blocks:
        block = min(library.failed_blocks, key=lambda b: b.start_line)
        error = getattr(block, "error", None)
        reason = " ".join(str(error).split()) if error is not None else type(block).__name__
        if type(block).__name__ == "DuplicateBlockKeyBlock":
            reason = f"the entry key {getattr(block, 'key', '?')!r} is used twice"
        raise InputError(f"{shown}:{block.start_line + 1}: not valid BibTeX ({reason or type(error).__name__})")
    if not library.entries:
        raise InputError(f"{shown}: no BibTeX entries (@article{{…}}, @inproceedings{{…}}, …) in this file")
    strings: dict[str, str] = {}
    for block in library.strings:  # in file order: a string may use those before it
        strings[block.key.lower()] = _bounded(
            resolve_value(str(block.value), strings), f"{shown}:{block.start_line + 1} (@string {block.key})")
    for entry in library.entries:
        line = entry.start_line + 1
        where = f"{shown}:{line} (entry {entry.key})"
        raw = {f.key.lower(): _bounded(resolve_value(str(f.value), strings), where) for f in entry.fields}
        try:
            fields = {key: " ".join(latex_to_text(value).split()) for key, value in raw.items()}
        except InputError as err:
            raise InputError(f"{where}: {err}") from None
        raw_authors = raw.get("author", "")
        prefix = (fields.get("archiveprefix", "") or fields.get("eprinttype", "")).lower()
        eprint = fields.get("eprint", "")
        arxiv = eprint if (prefix == "arxiv" or (not prefix and arxiv_id(eprint))) else ""
        if not arxiv and "arxiv.org/" in fields.get("url", "").lower():
            arxiv = fields["url"]
        yield make_record(
            fields.get("title", ""),
            fields.get("abstract", ""),
            where,
            Source(file, line, _date(fields)),
            url=fields.get("url", ""),
            authors=_split_authors(raw_authors),
            venue=fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle", ""),
            categories=[k for k in _KEYWORDS.split(fields.get("keywords", "")) if k]
            + ([fields["primaryclass"]] if fields.get("primaryclass") else []),
            ids=identifiers(doi=fields.get("doi", ""), arxiv=arxiv),
        )
