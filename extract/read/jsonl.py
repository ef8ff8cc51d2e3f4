"""JSON Lines (``.jsonl``): one record ``{"title", "abstract", "id"?, "url"?, "date"?}`` a line,
and the JSON plumbing the bibliographic readers share (:func:`json_items`).

JSON Lines files (``.gz`` too) are read as a stream (:func:`~paperkg.extract.read.text.text_lines`):
a snapshot of millions of lines is never held in memory whole.

Lines are split on ``\\n`` only: U+2028, U+2029 and U+0085 are legal inside JSON strings and
stay there. Numbers are kept as their text (an ``"id": 12`` is the id ``"12"``; a
5,000-digit number is no error), lone surrogate escapes (``"\\ud800"``) become U+FFFD,
and a line nested too deeply for the parser is refused with its ``file:line``.

>>> loads_line('{"id": 123456789012345678901234567890}', "r.jsonl:1", numbers_as_text=True)
{'id': '123456789012345678901234567890'}
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.raw import RawRecord, record_from_fields, source_name
from paperkg.extract.read.text import display, head_text, read_text, text_lines
from paperkg.extract.records import Source

__all__ = ["is_json_lines", "json_items", "json_lines", "loads_line", "read_jsonl"]


def loads_line(line: str, where: str, *, numbers_as_text: bool = False) -> object:
    """Parse one JSON line; every failure is an :class:`~paperkg.errors.InputError`.

    Parameters
    ----------
    line:
        The line's text.
    where:
        ``file:line``, the start of any error message.
    numbers_as_text:
        Keep integers as their digits (``str``) instead of ``int``.

    Raises
    ------
    InputError
        For invalid JSON, nesting too deep to parse, or an integer over Python's
        4,300-digit limit (when ``numbers_as_text`` is false).
    """
    try:
        return json.loads(line, parse_int=str if numbers_as_text else None)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read") from None
    except ValueError:  # int("...") over sys.get_int_max_str_digits()
        raise InputError(f"{where}: a JSON number is too long to read") from None


def json_lines(
    path: Path, *, numbers_as_text: bool = False, utf8_only: bool = False
) -> Iterator[tuple[int, object]]:
    """Yield ``(line number, parsed value)`` for each non-blank line of a JSON Lines file.

    The file is streamed with :func:`~paperkg.extract.read.text.text_lines` (UTF-8, or
    UTF-16 / UTF-32 with a BOM unless ``utf8_only``; regular files only; ``.gz`` decompressed).

    Raises
    ------
    InputError
        Naming the file, and ``file:line`` for a line that cannot be parsed.
    """
    shown = display(path)
    for number, line in text_lines(path, utf8_only=utf8_only):
        if line.strip():
            yield number, loads_line(line, f"{shown}:{number}", numbers_as_text=numbers_as_text)


def is_json_lines(path: str | Path) -> bool:
    """Whether ``path`` is JSON Lines by its name (``.jsonl``, ``.ndjson``, either ``.gz``).

    >>> is_json_lines("works.jsonl.gz"), is_json_lines("page.json")
    (True, False)
    """
    name = str(path).lower().removesuffix(".gz")
    return name.endswith((".jsonl", ".ndjson"))


def _line_by_line(path: Path) -> bool:
    """JSON Lines by name (``.jsonl``), a document by name (``.json``); for any other name
    (a format forced on ``part_000.gz``), JSON Lines when the first line is a whole value."""
    if is_json_lines(path):
        return True
    if str(path).lower().removesuffix(".gz").endswith(".json"):
        return False
    first = next((line for line in head_text(path).split("\n") if line.strip()), "")
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return False
    return True


def json_items(
    path: Path, *, pages: Sequence[str] = ()
) -> Iterator[tuple[str, int, object]]:
    """Yield ``(where, position, item)`` for each record of a JSON document or JSON Lines file.

    A JSON Lines file (by name, or any file but ``.json`` whose first line is a whole JSON
    value) is streamed; each line is one item (``where`` is ``file:line``,
    ``position`` the line). A JSON document is read whole: a list gives its items, an object
    holding a list under one of ``pages`` (an API page: ``"results"``, ``"data"``) gives that
    list's items, any other object is one item; ``where`` is ``file: record N`` and
    ``position`` is N. A JSON Lines line that is itself such a page gives its items too.

    Raises
    ------
    InputError
        For text that is not JSON, naming ``file:line`` or the file.
    """
    shown = display(path)

    def unwrap(value: object) -> list[object] | None:
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            for key in pages:
                if isinstance(value.get(key), list):
                    return value[key]
        return None

    if _line_by_line(path):
        for number, value in json_lines(path):
            items = unwrap(value)
            if items is None:
                yield f"{shown}:{number}", number, value
            else:
                for k, item in enumerate(items, start=1):
                    yield f"{shown}:{number} (record {k})", number, item
        return
    text = read_text(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{shown}:{err.lineno}: not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise InputError(f"{shown}: JSON nested too deeply to read") from None
    except ValueError:
        raise InputError(f"{shown}: a JSON number is too long to read") from None
    items = unwrap(value)
    for k, item in enumerate([value] if items is None else items, start=1):
        yield f"{shown}: record {k}", k, item


def read_jsonl(path: Path, *, name: str | None = None) -> Iterator[RawRecord]:
    """Read JSON Lines records ``{"title", "abstract", "id"?, "url"?, "date"?}``.

    Raises
    ------
    InputError
        Naming ``file:line`` for a line that is not JSON, a record without a title, a field
        that is not text, or a field over the length limit.
    """
    shown, file = display(path), source_name(path, name)
    for number, value in json_lines(path, numbers_as_text=True):
        yield record_from_fields(value, f"{shown}:{number}", Source(file, number))
