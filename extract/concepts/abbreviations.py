"""Abbreviation definitions in running text, after Schwartz & Hearst (2003).

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", *Pacific Symposium on Biocomputing* 8:451-462, 2003.

The algorithm looks at every parenthesis and tries two patterns:

* ``long form (SF)`` -- "Retrieval-Augmented Generation (RAG)", "Large Language Models (LLMs)";
* ``SF (long form)`` -- "RAG (retrieval-augmented generation)", when the parenthesis holds
  more than two words.

A short form is accepted by :func:`is_short_form` (2-12 characters, starts with a letter or
digit, holds an upper-case letter, is not a roman numeral, at most two words), so "(a)",
"(i)", "(ii)" and "(2023)" never define anything. The long form is the shortest run of the
words before the parenthesis (at most ``min(len(SF) + 5, 2 * len(SF))`` of them) in which
every letter and digit of the short form is found right to left, the first one at the start
of a word (:func:`best_long_form`). Two refinements: a match on word initials alone is tried
first ("independent interval approximation (IIA)", not "interval approximation"), and a
digit 2 or 4 may stand for "to" / "for" ("Text-to-Image (T2I)"). A plural short form
("LLMs") may drop its final "s".

The steps are module-level functions, each usable alone, as in scispaCy's
``abbreviation.py``; nothing here needs spaCy.

Examples
--------
>>> text = "Large Language Models (LLMs) often use Retrieval-Augmented Generation (RAG)."
>>> [(a.short, a.long) for a in find_abbreviations(text)]
[('LLMs', 'Large Language Models'), ('RAG', 'Retrieval-Augmented Generation')]
>>> a = find_abbreviations(text)[0]
>>> text[a.short_start:a.short_end], text[a.long_start:a.long_end]
('LLMs', 'Large Language Models')
>>> find_abbreviations("We test two settings: (i) offline and (ii) online (a) data.")
[]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = [
    "Abbreviation",
    "best_long_form",
    "candidate_long_words",
    "find_abbreviations",
    "is_short_form",
    "parse_definition",
    "whole_definition",
]

#: The longest short form accepted, in characters.
MAX_SHORT_LENGTH = 12

_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())
_PAREN = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"\S+")
# Where a long form can no longer reach back: a sentence end, a clause mark or comma, a
# bracket, a blank line.
_BOUNDARY = re.compile(r"[.!?;:,]\s|[()\[\]{}]|\n\s*\n")
_QUOTES = "\"'“”‘’`"


@dataclass(frozen=True)
class Abbreviation:
    """A short form defined in a text, with character offsets of both forms.

    ``text[short_start:short_end] == short`` and ``text[long_start:long_end] == long``.
    """

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int

    @classmethod
    def at(cls, short: str, short_start: int, long: str, long_start: int) -> Abbreviation:
        """Return the definition of ``short`` at ``short_start`` as ``long`` at ``long_start``."""
        return cls(short, long, short_start, short_start + len(short),
                   long_start, long_start + len(long))


def is_short_form(candidate: str) -> bool:
    """Return whether ``candidate`` can be a short form (an acronym or abbreviation).

    Parameters
    ----------
    candidate:
        The text inside the parenthesis (or the word before it), already stripped.

    Returns
    -------
    bool
        True for 2-12 characters of at most two words that start with a letter or digit and
        hold an upper-case letter, except roman numerals.

    Examples
    --------
    >>> [is_short_form(s) for s in ["RAG", "LLMs", "fBM", "GPT-4", "CFG++"]]
    [True, True, True, True, True]
    >>> [is_short_form(s) for s in ["a", "i", "ii", "IV", "2023", "see below", "e.g."]]
    [False, False, False, False, False, False, False]
    """
    if not 2 <= len(candidate) <= MAX_SHORT_LENGTH or len(candidate.split()) > 2:
        return False
    if not candidate[0].isalnum() or candidate.lower() in _ROMAN:
        return False
    return any(c.isupper() for c in candidate)


def _word_start(long: str, position: int) -> bool:
    return position == 0 or not long[position - 1].isalnum()


def _found_at(long: str, position: int, char: str) -> bool:
    """Whether ``char`` of a short form matches ``long`` at ``position``.

    A digit 2 or 4 also matches the words "to" / "for" ("T2I" for "text-to-image").
    """
    if long[position].lower() == char:
        return True
    word = {"2": "to", "4": "for"}.get(char)
    return bool(word) and _word_start(long, position) and re.match(
        word + r"\b", long[position:], re.IGNORECASE
    ) is not None


def best_long_form(short: str, long: str, *, initials: bool = False) -> str | None:
    """Return the shortest tail of ``long`` that the letters of ``short`` spell, or None.

    Schwartz & Hearst's ``findBestLongForm``: walk the short form's letters and digits
    right to left, finding each one further left in ``long`` (case-insensitive); the
    first character must start a word. The result starts at that word. With ``initials``
    every character must start a word (hyphens separate words).

    Parameters
    ----------
    short:
        The short form ("RAG").
    long:
        The candidate long-form words, as written before the parenthesis.
    initials:
        Match word initials only.

    Returns
    -------
    str or None
        The matched tail of ``long``, or None when the letters are not all found.

    Examples
    --------
    >>> best_long_form("RAG", "we use Retrieval-Augmented Generation")
    'Retrieval-Augmented Generation'
    >>> best_long_form("IIA", "the independent interval approximation")
    'interval approximation'
    >>> best_long_form("IIA", "the independent interval approximation", initials=True)
    'independent interval approximation'
    >>> best_long_form("XYZ", "a Monte Carlo Tree Search") is None
    True
    """
    s = len(short) - 1
    position = len(long) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while position >= 0 and (
            not _found_at(long, position, char)
            or ((s == 0 or initials) and not _word_start(long, position))
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
        s -= 1
    start = max(long.rfind(" ", 0, position + 1) + 1, 0)
    result = long[start:].strip()
    return result or None


def candidate_long_words(text: str, end: int, short: str) -> tuple[int, str]:
    """Return where the long-form window before ``end`` starts, and its text.

    The window holds at most ``min(len(short) + 5, 2 * len(short))`` words and never
    reaches back over a sentence end, a clause mark (``;``, ``:``, ``,``), a bracket or a
    blank line.

    Examples
    --------
    >>> candidate_long_words("Intro. We use Monte Carlo Tree Search ", 38, "MCTS")
    (7, 'We use Monte Carlo Tree Search')
    """
    floor = 0
    for match in _BOUNDARY.finditer(text, 0, end):
        floor = match.end()
    words = list(_WORD.finditer(text, floor, end))
    size = min(len(short) + 5, 2 * len(short))
    words = words[-size:]
    if not words:
        return end, ""
    start = words[0].start()
    return start, text[start : words[-1].end()]


def _clip(inner: str) -> str:
    """Cut a parenthetical at its first ';' or ',' ("RAG; Lewis et al." -> "RAG")."""
    return re.split(r"[;,]", inner, maxsplit=1)[0].strip()


def _match_short(short: str, long: str) -> str | None:
    """Match ``short`` against ``long``: word initials first, then Schwartz & Hearst.

    A plural short form ("LLMs") is also tried without its "s". A long form that holds the
    short form as a word ("MKOR-H" for "MKOR") is refused.
    """
    forms = [short]
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        forms.append(short[:-1])
    found = None
    for initials in (True, False):
        for form in forms:
            found = found or best_long_form(form, long, initials=initials)
    if found is not None:
        found = found.strip(_QUOTES)
    if not found or len(found) <= len(short) or short in re.split(r"[\s-]+", found):
        return None
    return found


def parse_definition(text: str, paren: re.Match[str]) -> Abbreviation | None:
    """Return the definition made by one parenthesis match in ``text``, if any.

    Parameters
    ----------
    text:
        The whole text.
    paren:
        A match of ``\\(([^()]*)\\)`` in ``text``.

    Returns
    -------
    Abbreviation or None
        ``long (SF)`` is tried first, then ``SF (long)``.

    Examples
    --------
    >>> text = "RAG (retrieval-augmented generation) helps."
    >>> parse_definition(text, _PAREN.search(text)).long
    'retrieval-augmented generation'
    """
    inner = _clip(paren.group(1))
    inner_start = paren.start(1) + paren.group(1).find(inner) if inner else paren.start(1)
    if is_short_form(inner):
        window_start, window = candidate_long_words(text, paren.start(), inner)
        long = _match_short(inner, window) if window else None
        if long is not None:
            return Abbreviation.at(inner, inner_start, long, window_start + window.rfind(long))
    # Reverse pattern: "SF (long form)", the parenthesis holding two or more words.
    before = list(_WORD.finditer(text, 0, paren.start()))
    if not before or len(inner.split()) < 2:
        return None
    word = before[-1]
    short = word.group().strip("\"'“”‘’")
    if not is_short_form(short) or len(inner.split()) > min(len(short) + 5, 2 * len(short)):
        return None
    long = _match_short(short, inner)
    if long is None:
        return None
    short_start = word.start() + word.group().find(short)
    return Abbreviation.at(short, short_start, long, inner_start + inner.rfind(long))


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Return every abbreviation defined in ``text``, in text order.

    Parameters
    ----------
    text:
        Any text: a title, an abstract, a sentence.

    Returns
    -------
    list[Abbreviation]
        One entry per defining parenthesis, with character offsets into ``text``.

    Examples
    --------
    >>> [(a.short, a.long) for a in find_abbreviations(
    ...     "We study Generative Flow Networks (GFlowNets) and RAG (retrieval augmented "
    ...     "generation), not (a) or (ii).")]
    [('GFlowNets', 'Generative Flow Networks'), ('RAG', 'retrieval augmented generation')]
    """
    found = []
    for paren in _PAREN.finditer(text):
        definition = parse_definition(text, paren)
        if definition is not None:
            found.append(definition)
    return found


@functools.lru_cache(maxsize=1 << 18)
def whole_definition(text: str) -> Abbreviation | None:
    """Return the definition when all of ``text`` is one "long (SF)" or "SF (long)".

    Extractors often take a defining span whole; :func:`paperkg.extract.concepts.keys.concept_key` keys it by
    its long form. The long form here is everything before the parenthesis, not only the
    part that the short form's letters spell.

    Examples
    --------
    >>> d = whole_definition("Large Language Models (LLMs)")
    >>> d.short, d.long
    ('LLMs', 'Large Language Models')
    >>> whole_definition("RAG (retrieval-augmented generation)").long
    'retrieval-augmented generation'
    >>> whole_definition("BERT (base)") is None
    True
    """
    text = text.strip()
    if not text.endswith(")"):
        return None
    paren = None
    for paren in _PAREN.finditer(text):
        pass
    if paren is None or paren.end() != len(text) or paren.start() == 0:
        return None
    definition = parse_definition(text, paren)
    if definition is None:
        return None
    if definition.long_start >= paren.start():  # "SF (long)"
        if text[: paren.start()].strip() != definition.short:
            return None
        return definition
    head = text[: paren.start()].rstrip()
    return Abbreviation(
        short=definition.short,
        long=head,
        short_start=definition.short_start,
        short_end=definition.short_end,
        long_start=0,
        long_end=len(head),
    )
