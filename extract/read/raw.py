"""What every reader returns: :class:`RawRecord`, one record as read, before merging.

A reader is a function ``reader(path, *, name=None) -> Iterable[RawRecord]`` (:class:`Reader`),
usually a generator, so a large file is read as a stream:
``path`` is the file as the user named it (error messages use it), ``name`` the source
name stored in each record's :class:`~paperkg.extract.records.Source` (by default the file
name; :func:`paperkg.extract.read.readers.read_papers` passes a path relative to the
common folder of all inputs, so two ``papers.jsonl`` in different folders stay apart).
Readers build records with :func:`make_record` or :func:`record_from_fields`, which clean
and check every text the same way. A record without a title is still returned, with an
empty ``title`` (:attr:`RawRecord.skipped`): the caller reports it as ``file:line`` and skips
it, so one bad record does not stop a build of thousands.

>>> r = record_from_fields({"title": " T\\ud800 ", "id": "12"}, "r.jsonl:1", Source("r.jsonl", 1))
>>> (r.title, r.abstract, r.id)
('T\\ufffd', '', '12')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from paperkg.errors import InputError
from paperkg.extract.read.text import check_length, clean_text, display
from paperkg.extract.records import Source

__all__ = [
    "FIELDS",
    "RawRecord",
    "Reader",
    "as_text",
    "make_record",
    "mapping",
    "record_from_fields",
    "sequence",
    "skip_message",
    "source_name",
]

#: The record fields readers look for; ``title`` is required.
FIELDS: tuple[str, ...] = ("title", "abstract", "id", "url", "date")


@dataclass(frozen=True)
class RawRecord:
    """One record as read, before papers read several times are merged.

    ``where`` is ``file:line`` (or ``file: entry KEY``) as the user named the file, for
    messages. ``id`` is an explicit id given by the record (JSON Lines, CSV); ``ids`` are
    the normalised identifiers of :mod:`paperkg.extract.read.ids`.
    """

    title: str
    abstract: str
    source: Source
    id: str = ""
    url: str = ""
    where: str = field(default="", compare=False)
    authors: tuple[str, ...] = ()
    venue: str = ""
    categories: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    @property
    def skipped(self) -> bool:
        """Whether the record has no title (reported and skipped, not a paper)."""
        return not self.title


class Reader(Protocol):
    """A reader of one input format."""

    def __call__(self, path: Path, *, name: str | None = None) -> Iterable[RawRecord]: ...


def _clean(value: str, what: str, where: str) -> str:
    return check_length(clean_text(value).strip(), what, where)


def make_record(
    title: str,
    abstract: str,
    where: str,
    source: Source,
    *,
    id: str = "",
    url: str = "",
    authors: Iterable[str] = (),
    venue: str = "",
    categories: Iterable[str] = (),
    ids: Iterable[str] = (),
) -> RawRecord:
    """Return a :class:`RawRecord` with every text cleaned (lone surrogates → U+FFFD),
    stripped and checked against :data:`~paperkg.extract.read.text.MAX_TEXT_CHARS`.

    A blank title gives a record with ``title == ""`` (:attr:`RawRecord.skipped`). Empty
    authors and categories are dropped, and repeats of one kept once, in order.

    Raises
    ------
    InputError
        For a field over the length limit.
    """
    title = _clean(title, "title", where)
    return RawRecord(
        title=title,
        abstract=_clean(abstract, "abstract", where),
        source=Source(source.file, source.line, _clean(source.date, "date", where)),
        id=_clean(id, "id", where),
        url=_clean(url, "url", where),
        where=where,
        authors=_clean_all(authors, "author", where),
        venue=_clean(venue, "venue", where),
        categories=_clean_all(categories, "category", where),
        ids=_clean_all(ids, "identifier", where),
    )


def _clean_all(values: Iterable[str], what: str, where: str) -> tuple[str, ...]:
    cleaned = (" ".join(_clean(v, what, where).split()) for v in values)
    return tuple(dict.fromkeys(v for v in cleaned if v))


def skip_message(record: RawRecord) -> str:
    """The one-line warning for a record without a title."""
    return f"{record.where or record.source.file}: record has no 'title'; skipped"


def _field(record: Mapping, name: str, where: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(f"{where}: field {name!r} must be text, not {type(value).__name__}")
    if isinstance(value, int):  # a mapping built in Python; the JSON reader keeps numbers as text
        try:
            return str(value)
        except ValueError:  # over Python's 4,300-digit limit for int -> str
            raise InputError(f"{where}: field {name!r} is a number too long to be text") from None
    return value


def record_from_fields(record: object, where: str, source: Source) -> RawRecord:
    """Return the :class:`RawRecord` of one parsed record (a JSON object, a CSV row).

    Raises
    ------
    InputError
        If ``record`` is not a mapping or a field is not text.
    """
    if not isinstance(record, Mapping):
        raise InputError(f"{where}: expected a JSON object with a 'title'")
    title, abstract, id_, url, date = (_field(record, name, where) for name in FIELDS)
    return make_record(title, abstract, where, Source(source.file, source.line, date), id=id_, url=url)


def source_name(path: str | os.PathLike, name: str | None) -> str:
    """The source name a reader stores: ``name``, or else the file name of ``path``."""
    return name if name is not None else display(Path(path).name)


def as_text(value: object, what: str, where: str) -> str:
    """Return a JSON value that should be text as text: ``None`` is ``""``, a number is its
    digits; anything else (a list, an object, a bool) is an error naming ``where``.

    >>> as_text(2017, "year", "w.json: record 1"), as_text(None, "title", "w")
    ('2017', '')

    Raises
    ------
    InputError
        ``"<where>: field '<what>' must be text, not <type>"``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:
            raise InputError(f"{where}: field {what!r} is a number too long to be text") from None
    raise InputError(f"{where}: field {what!r} must be text, not {type(value).__name__}")


def mapping(value: object, what: str, where: str) -> Mapping:
    """Return ``value`` if it is a JSON object (``None`` is an empty one), else refuse it.

    Raises
    ------
    InputError
        ``"<where>: expected a JSON object for <what>, not <type>"``.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(f"{where}: expected a JSON object for {what}, not {type(value).__name__}")
    return value


def sequence(value: object, what: str, where: str) -> list:
    """Return ``value`` if it is a JSON list (``None`` is an empty one), else refuse it.

    Raises
    ------
    InputError
        ``"<where>: expected a JSON list for <what>, not <type>"``.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a JSON list for {what}, not {type(value).__name__}")
    return value
