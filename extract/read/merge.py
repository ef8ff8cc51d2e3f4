"""Merging records into papers: ids, code links, and the same paper read several times.

Records of one paper share an id: their explicit ``id``, or, without one, :func:`paper_id`
of the title (a hash of its normalised text, stable across runs and file orders). Records
with the same id are one paper only when their titles agree (case, punctuation and spacing
aside); **the same id on different titles is an error** naming both records, because
keeping either one silently would lose a paper, and which one would depend on file order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from paperkg.errors import InputError
from paperkg.extract.read.page import earliest_date
from paperkg.extract.read.raw import RawRecord
from paperkg.extract.records import Paper

__all__ = ["code_urls", "merge_records", "paper_id", "title_key"]

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


def merge_records(records: Iterable[RawRecord]) -> list[Paper]:
    """Merge records of the same paper (same id, or same normalised title) into papers.

    Within a paper the records are taken in source order (file, line): the first gives the
    title, the longest abstract wins (the first of equal length), and the earliest page date
    is the paper's date. Papers are sorted by id, so the result does not depend on file order.

    Raises
    ------
    InputError
        If one id is given to records with different titles (the message names both).
    """
    groups: dict[str, list[RawRecord]] = {}
    for record in sorted(records, key=lambda r: (r.source, r.title, r.abstract, r.id, r.url)):
        groups.setdefault(record.id or paper_id(record.title), []).append(record)
    papers = []
    for pid in sorted(groups):
        group = groups[pid]
        first = group[0]
        for other in group[1:]:
            if title_key(other.title) != title_key(first.title):
                raise InputError(
                    f"{other.where or other.source.file}: the id {pid!r} is also used by "
                    f"{first.where or first.source.file} for a different title "
                    f"({_short(other.title)} vs {_short(first.title)}); give each paper its own id"
                )
        abstract = max((r.abstract for r in group), key=len)
        papers.append(
            Paper(
                id=pid,
                title=first.title,
                abstract=abstract,
                date=earliest_date([r.source.date for r in group]),
                url=next((r.url for r in group if r.url), ""),
                sources=tuple(sorted({r.source for r in group})),
                code_urls=code_urls(abstract),
            )
        )
    return papers
