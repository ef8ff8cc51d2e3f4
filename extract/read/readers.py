"""Readers for paperkg's input formats, chosen from one table by suffix, then by content.

==================  ============================  =============================================
format name         suffixes                      module
==================  ============================  =============================================
``page``            ``.txt``                      :mod:`~paperkg.extract.read.page` (daily-papers pages)
``jsonl``           ``.jsonl``                    :mod:`~paperkg.extract.read.jsonl` (``title``, ``abstract``, ``id``, ``url``, ``date``)
``csv``             ``.csv``                      :mod:`~paperkg.extract.read.csvfile` (the same columns)
``arxiv``           ``.xml``, ``.atom``           :mod:`~paperkg.extract.read.arxiv` (API Atom, OAI-PMH ``oai_dc`` / ``arXivRaw``)
``arxiv-snapshot``  ``.jsonl``, ``.json``          :mod:`~paperkg.extract.read.arxiv` (the metadata snapshot)
``openalex``        ``.json``, ``.jsonl``         :mod:`~paperkg.extract.read.openalex`
``s2``              ``.json``, ``.jsonl``         :mod:`~paperkg.extract.read.s2` (Semantic Scholar)
``csl-json``        ``.json``                     :mod:`~paperkg.extract.read.csljson`
``bibtex``          ``.bib``                      :mod:`~paperkg.extract.read.bibtex`
``ris``             ``.ris``                      :mod:`~paperkg.extract.read.ris`
==================  ============================  =============================================

Any of them may be gzip-compressed (``name.jsonl.gz``): the suffix before ``.gz`` chooses.
Where a suffix is shared (``.json``, ``.jsonl``, ``.xml``) the first 64 KiB of the file
decide (:data:`SNIFF`, tried in :data:`SUFFIXES` order); ``format=`` (``paperkg build
--format NAME``) forces one format for every input, whatever the names.

A new format is one module in this folder with a :class:`~paperkg.extract.read.raw.Reader`
function, added to :data:`READERS` and :data:`SUFFIXES`. Every reader reads through
:func:`~paperkg.extract.read.text.read_text` or, line by line as a stream,
:func:`~paperkg.extract.read.text.text_lines` (regular files only; UTF-8, or UTF-16 /
UTF-32 with a BOM), and builds records with :func:`~paperkg.extract.read.raw.make_record`
(lone surrogates become U+FFFD; a field over :data:`~paperkg.extract.read.text.MAX_TEXT_CHARS`
is refused naming ``file:line``). XML is parsed without entities or network access
(:mod:`~paperkg.extract.read.xmlsafe`).

Texts are kept as given (only the surrounding whitespace is dropped and newlines become
``\\n``; arXiv's hard wrapping and BibTeX's LaTeX are undone), so mention offsets point
into them. The same paper read from several files (the same DOI, arXiv id, OpenAlex or
Semantic Scholar id, or the same normalised title) is one
:class:`~paperkg.extract.records.Paper` with all its sources; each source names its file by
the path relative to the folder all inputs share, so ``dA/papers.jsonl`` and
``dB/papers.jsonl`` stay apart. A record without a title is reported as ``file:line`` and
skipped (:class:`Reading`); a build whose every record lacks a title fails. The result does
not depend on the order of the inputs.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.read.arxiv import read_arxiv_snapshot, read_arxiv_xml
from paperkg.extract.read.bibtex import read_bibtex
from paperkg.extract.read.csljson import read_csl_json
from paperkg.extract.read.csvfile import read_csv
from paperkg.extract.read.jsonl import read_jsonl
from paperkg.extract.read.merge import code_urls, merge_records, paper_id
from paperkg.extract.read.openalex import read_openalex
from paperkg.extract.read.page import read_page
from paperkg.extract.read.raw import RawRecord, Reader, skip_message
from paperkg.extract.read.ris import read_ris
from paperkg.extract.read.s2 import read_s2
from paperkg.extract.read.text import MAX_TEXT_CHARS, display, file_kind, head_text, read_text
from paperkg.extract.records import Paper

__all__ = [
    "MAX_TEXT_CHARS",
    "READERS",
    "SNIFF",
    "SUFFIXES",
    "RawRecord",
    "Reading",
    "code_urls",
    "format_of",
    "input_files",
    "merge_records",
    "paper_id",
    "read_csv",
    "read_inputs",
    "read_jsonl",
    "read_page",
    "read_papers",
    "read_text",
]

log = logging.getLogger("paperkg.read")

#: Readers by format name (``paperkg build --format NAME``).
READERS: dict[str, Reader] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "arxiv": read_arxiv_xml,
    "arxiv-snapshot": read_arxiv_snapshot,
    "openalex": read_openalex,
    "s2": read_s2,
    "csl-json": read_csl_json,
    "bibtex": read_bibtex,
    "ris": read_ris,
}

#: The formats a suffix (lower case, before any ``.gz``) may hold, in sniffing order; a
#: format without a :data:`SNIFF` test is the suffix's fallback.
SUFFIXES: dict[str, tuple[str, ...]] = {
    ".txt": ("page",),
    ".csv": ("csv",),
    ".jsonl": ("openalex", "s2", "arxiv-snapshot", "jsonl"),
    ".ndjson": ("openalex", "s2", "arxiv-snapshot", "jsonl"),
    ".json": ("openalex", "s2", "arxiv-snapshot", "csl-json"),
    ".xml": ("arxiv",),
    ".atom": ("arxiv",),
    ".bib": ("bibtex",),
    ".ris": ("ris",),
}


def _key(*names: str) -> Callable[[str], bool]:
    """A test: the head of a JSON file holds one of these object keys."""
    pattern = re.compile(r'(?<!\\)"(?:' + "|".join(map(re.escape, names)) + r')"\s*:')
    return lambda head: bool(pattern.search(head))


#: CSL's item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
_CSL_TYPE = re.compile(
    r'"type"\s*:\s*"(?:article|article-journal|article-magazine|article-newspaper|book|chapter|'
    r'dataset|entry-encyclopedia|manuscript|paper-conference|post|post-weblog|report|review|'
    r'software|speech|thesis|webpage)"'
)
_XML_ROOT = re.compile(r"<(?:[\w.-]+:)?(feed|OAI-PMH)[\s>]")

#: How each format is told apart from the others of its suffix, on the file's first 64 KiB.
SNIFF: dict[str, Callable[[str], bool]] = {
    "openalex": lambda head: "abstract_inverted_index" in head or '"https://openalex.org/W' in head,
    "s2": _key("paperId", "corpusid", "externalIds", "externalids"),
    "arxiv-snapshot": _key("authors_parsed", "update_date", "journal-ref"),
    "csl-json": lambda head: bool(_CSL_TYPE.search(head))
    or _key("container-title", "issued", "citation-key", "DOI", "URL")(head),
    "arxiv": lambda head: bool(_XML_ROOT.search(head)),
}


def suffix_of(path: str | os.PathLike) -> str:
    """The suffix that chooses a file's format: the last one, or the one before ``.gz``.

    >>> suffix_of("dump/works.JSONL.gz"), suffix_of("refs.bib"), suffix_of("part_000.gz")
    ('.jsonl', '.bib', '')
    """
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def format_of(path: Path, forced: str | None = None) -> str:
    """Return the format name to read ``path`` with: ``forced``, else by suffix and content.

    Raises
    ------
    InputError
        For an unknown forced format, an unknown suffix, or content that matches none of
        the suffix's formats.
    """
    if forced:
        if forced not in READERS:
            raise InputError(f"unknown input format {forced!r}; known: {', '.join(READERS)}")
        return forced
    candidates = SUFFIXES.get(suffix_of(path))
    if candidates is None:
        raise InputError(
            f"{display(path)}: unknown input format {display(path.suffix)!r}; known: "
            f"{', '.join(SUFFIXES)} (optionally .gz), or give --format ({', '.join(READERS)})"
        )
    if len(candidates) == 1:
        return candidates[0]
    head = head_text(path)
    if suffix_of(path) in (".jsonl", ".ndjson"):  # the first record decides
        head = next((line for line in head.split("\n") if line.strip()), "")
    for name in candidates:
        test = SNIFF.get(name)
        if test is None or test(head):
            return name
    raise InputError(
        f"{display(path)}: cannot tell which format this is ({', '.join(candidates)}); "
        "give it with --format"
    )


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
        inside = [p for p in path.iterdir() if suffix_of(p) in SUFFIXES]
    except OSError as err:
        raise InputError(f"{display(path)}: cannot list the folder ({err.strerror or type(err).__name__})") from None
    if not inside:
        raise InputError(f"{display(path)}: no input files ({', '.join(SUFFIXES)}) in this folder")
    return inside


def input_files(paths: Iterable[str | os.PathLike], *, format: str | None = None) -> dict[str, Path]:
    """Return the input files of ``paths`` (folders expanded, one level) by source name.

    A source name is the file's path relative to the folder all the files share (just the
    file name when there is one folder), in ``/`` form, so it names the file whatever the
    argument order or working folder. A file given twice (directly, through its folder or
    a symbolic link) is read once. Names are sorted. With ``format``, a file named directly
    may have any suffix.

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
        elif not format and suffix_of(path) not in SUFFIXES:
            format_of(path)  # raises: unknown suffix
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


@dataclass(frozen=True)
class Reading:
    """What reading the inputs gave: the papers, and what was skipped or is missing.

    ``skipped`` holds ``file:line`` (or ``file:line (entry KEY)``) of every record without
    a title; ``without_abstract`` counts the papers kept with a title only.
    """

    papers: list[Paper]
    skipped: tuple[str, ...] = ()

    @property
    def without_abstract(self) -> int:
        """The number of papers that have a title but no abstract."""
        return sum(1 for p in self.papers if not p.abstract)


#: At most this many skipped records are named one by one in the warnings.
MAX_WARNINGS = 20


def read_inputs(paths: Iterable[str | os.PathLike], *, format: str | None = None) -> Reading:
    """Read every input file (folders are expanded) and return the merged papers and the
    records skipped for want of a title (each logged as a warning on ``paperkg.read``).

    Files are read in the order of their source names, so even the first error reported
    does not depend on the argument order. Readers stream their records; line-by-line files
    are never held in memory whole.

    Raises
    ------
    InputError
        For a missing, unreadable, empty, binary or malformed input, a record over the
        length limit, one id given to different titles, or inputs whose every record lacks
        a title; the message is one line and names the file (and line or entry).
    """
    if format is not None and format not in READERS:
        raise InputError(f"unknown input format {format!r}; known: {', '.join(READERS)}")
    records: list[RawRecord] = []
    skipped: list[str] = []
    for name, path in input_files(paths, format=format).items():
        found = 0
        for record in READERS[format_of(path, format)](path, name=name):
            found += 1
            if record.skipped:
                if len(skipped) < MAX_WARNINGS:
                    log.warning(skip_message(record))
                skipped.append(record.where or f"{name}:{record.source.line}")
            else:
                records.append(record)
        if not found:  # a CSV header without rows, an empty harvest
            raise InputError(f"{display(path)}: no paper records in this file")
    if len(skipped) > MAX_WARNINGS:
        log.warning("… and %d more records without a title skipped", len(skipped) - MAX_WARNINGS)
    if not records:
        raise InputError(
            f"{skipped[0]}: record has no 'title'; no record of the inputs has one, so there is nothing to build"
        )
    return Reading(merge_records(records), tuple(skipped))


def read_papers(paths: Iterable[str | os.PathLike], *, format: str | None = None) -> list[Paper]:
    """Read every input file (folders are expanded) and return the merged papers
    (:func:`read_inputs` without the report of skipped records).

    Raises
    ------
    InputError
        As :func:`read_inputs`.
    """
    return read_inputs(paths, format=format).papers
