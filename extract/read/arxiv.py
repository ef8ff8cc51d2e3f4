"""arXiv: API responses (Atom, ``.xml``), OAI-PMH harvests (``oai_dc`` and ``arXivRaw``,
``.xml``) and the metadata snapshot (JSON Lines, ``.jsonl`` / ``.jsonl.gz``).

* **Atom** (https://info.arxiv.org/help/api/user-manual.html): each ``<entry>`` gives
  ``title``, ``summary`` (the abstract), ``id`` (``…/abs/ID`` → ``arxiv:ID``),
  ``published`` (the date), ``author/name``, ``arxiv:doi``, ``arxiv:journal_ref`` (venue),
  ``category/@term`` and the ``alternate`` link. An API error feed is one-line error.
* **OAI-PMH** (https://info.arxiv.org/help/oa/index.html): each ``<record>`` of
  ``ListRecords`` / ``GetRecord`` with ``oai_dc`` metadata (``dc:title``, the first
  ``dc:description`` that is not a "Comment:", ``dc:creator`` ("Last, First" as "First
  Last"), ``dc:subject``, the first
  ``dc:date``, ``dc:identifier`` links and ``doi:``) or ``arXivRaw`` metadata (``id``,
  ``title``, ``abstract``, ``authors``, ``categories``, ``doi``, ``journal-ref``, the first
  ``version/date``). Deleted records are skipped; ``noRecordsMatch`` is an empty harvest.
* **Snapshot** (the Kaggle "arxiv-metadata-oai-snapshot.json", one paper a line): ``id``,
  ``title``, ``abstract``, ``authors_parsed`` (else ``authors``), ``categories``, ``doi``,
  ``journal-ref`` and the first ``versions[].created`` date. Read as a stream.

Titles and abstracts are hard-wrapped in every arXiv format: line breaks and the spaces
around them become one space (a blank line, a paragraph break, stays ``\\n\\n``). Author names
written in LaTeX (``Bal\\'azs``) are decoded (``Balázs``); titles and abstracts keep their
LaTeX as written (``$\\alpha$``), so mentions point into what arXiv shows.

>>> unwrap("  A fully differential\\n  calculation.\\n\\n  Second  part.\\n")
'A fully differential calculation.\\n\\nSecond  part.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from paperkg.errors import InputError
from paperkg.extract.read.ids import arxiv_id, doi, identifiers, iso_date
from paperkg.extract.read.jsonl import json_lines
from paperkg.extract.read.latex import latex_to_text, person_name
from paperkg.extract.read.raw import RawRecord, as_text, make_record, mapping, sequence, source_name
from paperkg.extract.read.text import display, read_text
from paperkg.extract.read.xmlsafe import Lines, line_of, local, parse_xml
from paperkg.extract.records import Source

__all__ = ["read_arxiv_snapshot", "read_arxiv_xml", "split_authors", "unwrap"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OAI = "{http://www.openarchives.org/OAI/2.0/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_RAW = "{http://arxiv.org/OAI/arXivRaw/}"
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_WRAP = re.compile(r"[ \t]*\n[ \t]*")
_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def unwrap(text: str) -> str:
    """Join arXiv's hard-wrapped lines: a line break and the spaces around it become one
    space; blank lines (paragraph breaks) become ``\\n\\n``; the ends are stripped."""
    return "\n\n".join(_WRAP.sub(" ", part.strip()) for part in _PARAGRAPH.split(text.strip()))


def split_authors(text: str) -> list[str]:
    """Split arXiv's author string (``"A. One, B. Two and C. Three"``), decoding LaTeX
    accents; parenthesised affiliations are dropped.

    >>> split_authors("C. Bal\\\\'azs, E. L. Berger (ANL), and C.-P. Yuan")
    ['C. Balázs', 'E. L. Berger', 'C.-P. Yuan']
    """
    depth, flat = 0, []
    for c in unwrap(text):  # drop "(affiliation)" groups, nested or not
        depth += c == "("
        if not depth:
            flat.append(c)
        depth -= c == ")" and depth > 0
    return [latex_to_text(name) for name in _AUTHOR_SPLIT.split("".join(flat)) if name.strip()]


def _text(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


# --- Atom ------------------------------------------------------------------------------


def _atom_records(root: Element, lines: Lines, shown: str, file: str) -> Iterator[RawRecord]:
    for entry in root.iter(_ATOM + "entry"):
        where = f"{shown}:{line_of(lines, entry)}"
        entry_id = _text(entry.find(_ATOM + "id")).strip()
        if "/api/errors" in entry_id:
            message = " ".join(_text(entry.find(_ATOM + "summary")).split())
            raise InputError(f"{where}: the arXiv API answered with an error ({message or entry_id})")
        links = [link.get("href", "") for link in entry.iter(_ATOM + "link")
                 if link.get("rel", "alternate") == "alternate"]
        categories = [c.get("term", "") for c in entry.iter(_ATOM + "category")]
        yield make_record(
            unwrap(_text(entry.find(_ATOM + "title"))),
            unwrap(_text(entry.find(_ATOM + "summary"))),
            where,
            Source(file, line_of(lines, entry), iso_date(_text(entry.find(_ATOM + "published")))),
            url=next(iter(links), "") or entry_id,
            authors=[latex_to_text(_text(a.find(_ATOM + "name"))) for a in entry.iter(_ATOM + "author")],
            venue=unwrap(_text(entry.find(_ARXIV + "journal_ref"))),
            categories=categories,
            ids=identifiers(doi=_text(entry.find(_ARXIV + "doi")), arxiv=arxiv_id(entry_id)),
        )


# --- OAI-PMH ---------------------------------------------------------------------------


def _oai_dc(meta: Element, where: str, source: Source, header_id: str) -> RawRecord:
    values = lambda name: [_text(e) for e in meta.iter(_DC + name)]  # noqa: E731
    descriptions = [d for d in values("description") if not d.strip().startswith("Comment:")]
    links = [i.strip() for i in values("identifier")]
    found_doi = next((doi(i) for i in links if doi(i)), "")
    arxiv = next((arxiv_id(i) for i in links if "arxiv.org/abs/" in i), "") or arxiv_id(header_id)
    dates = sorted(d for d in (iso_date(v) for v in values("date")) if d)
    return make_record(
        unwrap(next(iter(values("title")), "")),
        unwrap(next(iter(descriptions), "")),
        where,
        Source(source.file, source.line, dates[0] if dates else ""),
        url=next((i for i in links if i.startswith("http")), ""),
        authors=[person_name(a) for a in values("creator")],
        categories=values("subject"),
        ids=identifiers(doi=found_doi, arxiv=arxiv),
    )


def _arxiv_raw(meta: Element, where: str, source: Source, header_id: str) -> RawRecord:
    value = lambda name: _text(meta.find(_RAW + name))  # noqa: E731
    versions = [iso_date(_text(v.find(_RAW + "date"))) for v in meta.iter(_RAW + "version")]
    arxiv = arxiv_id(value("id")) or arxiv_id(header_id)
    return make_record(
        unwrap(value("title")),
        unwrap(value("abstract")),
        where,
        Source(source.file, source.line, next((d for d in versions if d), "")),
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else "",
        authors=split_authors(value("authors")),
        venue=unwrap(value("journal-ref")),
        categories=value("categories").split(),
        ids=identifiers(doi=value("doi"), arxiv=arxiv),
    )


#: OAI-PMH metadata formats read, by the local name of the metadata element.
OAI_FORMATS: dict[str, Callable[[Element, str, Source, str], RawRecord]] = {
    "dc": _oai_dc,
    "arXivRaw": _arxiv_raw,
}


def _oai_records(root: Element, lines: Lines, shown: str, file: str) -> Iterator[RawRecord]:
    for error in root.iter(_OAI + "error"):
        if error.get("code") == "noRecordsMatch":
            return
        raise InputError(
            f"{shown}:{line_of(lines, error)}: the OAI-PMH server answered with an error "
            f"({error.get('code', '?')}: {' '.join(_text(error).split())})"
        )
    for record in root.iter(_OAI + "record"):
        line = line_of(lines, record)
        where = f"{shown}:{line}"
        header = record.find(_OAI + "header")
        if header is not None and header.get("status") == "deleted":
            continue
        header_id = _text(header.find(_OAI + "identifier")) if header is not None else ""
        meta = record.find(_OAI + "metadata")
        content = next(iter(meta), None) if meta is not None else None
        if content is None:
            raise InputError(f"{where}: OAI-PMH record without metadata")
        read = OAI_FORMATS.get(local(content.tag))
        if read is None:
            raise InputError(
                f"{where}: OAI-PMH metadata format {local(content.tag)!r} is not read; "
                f"harvest with metadataPrefix oai_dc or arXivRaw"
            )
        yield read(content, where, Source(file, line), header_id)


#: XML documents read, by their root element.
ROOTS: dict[str, Callable[[Element, Lines, str, str], Iterator[RawRecord]]] = {
    _ATOM + "feed": _atom_records,
    _OAI + "OAI-PMH": _oai_records,
}


def read_arxiv_xml(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read an arXiv API Atom feed or an OAI-PMH response (``oai_dc`` / ``arXivRaw``).

    The XML is parsed safely (:func:`~paperkg.extract.read.xmlsafe.parse_xml`): entities
    and external references are refused, nothing is fetched.

    Raises
    ------
    InputError
        For XML that is not well-formed or not safe, another kind of document, an API or
        OAI-PMH error response, or a record over the length limit (naming ``file:line``).
    """
    shown, file = display(path), source_name(path, name)
    root, lines = parse_xml(read_text(path), shown)
    read = ROOTS.get(root.tag)
    if read is None:
        raise InputError(
            f"{shown}: XML root <{local(root.tag)}> is neither an arXiv Atom feed nor an OAI-PMH response"
        )
    yield from read(root, lines, shown, file)


# --- the metadata snapshot -------------------------------------------------------------


def snapshot_record(line: object, where: str, source: Source) -> RawRecord:
    """Return the record of one arXiv metadata snapshot line (see the module docstring).

    Raises
    ------
    InputError
        If the line is not a JSON object, or a field has the wrong shape.
    """
    data = mapping(line, "an arXiv snapshot record", where)
    text = lambda key: as_text(data.get(key), key, where)  # noqa: E731
    parsed = sequence(data.get("authors_parsed"), "authors_parsed", where)
    if parsed:
        authors = []
        for parts in parsed:
            names = [latex_to_text(as_text(p, "authors_parsed", where)) for p in sequence(parts, "authors_parsed", where)]
            last, first, suffix = (names + ["", "", ""])[:3]
            authors.append(" ".join(n for n in (first, last, suffix) if n))
    else:
        authors = split_authors(text("authors"))
    versions = sequence(data.get("versions"), "versions", where)
    created = [iso_date(as_text(mapping(v, "a version", where).get("created"), "created", where)) for v in versions]
    arxiv = arxiv_id(text("id"))
    return make_record(
        unwrap(text("title")),
        unwrap(text("abstract")),
        where,
        Source(source.file, source.line, next((d for d in created if d), "") or iso_date(text("update_date"))),
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else "",
        authors=authors,
        venue=unwrap(text("journal-ref")),
        categories=text("categories").split(),
        ids=identifiers(doi=text("doi"), arxiv=arxiv),
    )


def read_arxiv_snapshot(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read the arXiv metadata snapshot (JSON Lines, ``.gz`` too) as a stream.

    Raises
    ------
    InputError
        Naming ``file:line`` for a line that is not JSON or not a snapshot record.
    """
    shown, file = display(path), source_name(path, name)
    for number, value in json_lines(path):
        yield snapshot_record(value, f"{shown}:{number}", Source(file, number))
