"""What every reader returns: :class:`RawRecord`, one record as read, before merging.

A reader is a function ``reader(path, *, name=None) -> list[RawRecord]`` (:class:`Reader`):
``path`` is the file as the user named it (error messages use it), ``name`` the source
name stored in each record's :class:`~paperkg.extract.records.Source` (by default the file
name; :func:`paperkg.extract.read.readers.read_papers` passes a path relative to the
common folder of all inputs, so two ``papers.jsonl`` in different folders stay apart).
Readers build records with :func:`make_record` or :func:`record_from_fields`, which clean
and check every text the same way.

>>> r = record_from_fields({"title": " T\\ud800 ", "id": "12"}, "r.jsonl:1", Source("r.jsonl", 1))
>>> (r.title, r.abstract, r.id)
('T\\ufffd', '', '12')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from paperkg.errors import InputError
from paperkg.extract.read.text import check_length, clean_text, display
from paperkg.extract.records import Source

__all__ = ["FIELDS", "RawRecord", "Reader", "make_record", "record_from_fields", "source_name"]

#: The record fields readers look for; ``title`` is required.
FIELDS: tuple[str, ...] = ("title", "abstract", "id", "url", "date")


@dataclass(frozen=True)
class RawRecord:
    """One record as read, before papers read several times are merged.

    ``where`` is ``file:line`` as the user named the file, for error messages.
    """

    title: str
    abstract: str
    source: Source
    id: str = ""
    url: str = ""
    where: str = field(default="", compare=False)


class Reader(Protocol):
    """A reader of one input format."""

    def __call__(self, path: Path, *, name: str | None = None) -> list[RawRecord]: ...


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
) -> RawRecord:
    """Return a :class:`RawRecord` with every text cleaned (lone surrogates → U+FFFD),
    stripped and checked against :data:`~paperkg.extract.read.text.MAX_TEXT_CHARS`.

    Raises
    ------
    InputError
        ``"<where>: record has no 'title'"`` or a field over the length limit.
    """
    title = _clean(title, "title", where)
    if not title:
        raise InputError(f"{where}: record has no 'title'")
    return RawRecord(
        title=title,
        abstract=_clean(abstract, "abstract", where),
        source=Source(source.file, source.line, _clean(source.date, "date", where)),
        id=_clean(id, "id", where),
        url=_clean(url, "url", where),
        where=where,
    )


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
        If ``record`` is not a mapping, has no title, or a field is not text.
    """
    if not isinstance(record, Mapping):
        raise InputError(f"{where}: expected a JSON object with a 'title'")
    title, abstract, id_, url, date = (_field(record, name, where) for name in FIELDS)
    return make_record(title, abstract, where, Source(source.file, source.line, date), id=id_, url=url)


def source_name(path: str | os.PathLike, name: str | None) -> str:
    """The source name a reader stores: ``name``, or else the file name of ``path``."""
    return name if name is not None else display(Path(path).name)
