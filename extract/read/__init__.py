"""Reading paper records: one reader per input format, chosen from a table by suffix.

:func:`paperkg.extract.read.readers.read_papers` turns files and folders into
:class:`~paperkg.extract.records.Paper` records, merging the same paper seen in several files.

The room, in reading order: ``text`` (bytes to safe text: regular files only, encodings,
gzip, line-by-line streams, lone surrogates, the length limit), ``raw``
(:class:`~paperkg.extract.read.raw.RawRecord` and the reader signature), the shared helpers
``ids`` (DOIs, arXiv ids, ISO dates), ``latex`` (LaTeX to Unicode, person names) and
``xmlsafe`` (XML without entities or network), one module per format (``page``, ``jsonl``,
``csvfile``, ``arxiv``, ``openalex``, ``s2``, ``bibtex``, ``ris``, ``csljson``), ``merge``
(ids and merging) and ``readers`` (the tables by format name and suffix, sniffing, and
``read_papers``).
"""
