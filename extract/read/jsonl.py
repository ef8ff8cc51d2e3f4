"""JSON Lines (``.jsonl``): one record ``{"title", "abstract", "id"?, "url"?, "date"?}`` a line.

Lines are split on ``\\n`` only: U+2028, U+2029 and U+0085 are legal inside JSON strings and
stay there. Numbers are kept as their text (an ``"id": 12`` is the id ``"12"``; a
5,000-digit number is no error), lone surrogate escapes (``"\\ud800"``) become U+FFFD,
and a line nested too deeply for the parser is refused with its ``file:line``.

>>> loads_line('{"id": 123456789012345678901234567890}', "r.jsonl:1", numbers_as_text=True)
{'id': '123456789012345678901234567890'}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.raw import RawRecord, record_from_fields, source_name
from paperkg.extract.read.text import display, read_text
from paperkg.extract.records import Source

__all__ = ["json_lines", "loads_line", "read_jsonl"]


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

    The file is read with :func:`~paperkg.extract.read.text.read_text` (UTF-8, or UTF-16 /
    UTF-32 with a BOM unless ``utf8_only``; regular files only).

    Raises
    ------
    InputError
        Naming the file, and ``file:line`` for a line that cannot be parsed.
    """
    shown = display(path)
    for number, line in enumerate(read_text(path, utf8_only=utf8_only).split("\n"), start=1):
        if line.strip():
            yield number, loads_line(line, f"{shown}:{number}", numbers_as_text=numbers_as_text)


def read_jsonl(path: Path, *, name: str | None = None) -> list[RawRecord]:
    """Read JSON Lines records ``{"title", "abstract", "id"?, "url"?, "date"?}``.

    Raises
    ------
    InputError
        Naming ``file:line`` for a line that is not JSON, a record without a title, a field
        that is not text, or a field over the length limit.
    """
    shown, file = display(path), source_name(path, name)
    return [
        record_from_fields(value, f"{shown}:{number}", Source(file, number))
        for number, value in json_lines(path, numbers_as_text=True)
    ]
