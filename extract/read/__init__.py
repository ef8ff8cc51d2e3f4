"""Reading paper records: one reader per input format, chosen from a table by suffix.

:func:`paperkg.extract.read.readers.read_papers` turns files and folders into
:class:`~paperkg.extract.records.Paper` records, merging the same paper seen in several files.
"""
