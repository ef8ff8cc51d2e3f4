"""Readers for paperkg's input formats, chosen by file suffix from one table.

* Daily-papers pages (``.txt``, :mod:`~paperkg.extract.read.page`): a header, the page
  date, then alternating title and abstract paragraphs separated by blank lines.
* JSON Lines (``.jsonl``, :mod:`~paperkg.extract.read.jsonl`) and CSV (``.csv``,
  :mod:`~paperkg.extract.read.csvfile`) with ``title`` and ``abstract`` fields and optional
  ``id``, ``url`` and ``date``.

A new format is one module in this folder with a :class:`~paperkg.extract.read.raw.Reader`
function, added to :data:`READERS`. Every reader reads through
:func:`~paperkg.extract.read.text.read_text` (regular files only; UTF-8, or UTF-16 / UTF-32
with a BOM) and builds records with :func:`~paperkg.extract.read.raw.make_record` (lone
surrogates become U+FFFD; a field over
:data:`~paperkg.extract.read.text.MAX_TEXT_CHARS` is refused naming ``file:line``).

Texts are kept exactly as given (only the surrounding whitespace is dropped and newlines
become ``\\n``), so mention offsets point into them. The same paper read from several files
is one :class:`~paperkg.extract.records.Paper` with all its sources; each source names its
file by the path relative to the folder all inputs share, so ``dA/papers.jsonl`` and
``dB/papers.jsonl`` stay apart. The result does not depend on the order of the inputs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.csvfile import read_csv
from paperkg.extract.read.jsonl import read_jsonl
from paperkg.extract.read.merge import code_urls, merge_records, paper_id
from paperkg.extract.read.page import read_page
from paperkg.extract.read.raw import RawRecord, Reader
from paperkg.extract.read.text import MAX_TEXT_CHARS, display, file_kind, read_text
from paperkg.extract.records import Paper

__all__ = [
    "MAX_TEXT_CHARS",
    "READERS",
    "RawRecord",
    "code_urls",
    "input_files",
    "merge_records",
    "paper_id",
    "read_csv",
    "read_jsonl",
    "read_page",
    "read_papers",
    "read_text",
]

#: Readers by file suffix (lower case).
READERS: dict[str, Reader] = {
    ".txt": read_page,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        broken = os.path.islink(path)
        raise InputError(f"{display(path)}: {'a broken symbolic link' if broken else 'no such file or folder'}") from None
    except OSError as err:  # ELOOP (a symbolic link loop), EACCES, ENAMETOOLONG, ...
        raise InputError(f"{display(path)}: cannot open ({err.strerror or type(err).__name__})") from None
    except ValueError:  # a NUL character in the path
        raise InputError(f"{display(path)}: not a valid path") from None


def _folder(path: Path) -> list[Path]:
    try:
        inside = [p for p in path.iterdir() if p.suffix.lower() in READERS]
    except OSError as err:
        raise InputError(f"{display(path)}: cannot list the folder ({err.strerror or type(err).__name__})") from None
    if not inside:
        raise InputError(f"{display(path)}: no input files ({', '.join(READERS)}) in this folder")
    return inside


def input_files(paths: Iterable[str | os.PathLike]) -> dict[str, Path]:
    """Return the input files of ``paths`` (folders expanded, one level) by source name.

    A source name is the file's path relative to the folder all the files share (just the
    file name when there is one folder), in ``/`` form, so it names the file whatever the
    argument order or working folder. A file given twice (directly, through its folder or
    a symbolic link) is read once. Names are sorted.

    Raises
    ------
    InputError
        For a missing path, an empty folder, a file of unknown format, or a path that is not
        a regular file (a FIFO or a device is refused, never read).
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        mode = _stat(path).st_mode
        if stat.S_ISDIR(mode):
            files.extend(_folder(path))
        elif not stat.S_ISREG(mode):
            raise InputError(f"{display(path)}: {file_kind(mode)}, not a regular file")
        elif path.suffix.lower() not in READERS:
            raise InputError(
                f"{display(path)}: unknown input format {display(path.suffix)!r}; known: {', '.join(READERS)}"
            )
        else:
            files.append(path)
    if not files:
        raise InputError("no input files given")
    unique: dict[str, Path] = {}
    for path in sorted(files, key=lambda p: os.path.abspath(p)):
        unique.setdefault(os.path.realpath(path), path)
    absolute = {path: os.path.abspath(path) for path in unique.values()}
    try:
        parent = os.path.commonpath([os.path.dirname(a) for a in absolute.values()])
    except ValueError:  # different drives
        parent = ""
    named: dict[str, Path] = {}
    for path, a in absolute.items():
        name = display(Path(os.path.relpath(a, parent) if parent else a).as_posix())
        if name in named:  # only when escaping control characters makes two names equal
            raise InputError(f"{name}: two input files have this name")
        named[name] = path
    return dict(sorted(named.items()))


def read_papers(paths: Iterable[str | os.PathLike]) -> list[Paper]:
    """Read every input file (folders are expanded) and return the merged papers.

    Files are read in the order of their source names, so even the first error reported
    does not depend on the argument order.

    Raises
    ------
    InputError
        For a missing, unreadable, empty, binary or malformed input, a record over the
        length limit, or one id given to different titles; the message is one line and
        names the file (and line).
    """
    records: list[RawRecord] = []
    for name, path in input_files(paths).items():
        found = READERS[path.suffix.lower()](path, name=name)
        if not found:  # a CSV header without rows
            raise InputError(f"{display(path)}: no paper records in this file")
        records.extend(found)
    return merge_records(records)
