"""Corpus matches: a concept's written forms found again where the extractor missed them.

An extractor that finds "diffusion models" in one abstract and misses it in thirty others
leaves the concept with one paper. :func:`spread_mentions` looks for the written forms of
kept mentions in every title and abstract of the corpus and returns a mention for each
occurrence that no mention covers yet, so corpus-wide resolution links those papers too.

The forms are the written forms of the kept mentions and each concept's display label.
Only *distinctive* forms spread: two or more words ("diffusion models", "graph neural
networks"), or one word that is a name (a digit, or a capital after its first letter that
does not follow a hyphen: "GSM8K", "ResNet-50", "AdamW"); a form of one plain word
("clustering", "Adam", "First-Order") does not, nor an acronym ("RLHF", "DPMs": short forms
mean different things in different papers, and resolution expands them per paper). Names match
case-sensitively; other forms case-insensitively, with or without a final "s". A match must
stand between word boundaries and overlap no existing mention. A corpus match has the type of
the form's concept, ``score`` 0.0 (no extractor scored it, and it casts no type vote) and
``rule`` ``"corpus-match"``.

Examples
--------
>>> from paperkg.extract.records import Mention, Paper
>>> p1 = Paper("p1", "T", "Diffusion models generate images.")
>>> p2 = Paper("p2", "U", "We study diffusion model samplers and GSM8K.")
>>> seen = Mention("p1", "abstract", 0, 16, "Diffusion models", "METHOD", 1.0, "", "diffusion model", "")
>>> [(m.paper_id, m.text, m.type, m.rule) for m in spread_mentions([p1, p2], [seen], {"diffusion model": "METHOD"})]
[('p2', 'diffusion model', 'METHOD', 'corpus-match')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from paperkg.extract.records import FIELDS, Mention, Paper

__all__ = ["CORPUS_MATCH", "distinctive", "spread_mentions"]

#: The ``rule`` of a mention found by :func:`spread_mentions`.
CORPUS_MATCH = "corpus-match"
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")
_ACRONYM = re.compile(r"[A-Z]{2,}s?")
_WORD = re.compile(r"(?<![\w-])\w[^\s]*")
_TRAILING = ".,;:!?)]}\"'"
_NEXT_WORD = re.compile(r"\s+(\S+)")
_BOUNDARY = re.compile(r"(?![\w-])")  # where a pattern's match may end
_DOTTED_I = {0x130: "i"}  # its case-insensitive match is "i", its lower case two characters


def distinctive(form: str) -> bool:
    """Return whether a written form may spread: two or more words, or one name-like word.

    Examples
    --------
    >>> [distinctive(f) for f in ["diffusion models", "GSM8K", "ResNet-50", "AdamW", "clustering",
    ...                           "Adam", "First-Order", "RLHF", "DPMs", "a"]]
    [True, True, True, True, False, False, False, False, False, False]
    """
    words = form.split()
    if len(words) >= 2:
        return len(form) >= 5
    if len(form) < 3 or _ACRONYM.fullmatch(form):
        return False
    return any(c.isdigit() for c in form) or any(
        c.isupper() and form[i - 1] != "-" for i, c in enumerate(form) if i > 0
    )


def _caseless(form: str) -> bool:
    """Whether a form matches case-insensitively, with or without a final "s" (not a name)."""
    return not (any(c.isupper() for c in form[1:]) or any(c.isdigit() for c in form))


def _pattern(form: str) -> str:
    body = re.escape(form).replace(r"\ ", r"\s+")
    if not _caseless(form):
        return body
    stem = body[:-1] if form.endswith("s") and not form.endswith("ss") else body
    return f"(?i:{stem}s?)" if stem != body else f"(?i:{body}s?)"


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence of ``text`` around ``start:end`` lies (split at . ! ? before a
    space), before stripping."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return begin, after.end() if after else len(text)


def _fold(text: str) -> str:
    """``text`` with every character folded so that characters a case-insensitive regular
    expression takes as equal fold alike (dotted capital I as "i"; lower, then upper case:
    "ſ" and "s", "ς" and "σ" alike). Equal folds are necessary, not sufficient, for a match.

    >>> _fold("Diffuſion İ ß") == _fold("DIFFUSION i SS")
    True
    """
    return text.translate(_DOTTED_I).lower().upper()


class _Node:
    """Forms past their first word, by their next words (:func:`_fold` of each)."""

    __slots__ = ("any", "last", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.last: dict[str, list[str]] = {}  # folded last word (stem) -> forms ending here
        self.any: list[str] = []  # forms whose last word is a bare plural "s"


class _FormIndex:
    """The forms of :func:`spread_mentions`, for finding the longest one written at a word.

    Each form has a pattern (:func:`_pattern`); at a word, the forms tried are those whose
    first word, case-folded, is the word's (trailing punctuation dropped), longest form
    first, then in sort order; the first that matches wins. Of the forms with two or more
    words, only those whose next words the text holds (their :func:`_fold`, the last one a
    prefix of the text's word, with or without a plural "s") are tried: a form whose words
    differ cannot match, so the winner is the same as trying them all, and the work per
    word stays small however many forms the corpus has.
    """

    def __init__(self, forms: Mapping[str, str]) -> None:
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        self.rank = {form: index for index, form in enumerate(ordered)}
        self.patterns: dict[str, re.Pattern[str]] = {}  # compiled when first tried
        self.singles: dict[str, list[str]] = {}
        self.tries: dict[str, _Node] = {}
        self.firsts: set[str] = set()  # the keys of the first words of all forms
        for form in ordered:
            words = form.split(" ")
            first = words[0].casefold()
            self.firsts.add(first)
            if len(words) == 1:
                self.singles.setdefault(first, []).append(form)
                continue
            node = self.tries.setdefault(first, _Node())
            for word in words[1:-1]:
                node = node.next.setdefault(_fold(word), _Node())
            last = words[-1]
            if _caseless(form) and form.endswith("s") and not form.endswith("ss"):
                last = last[:-1]  # the pattern's stem: the plural "s" is optional
            if last:
                node.last.setdefault(_fold(last), []).append(form)
            else:
                node.any.append(form)

    def match(
        self, text: str, word: re.Match[str], first: str
    ) -> tuple[str, tuple[int, int]] | None:
        """The form written at ``word`` (a :data:`_WORD` match in ``text``) and its span;
        ``first`` is the word's key (case-folded, trailing punctuation dropped), one of
        :attr:`firsts`."""
        singles, node = self.singles.get(first, ()), self.tries.get(first)
        if node is None:
            if not singles:
                return None
            candidates = list(singles)
        else:
            candidates = [*singles, *self._multi(text, word.end(), node)]
            candidates.sort(key=self.rank.__getitem__)
        for form in candidates:
            pattern = self.patterns.get(form)
            if pattern is None:
                pattern = self.patterns[form] = re.compile(_pattern(form) + r"(?![\w-])")
            match = pattern.match(text, word.start())
            if match:
                return form, match.span()
        return None

    @staticmethod
    def _multi(text: str, position: int, node: _Node) -> list[str]:
        """Forms of ``node`` and below whose next words are those of ``text`` at ``position``."""
        found: list[str] = []
        while node is not None:
            found += node.any
            following = _NEXT_WORD.match(text, position)
            if following is None:
                break
            word = following.group(1)
            if node.last:
                for boundary in _BOUNDARY.finditer(word, 1):
                    stem = _fold(word[:boundary.start()])
                    found += node.last.get(stem, ())
                    if stem.endswith("S"):
                        found += node.last.get(stem[:-1], ())
            node = node.next.get(_fold(word))
            position = following.end()
        return found


def spread_mentions(
    papers: Sequence[Paper],
    mentions: Sequence[Mention],
    types: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> list[Mention]:
    """Return the corpus matches of the distinctive written forms of ``mentions``.

    Parameters
    ----------
    papers:
        Every paper of the corpus.
    mentions:
        Kept, resolved mentions (``concept`` set): their written forms are searched for, and
        their spans are not matched again.
    types:
        Concept key -> type: the type a corpus match takes.
    labels:
        Concept key -> display label: labels spread as written forms too.

    Returns
    -------
    list[Mention]
        New mentions (``rule`` :data:`CORPUS_MATCH`, ``score`` 0.0, ``concept`` the form's
        concept), in paper, field and offset order; the longest form wins where forms overlap.
    """
    forms: dict[str, str] = {}
    written = [(" ".join(m.text.split()), m.concept) for m in mentions]
    written += sorted((" ".join(label.split()), key) for key, label in (labels or {}).items())
    for text, concept in written:
        if concept in types and distinctive(text):
            forms.setdefault(text, concept)
    if not forms:
        return []
    index = _FormIndex(forms)
    firsts = index.firsts
    taken: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in mentions:
        taken.setdefault((m.paper_id, m.field), []).append((m.start, m.end))
    found = []
    for paper in papers:
        for field in FIELDS:
            text = paper.text_of(field)
            spans = taken.get((paper.id, field), [])
            # A match that starts inside a taken span overlaps it: words there are skipped.
            covered = _merged(spans)
            sentences: dict[tuple[int, int], str] = {}  # one string per sentence
            for word in _WORD.finditer(text):
                position = word.start()
                while covered and covered[-1][1] <= position:
                    covered.pop()
                if covered and covered[-1][0] <= position:
                    continue
                first = word.group().rstrip(_TRAILING).casefold()
                if first not in firsts:
                    continue
                match = index.match(text, word, first)
                if match is None:
                    continue
                form, (start, end) = match
                if any(start < e and s < end for s, e in spans):
                    continue
                concept = forms[form]
                bounds = _sentence_bounds(text, start, end)
                if bounds not in sentences:
                    sentences[bounds] = text[bounds[0]:bounds[1]].strip()
                found.append(Mention(
                    paper.id, field, start, end, text[start:end], types[concept], 0.0,
                    sentences[bounds], concept, "", rule=CORPUS_MATCH,
                ))
                spans.append((start, end))
                covered.append((start, end))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty ``spans`` merged where they overlap, last first (a stack to pop).

    >>> _merged([(5, 9), (0, 2), (1, 3), (4, 4), (8, 12)])
    [(5, 12), (0, 3)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged[::-1]
