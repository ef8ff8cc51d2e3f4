"""CSV (``.csv``): a header row with a ``title`` column, ``abstract``, ``id``, ``url`` and
``date`` optional; column names are matched without case or surrounding spaces.

Each record is named by the line it starts on. Rows whose cells are all blank are skipped;
cells past the header are ignored and missing cells are empty. A field over the csv
module's 131,072-character limit is refused with its ``file:line`` (paperkg keeps at most
:data:`~paperkg.extract.read.text.MAX_TEXT_CHARS` per field anyway), as is a header naming
a column twice.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.raw import FIELDS, RawRecord, record_from_fields, source_name
from paperkg.extract.read.text import display, read_text
from paperkg.extract.records import Source

__all__ = ["read_csv"]


def _header(row: list[str], where: str) -> list[str]:
    columns = [cell.strip().lower() for cell in row]
    for name in FIELDS:
        if columns.count(name) > 1:
            raise InputError(f"{where}: the CSV header names the column {name!r} twice")
    if "title" not in columns:
        raise InputError(f"{where}: the CSV header has no 'title' column")
    return columns


def read_csv(path: Path, *, name: str | None = None) -> list[RawRecord]:
    """Read a CSV file with a header row holding ``title`` and ``abstract`` columns.

    Raises
    ------
    InputError
        For a header without ``title``, malformed CSV, a record without a title, or a
        field over the length limit, naming ``file:line``.
    """
    shown, file = display(path), source_name(path, name)
    # strict: a quote left open is an error, not a field that swallows the rest of the file
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    columns: list[str] | None = None
    records = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise InputError(
                    f"{shown}:{start}: a CSV field is longer than {csv.field_size_limit():,} characters"
                ) from None
            raise InputError(f"{shown}:{start}: not valid CSV ({err})") from None
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = _header(row, f"{shown}:{start}")
            continue
        if any(cell.strip() for cell in row[len(columns):]):
            raise InputError(f"{shown}:{start}: the row has {len(row)} fields and the header {len(columns)}")
        fields = dict(reversed(list(zip(columns, row))))  # the first column of a name wins
        records.append(record_from_fields(fields, f"{shown}:{start}", Source(file, start)))
    if columns is None:
        raise InputError(f"{shown}: the CSV file has no header row")
    return records
