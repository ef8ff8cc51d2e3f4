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


def _pattern(form: str) -> str:
    body = re.escape(form).replace(r"\ ", r"\s+")
    if any(c.isupper() for c in form[1:]) or any(c.isdigit() for c in form):
        return body
    stem = body[:-1] if form.endswith("s") and not form.endswith("ss") else body
    return f"(?i:{stem}s?)" if stem != body else f"(?i:{body}s?)"


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end`` (split at . ! ? before a space)."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return text[begin:after.end() if after else len(text)].strip()


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
    # Candidates by their first word (case-folded), longest first: each word start of a text
    # tries only the forms that begin with its word.
    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        pattern = re.compile(_pattern(form) + r"(?![\w-])")
        by_first.setdefault(form.split()[0].casefold(), []).append((form, pattern))
    taken: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in mentions:
        taken.setdefault((m.paper_id, m.field), []).append((m.start, m.end))
    found = []
    for paper in papers:
        for field in FIELDS:
            text = paper.text_of(field)
            spans = taken.get((paper.id, field), [])
            for word in _WORD.finditer(text):
                candidates = by_first.get(word.group().rstrip(_TRAILING).casefold())
                if not candidates:
                    continue
                for form, pattern in candidates:
                    match = pattern.match(text, word.start())
                    if match:
                        break
                else:
                    continue
                start, end = match.span()
                if any(start < e and s < end for s, e in spans):
                    continue
                concept = forms[form]
                found.append(Mention(
                    paper.id, field, start, end, text[start:end], types[concept], 0.0,
                    _sentence(text, start, end), concept, "", rule=CORPUS_MATCH,
                ))
                spans.append((start, end))
    return found
