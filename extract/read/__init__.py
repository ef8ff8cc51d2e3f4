"""Reading paper records: one reader per input format, chosen from a table by suffix.

:func:`paperkg.extract.read.readers.read_papers` turns files and folders into
:class:`~paperkg.extract.records.Paper` records, merging the same paper seen in several files.

The room, in reading order: ``text`` (bytes to safe text: regular files only, encodings,
lone surrogates, the length limit), ``raw`` (:class:`~paperkg.extract.read.raw.RawRecord`
and the reader signature), one module per format (``page``, ``jsonl``, ``csvfile``),
``merge`` (ids and merging) and ``readers`` (the table by suffix and ``read_papers``).
"""
