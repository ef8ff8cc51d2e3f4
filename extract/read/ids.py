"""Identifiers and dates as the bibliographic sources write them, normalised once.

Every reader turns what its format gives into the same small vocabulary:

* identifiers ``"scheme:value"`` — ``doi:10.1145/3292500.3330701`` (lower case, no resolver
  prefix), ``arxiv:1706.03762`` or ``arxiv:hep-th/9901001`` (no version, no ``arXiv:``
  prefix), ``openalex:W2741809807``, ``s2:<paperId>`` (Semantic Scholar) and
  ``s2corpus:<CorpusId>``; a DOI of arXiv's own (``10.48550/arXiv.X``) is the arXiv id ``X``;
* dates ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (ISO 8601, as precise as the source is).

:data:`ID_SCHEMES` is the order in which an identifier becomes a paper's id
(:func:`paperkg.extract.read.merge.merge_records`).

>>> doi("https://doi.org/10.1145/3292500.3330701 "), doi("DOI: 10.1000/ABC"), doi("n/a")
('10.1145/3292500.3330701', '10.1000/abc', '')
>>> arxiv_id("http://arxiv.org/abs/1706.03762v5"), arxiv_id("oai:arXiv.org:hep-th/9901001")
('1706.03762', 'hep-th/9901001')
>>> identifiers(doi="10.48550/arXiv.1706.03762", openalex="https://openalex.org/W1")
('arxiv:1706.03762', 'openalex:W1')
>>> iso_date("Mon, 2 Apr 2007 19:18:42 GMT"), iso_date("2017-06-12T17:57:34Z"), iso_date([2019, 6])
('2007-04-02', '2017-06-12', '2019-06')
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_tz

__all__ = [
    "ID_SCHEMES",
    "arxiv_id",
    "doi",
    "identifiers",
    "iso_date",
    "month_number",
]

#: Identifier schemes, in the order they become a paper's id.
ID_SCHEMES: tuple[str, ...] = ("doi", "arxiv", "openalex", "s2", "s2corpus")

_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\w.])")
_ARXIV_OLD = re.compile(r"(?<![\w.])([a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?!\w)", re.IGNORECASE)
_OPENALEX = re.compile(r"(?:^|/)([WASICFP]\d+)$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def doi(text: str) -> str:
    """Return the DOI in ``text`` (a bare DOI, ``doi:``, a ``doi.org`` link), lower case;
    ``""`` when there is none. Trailing sentence punctuation is not part of it."""
    m = _DOI.search(text or "")
    return m.group(1).rstrip(".,;").lower() if m else ""


_doi = doi  # the function, where a parameter is named ``doi``


def arxiv_id(text: str) -> str:
    """Return the arXiv id in ``text`` (``2101.00001``, ``arXiv:2101.00001v2``, an
    ``arxiv.org/abs/`` or ``/pdf/`` link, ``oai:arXiv.org:…``, ``hep-th/9901001``) without
    its version; ``""`` when there is none."""
    text = (text or "").strip()
    m = _ARXIV_DOI.match(doi(text)) if "10.48550" in text else None
    if m:
        text = m.group(1)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        found = pattern.search(text)
        if found:
            return found.group(1)
    return ""


def identifiers(
    *,
    doi: str = "",
    arxiv: str = "",
    openalex: str = "",
    s2: str = "",
    s2corpus: str = "",
) -> tuple[str, ...]:
    """Return the normalised ``"scheme:value"`` identifiers of one record, in
    :data:`ID_SCHEMES` order, each scheme at most once."""
    found: dict[str, str] = {}
    doi_value = _doi(doi)
    arxiv_from_doi = _ARXIV_DOI.match(doi_value)
    if arxiv_from_doi:
        arxiv = arxiv or arxiv_from_doi.group(1)
    elif doi_value:
        found["doi"] = doi_value
    if arxiv and arxiv_id(arxiv):
        found["arxiv"] = arxiv_id(arxiv)
    m = _OPENALEX.search((openalex or "").strip())
    if m:
        found["openalex"] = m.group(1).upper()
    if (s2 or "").strip():
        found["s2"] = s2.strip().lower()
    if str(s2corpus or "").strip():
        found["s2corpus"] = str(s2corpus).strip()
    return tuple(f"{scheme}:{found[scheme]}" for scheme in ID_SCHEMES if scheme in found)


def month_number(text: str) -> int:
    """Return the month 1–12 of ``"6"``, ``"jun"``, ``"June"``; 0 when it is none.

    >>> month_number("June"), month_number("11"), month_number("spring")
    (6, 11, 0)
    """
    text = str(text).strip().lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else 0
    return _MONTHS.index(text[:3]) + 1 if len(text) >= 3 and text[:3] in _MONTHS else 0


def _valid(year: int, month: int = 0, day: int = 0) -> str:
    if not 1000 <= year <= 9999:
        return ""
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def iso_date(value: object) -> str:
    """Return ``value`` as an ISO date ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``, or ``""``.

    Accepts ISO text (a time part is dropped), an RFC 2822 date (arXiv's version dates), a
    bare year (text or number) and CSL ``date-parts`` (``[2019, 6, 1]``). An impossible day
    or month is dropped rather than invented (``2019-02-30`` → ``2019-02``).
    """
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return _valid(value)
    if isinstance(value, (list, tuple)):
        parts = []
        for part in value[:3]:
            try:
                parts.append(int(str(part).strip()))
            except ValueError:
                break
        return _valid(*parts) if parts else ""
    text = str(value).strip()
    m = _ISO.match(text)
    if m:
        return _valid(*(int(g) for g in m.groups() if g))
    parsed = parsedate_tz(text) if text else None
    if parsed and parsed[0]:
        return _valid(parsed[0], parsed[1], parsed[2])
    return ""
