"""LaTeX in bibliographic fields to plain Unicode text, and person names in one order.

BibTeX files and arXiv author lists write accents and protection braces in LaTeX:
``G{\\"o}del`` is Gödel and ``{BERT}`` is BERT. :func:`latex_to_text` decodes them with
``pylatexenc`` (the converter bibtexparser itself builds on): accents and special letters
become their Unicode characters, braces go, ``\\%`` is ``%``, ``~`` a space, math keeps its
text (``$\\alpha$`` → α). Text without a backslash, brace, dollar or tilde is returned as it is.

>>> latex_to_text(r'{BERT}: G{\\"o}del and \\'etude at 50\\%')
'BERT: Gödel and étude at 50%'
>>> person_name("M{\\\\\\"u}ller, Hans"), person_name("von Neumann, Jr., John")
('Hans Müller', 'John von Neumann Jr.')
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db

from paperkg.errors import InputError

__all__ = ["latex_to_text", "person_name"]

_LATEX = re.compile(r"[\\{}$~]")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_CONVERTER = LatexNodes2Text(math_mode="text", strict_latex_spaces=True, keep_comments=True)


@cache
def _context():
    """pylatexenc's macro tables, built once (building them per call costs more than parsing)."""
    return get_default_latex_context_db()


def latex_to_text(text: str) -> str:
    """Return ``text`` with its LaTeX decoded to Unicode (see the module docstring).

    A bare ``%`` is kept as a percent sign, not read as a comment that would swallow the
    rest of the field; runs of white space (line breaks too) become one space. LaTeX
    nested too deeply to parse is an :class:`~paperkg.errors.InputError` (the reader adds
    where it was).
    """
    if not _LATEX.search(text):
        return text
    return _short(text) if len(text) <= 200 else _decode(text)


@lru_cache(maxsize=65536)  # author names repeat across a snapshot's records
def _short(text: str) -> str:
    return _decode(text)


def _decode(text: str) -> str:
    walker = LatexWalker(_BARE_PERCENT.sub(r"\\%", text), latex_context=_context(), tolerant_parsing=True)
    try:
        decoded = _CONVERTER.nodelist_to_text(walker.get_latex_nodes()[0])
    except RecursionError:  # braces or macros nested hundreds deep: no field of a paper
        raise InputError("LaTeX nested too deeply to read") from None
    return " ".join(decoded.split())


def person_name(name: str) -> str:
    """Return a BibTeX / RIS name ``"Last, First"`` or ``"Last, Jr, First"`` as
    ``"First Last"`` / ``"First Last Jr"``, LaTeX decoded; other names as written."""
    parts = [p.strip() for p in latex_to_text(name).split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[0] and parts[2]:
        return " ".join(p for p in (parts[2], parts[0], parts[1]) if p)
    return " ".join(latex_to_text(name).split())
