"""Merging records into papers: ids, code links, and the same paper read several times.

Records of one paper are tied by an explicit ``id`` (JSON Lines, CSV), by an identifier
(the same DOI, arXiv id, OpenAlex id or Semantic Scholar id) or by the same normalised title.
A paper's id is its explicit id, else its first identifier (``doi:…`` before ``arxiv:…``
before ``openalex:…`` before ``s2:…``), else :func:`paper_id` of the title (a hash of its
normalised text, stable across runs and file orders). Records with one explicit id are one
paper only when their titles agree (case, punctuation and spacing aside); **the same id on
different titles is an error** naming both records, because keeping either one silently
would lose a paper, and which one would depend on file order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from paperkg.errors import InputError
from paperkg.extract.read.ids import ID_SCHEMES
from paperkg.extract.read.page import earliest_date
from paperkg.extract.read.raw import RawRecord
from paperkg.extract.records import Paper

__all__ = ["code_urls", "merge_records", "paper_id", "title_key"]

_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_CODE_URL = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|"
    r"codeberg\.org|sourceforge\.net|git\.[\w.-]+)/[^\s<>\"'{}|\\^`\]]*",
    re.IGNORECASE,
)


def code_urls(text: str) -> tuple[str, ...]:
    """Return the code-repository URLs in ``text``, in order, without duplicates.

    >>> code_urls("Code: https://github.com/a/b. Also https://github.com/a/b")
    ('https://github.com/a/b',)
    """
    found = [m.group(0).rstrip(".,;:)") for m in _CODE_URL.finditer(text)]
    return tuple(dict.fromkeys(found))


def title_key(title: str) -> str:
    """Return the normalised title two records of one paper share: NFKC, case-folded,
    words only; a title without any word character keeps its other characters.

    >>> title_key("Attention Is All You Need.") == title_key("attention  is all you need")
    True
    >>> title_key("???") == title_key("!!!")
    False
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text)) or " ".join(text.split())


def paper_id(title: str) -> str:
    """Return the stable id of a paper without an explicit one: a hash of its title.

    Case, punctuation and spacing do not change it.

    >>> paper_id("Attention Is All You Need") == paper_id("attention is all you need.")
    True
    """
    key = title_key(title).encode("utf-8", "surrogatepass")
    return "p" + hashlib.sha1(key).hexdigest()[:12]


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _paper_date(dates: Iterable[str]) -> str:
    """The paper's date: the earliest ISO date (the most precise one that agrees with it:
    ``2017-06-12`` over ``2017``), else the earliest page date."""
    dates = [d for d in dates if d]
    iso = [d for d in dates if _ISO_DATE.match(d)]
    if not iso:
        return earliest_date(dates)
    first = min(iso)
    return min((d for d in iso if d.startswith(first)), key=lambda d: (-len(d), d))


def _keys(record: RawRecord) -> list[tuple[str, str]]:
    """What ties a record to others of the same paper: its explicit id, its identifiers,
    and (without an explicit id) its normalised title."""
    keys = [("id", record.id)] if record.id else [("title", title_key(record.title))]
    return keys + [("ids", i) for i in record.ids]


def _groups(records: list[RawRecord]) -> list[list[RawRecord]]:
    """Records tied by any shared key (union–find), each group in source order."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, record in enumerate(records):
        for key in _keys(record):
            j = first.setdefault(key, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[RawRecord]] = {}
    for i, record in enumerate(records):
        groups.setdefault(root(i), []).append(record)
    return list(groups.values())


def _group_id(group: list[RawRecord]) -> str:
    """A paper's id: an explicit id, else the first identifier by scheme
    (:data:`~paperkg.extract.read.ids.ID_SCHEMES`, the smallest of a scheme), else
    :func:`paper_id` of the title."""
    explicit = sorted({r.id for r in group if r.id})
    if explicit:
        return explicit[0]
    known = {i for r in group for i in r.ids}
    for scheme in ID_SCHEMES:
        found = sorted(i for i in known if i.startswith(scheme + ":"))
        if found:
            return found[0]
    return paper_id(group[0].title)


def _check_titles(group: list[RawRecord]) -> None:
    """One explicit id on records with different titles is an error naming both."""
    seen: dict[str, RawRecord] = {}
    for other in group:
        if not other.id:
            continue
        first = seen.setdefault(other.id, other)
        if title_key(other.title) != title_key(first.title):
            raise InputError(
                f"{other.where or other.source.file}: the id {other.id!r} is also used by "
                f"{first.where or first.source.file} for a different title "
                f"({_short(other.title)} vs {_short(first.title)}); give each paper its own id"
            )


def merge_records(records: Iterable[RawRecord]) -> list[Paper]:
    """Merge records of the same paper into papers.

    Records are one paper when they share an explicit id, an identifier (DOI, arXiv id,
    OpenAlex id, Semantic Scholar id) or, without an explicit id, the normalised title.
    Within a paper the records are taken in source order (file, line): the first gives the
    title, the longest abstract wins (the first of equal length), the first with authors,
    a venue or a link gives them, categories and identifiers are joined, and the date is the
    earliest publication date (else the earliest page date). Papers are sorted by id, so
    the result does not depend on file order. Records without a title are ignored.

    Raises
    ------
    InputError
        If one explicit id is given to records with different titles (the message names
        both), or two papers end up with one id.
    """
    ordered = sorted(
        (r for r in records if not r.skipped),
        key=lambda r: (r.source, r.title, r.abstract, r.id, r.url, r.ids),
    )
    papers: dict[str, Paper] = {}
    for group in _groups(ordered):
        _check_titles(group)
        pid = _group_id(group)
        first = group[0]
        if pid in papers:  # an explicit id equal to another paper's identifier
            raise InputError(
                f"{first.where or first.source.file}: the id {pid!r} names two different papers"
            )
        abstract = max((r.abstract for r in group), key=len)
        papers[pid] = Paper(
            id=pid,
            title=first.title,
            abstract=abstract,
            date=_paper_date(r.source.date for r in group),
            url=next((r.url for r in group if r.url), ""),
            sources=tuple(sorted({r.source for r in group})),
            code_urls=code_urls(abstract),
            authors=next((r.authors for r in group if r.authors), ()),
            venue=next((r.venue for r in group if r.venue), ""),
            categories=tuple(dict.fromkeys(c for r in group for c in r.categories)),
            ids=tuple(sorted({i for r in group for i in r.ids}, key=_id_order)),
        )
    return [papers[pid] for pid in sorted(papers)]


def _id_order(identifier: str) -> tuple[int, str]:
    scheme = identifier.partition(":")[0]
    return (ID_SCHEMES.index(scheme) if scheme in ID_SCHEMES else len(ID_SCHEMES), identifier)
