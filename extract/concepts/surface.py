"""Clean mention boundaries: bracket residue, tildes, dangling words, markup, citation names.

An extractor's span can end mid-phrase or carry residue of the text around it: a tokenizer
keeps "Transformers(ViT" or "models~" as one token, a LaTeX source leaves "64{times}64",
and an author name before a citation ("Barron [1993]") looks like a name. These pure
functions judge a surface form as written (and the text right after it), so they work on
any extractor's output:

* :func:`clean_bounds` returns the character range of the clean part of a span, so a
  mention can be cut to it and still be a substring of its text: unbalanced bracket residue
  goes ("Vision Transformers(ViT" -> "Vision Transformers", "RAG) systems" -> "RAG"), and so do
  edge tildes and punctuation ("Diffusion models~") and dangling function words at either
  end ("Masked Generative Modeling of", "Bidirectional Encoder Representations from");
* :func:`has_markup` finds LaTeX or math markup that no concept name has ("64{times}64",
  "mathcal{O}(Poly(d", "D{=}1"), once LaTeX accents are read (:func:`latex_accents`), and
  web addresses ("GitHub https://github.com/...");
* :func:`is_citation_name` finds an author name that a citation follows ("Barron [1993]",
  "Smith et al.", "Rahimi and Recht (2007)").

The spaCy mention filter (:mod:`paperkg.extract.ner.components`) applies them at token
boundaries; :func:`paperkg.extract.concepts.resolve.resolve` applies them again at character
level, where a token holds the residue.

Examples
--------
>>> text = "Vision Transformers(ViT"
>>> start, end = clean_bounds(text)
>>> text[start:end]
'Vision Transformers'
>>> latex_accents('Schr\\\\"odinger')
'Schrödinger'
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "DANGLING_WORDS",
    "LEADING_DANGLING",
    "clean_bounds",
    "has_markup",
    "is_citation_name",
    "latex_accents",
]

#: Function words that cannot start a concept name: a span cut mid-phrase ("of Experts").
#: Determiners are not among them; :func:`paperkg.extract.concepts.keys.concept_key` drops those.
LEADING_DANGLING: frozenset[str] = frozenset(
    "of for in on with from via using by to and or nor that which whose than as at into onto "
    "between within without through towards toward versus vs is are was were be".split()
)
#: Function words that cannot end a concept name ("Modeling of", "... of the", "... from").
DANGLING_WORDS: frozenset[str] = LEADING_DANGLING | frozenset(
    "the a an we our its their this these those such".split()
)
_OPEN, _CLOSE = "([{", ")]}"
_EDGE = " \t\n~,;:-"
#: A dash written without spaces, glued to the words around it: a mark then a hyphen
#: ("prediction,-an approach") or two hyphens or more ("algorithm--termed").
_GLUED_DASH = re.compile(r"[,;:]-|-{2,}")
# \"o, \'e, \`a, \^o, \~n, \=o, \.z, \u{g}, \v{s}, \H{o}, \c{c}, \k{a}, also braced: {\"o}, \"{o}
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328"}
_ACCENT = re.compile(r"\{?\\([\"'`^~=.]|[uvHck](?=[{ ]))\s*\{?([A-Za-z])\}?\}?")
_MARKUP = re.compile(r"[{}\\$^]|_\{|https?://|\bwww\.", re.IGNORECASE)
_YEAR = r"(?:19|20)\d\d[a-z]?"
_CITATION_AFTER = re.compile(
    rf"\s*(?:et\s+al\b|[\[(]\s*{_YEAR}\s*[\]),;]|,\s*{_YEAR}\b|'s\s+[\[(]\s*{_YEAR})"
)
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*")


def latex_accents(text: str) -> str:
    """Return ``text`` with LaTeX accent commands written as letters (NFC).

    Examples
    --------
    >>> latex_accents('na\\\\"ive Schr\\\\"{o}dinger Erd\\\\H{o}s {\\\\\\'e}t\\\\\\'e')
    'naïve Schrödinger Erdős été'
    """
    if "\\" not in text:
        return text
    return unicodedata.normalize(
        "NFC", _ACCENT.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)
    )


@functools.lru_cache(maxsize=1 << 18)
def has_markup(text: str) -> bool:
    """Return whether ``text`` holds LaTeX or math markup once accents are read, or a web
    address.

    Examples
    --------
    >>> [has_markup(t) for t in ["64{times}64", "mathcal{O}(Poly(d", "H)/(varepsilon^2 N^{E"]]
    [True, True, True]
    >>> [has_markup(t) for t in ["GitHub https://github.com/a/b", "www.example.org", "WWW"]]
    [True, True, False]
    >>> [has_markup(t) for t in ['Schr\\\\"odinger bridge', "CFG++", "GPT-3.5", "C++ compiler"]]
    [False, False, False, False]
    """
    return bool(_MARKUP.search(latex_accents(text)))


def _bracket_cut(text: str) -> tuple[int, int]:
    """The range left once unbalanced brackets and what lies beyond them are cut.

    An unmatched closing bracket ends the span before it (the span began inside a
    parenthesis: "RAG) systems" -> "RAG") unless nothing precedes it (then the span starts
    after it); an unmatched opening bracket ends the span before it ("ViTs(ViT" -> "ViTs"),
    unless nothing precedes it (then the span starts after it: "(ViT" -> "ViT").
    """
    start, end = 0, len(text)
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            stack.append(index)
        elif char in _CLOSE:
            if stack and _OPEN[_CLOSE.index(char)] == text[stack[-1]]:
                stack.pop()
            elif stack:  # a mismatched pair: cut at the opening one
                return start, stack[0]
            elif text[start:index].strip(_EDGE):
                return start, index
            else:
                start = index + 1
    if stack and text[start:stack[0]].strip(_EDGE):
        end = stack[0]
    elif stack:  # "(ViT": the span opens the parenthesis
        start = stack[0] + 1
    return start, end


@functools.lru_cache(maxsize=1 << 18)
def clean_bounds(text: str) -> tuple[int, int]:
    """Return ``(start, end)``: the clean part of a surface form is ``text[start:end]``.

    Applied until nothing changes: unbalanced bracket residue is cut (:func:`_bracket_cut`),
    so is what follows a dash glued to the words ("prediction,-an", "algorithm--termed"),
    edge spaces, tildes, hyphens and ``, ; :`` are trimmed, and a dangling function word
    goes with its space: at the end any of :data:`DANGLING_WORDS`, at the start any of
    :data:`LEADING_DANGLING` (leading determiners stay for the key to judge). ``start == end`` when nothing is
    left.

    Parameters
    ----------
    text:
        A surface form, as written.

    Returns
    -------
    tuple[int, int]
        Character offsets into ``text``.

    Examples
    --------
    >>> def clean(t):
    ...     s, e = clean_bounds(t)
    ...     return t[s:e]
    >>> [clean(t) for t in ["Diffusion models~", "Masked Generative Modeling of",
    ...                     "Bidirectional Encoder Representations from", "LV-HBA)-that",
    ...                     "Sampler~(DEIS", "Retrieval Augmented Generation) systems retrieve",
    ...                     "video prediction,-an", "algorithm--termed"]]
    ['Diffusion models', 'Masked Generative Modeling', 'Bidirectional Encoder Representations', \
'LV-HBA', 'Sampler', 'Retrieval Augmented Generation', 'video prediction', 'algorithm']
    >>> [clean(t) for t in ["Large Language Models (LLMs)", "Mixture of Experts", "of the"]]
    ['Large Language Models (LLMs)', 'Mixture of Experts', '']
    """
    start, end = 0, len(text)
    while True:
        before = (start, end)
        lo, hi = _bracket_cut(text[start:end])
        start, end = start + lo, start + hi
        dash = _GLUED_DASH.search(text, start + 1, end)
        if dash is not None:
            end = dash.start()
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        words = text[start:end].split(" ")
        if len(words) > 1 and words[-1].casefold() in DANGLING_WORDS:
            end -= len(words[-1]) + 1
        elif len(words) > 1 and words[0].casefold() in LEADING_DANGLING:
            start += len(words[0]) + 1
        elif len(words) == 1 and words[0].casefold() in DANGLING_WORDS:
            end = start
        if (start, end) == before:
            return start, end


def is_citation_name(text: str, after: str) -> bool:
    """Return whether ``text`` is an author name that a citation follows.

    ``text`` is one to three capitalised words ("Barron", "Biden-Harris" style hyphenated names,
    "Rahimi and Recht"), or holds "et al"; ``after`` is the text that follows it and starts
    with "et al", a year in brackets ("[1993]", "(2007)"), ", 2019" or "'s (2020)".

    Examples
    --------
    >>> is_citation_name("Barron", " [1993] shows"), is_citation_name("Smith et al.", "")
    (True, True)
    >>> is_citation_name("Rahimi and Recht", " (2007)"), is_citation_name("BERT", " [12]")
    (True, False)
    >>> is_citation_name("Transformer", " [3, 4]"), is_citation_name("Barron", " shows")
    (False, False)

    A capitalised method name written with a bare year ("Transformer (2017)") reads as a
    citation too; abstracts rarely write names so.
    """
    if re.search(r"\bet\s+al\b", text):
        return True
    words = [w for w in text.split() if w not in ("and", "&")]
    if not 1 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    return bool(_CITATION_AFTER.match(after))
