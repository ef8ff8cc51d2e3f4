"""Acronyms across a corpus: each paper's definitions, the corpus map, expansion in keys.

:mod:`paperkg.extract.concepts.abbreviations` finds definitions in one text; this module turns them into
concept keys (:func:`paperkg.extract.concepts.keys.concept_key`) for :mod:`paperkg.extract.concepts.resolve`:

* :func:`paper_definitions` -- the short forms one paper defines (title and abstract);
* :func:`acronym_map` -- for the corpus, each short form's expansion when it has only one
  or a dominant one, and the short forms whose expansions compete;
* :func:`expand_acronyms` -- defined acronyms inside a longer key ("adversarial MDP").

Examples
--------
>>> from paperkg.extract.records import Paper
>>> defs = {p.id: paper_definitions(p) for p in [
...     Paper("a", "", "Reinforcement learning (RL) works."),
...     Paper("b", "", "We use RL (reinforcement learning) and message passing (MP)."),
...     Paper("c", "", "Moment probing (MP) tunes.")]}
>>> acronym_map(defs)
({'RL': 'reinforcement learning'}, {'MP': ['message passing', 'moment probing']})
"""

from __future__ import annotations

from collections import Counter, defaultdict

from paperkg.extract.concepts.abbreviations import find_abbreviations
from paperkg.extract.concepts.generic import generic_kind
from paperkg.extract.concepts.keys import compact_key, concept_key
from paperkg.extract.records import FIELDS, Paper

__all__ = [
    "DOMINANT_MIN_PAPERS",
    "DOMINANT_RATIO",
    "acronym_map",
    "expand_acronyms",
    "paper_definitions",
]

#: A competing expansion is dominant when at least this many papers define it ...
DOMINANT_MIN_PAPERS = 3
#: ... and at least this many times as many papers as the next expansion.
DOMINANT_RATIO = 2.0


def paper_definitions(paper: Paper) -> dict[str, tuple[str, str]]:
    """Return the short forms a paper defines: compact short key -> (long key, long form).

    The first definition of a short form wins; definitions whose long form has no key, is a
    vague noun, or keys like the short form are skipped.

    Examples
    --------
    >>> paper_definitions(Paper("p", "", "Large Language Models (LLMs) and our method (OM)."))
    {'LLM': ('large language model', 'Large Language Models')}
    """
    found: dict[str, tuple[str, str]] = {}
    for name in FIELDS:
        for definition in find_abbreviations(paper.text_of(name)):
            short, long = concept_key(definition.short), concept_key(definition.long)
            if not short or not long or compact_key(short) == compact_key(long):
                continue
            if generic_kind(long) == "vague":
                continue
            found.setdefault(compact_key(short), (long, definition.long))
    return found


def acronym_map(
    definitions: dict[str, dict[str, tuple[str, str]]],
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Return the corpus map of short forms: (resolved, ambiguous).

    Parameters
    ----------
    definitions:
        paper id -> :func:`paper_definitions` of that paper (long keys already canonical).

    Returns
    -------
    tuple
        ``resolved``: compact short key -> long key, for short forms with one expansion or a
        dominant one; ``ambiguous``: compact short key -> sorted competing long keys.
        Short forms whose key is lower case ("Adam", "Poly": a capitalised word keys in
        lower case) are left out: elsewhere such a word is as likely an ordinary word.

    Examples
    --------
    >>> d = {"p1": {"MP": ("message passing", "")}, "p2": {"MP": ("moment probing", "")},
    ...      "p3": {"RL": ("reinforcement learning", ""), "poly": ("polytropon", "")}}
    >>> acronym_map(d)
    ({'RL': 'reinforcement learning'}, {'MP': ['message passing', 'moment probing']})
    """
    papers: dict[str, Counter[str]] = defaultdict(Counter)
    for found in definitions.values():
        for short, (long, _) in found.items():
            if short != short.casefold():
                papers[short][long] += 1
    resolved, ambiguous = {}, {}
    for short in sorted(papers):
        ranked = sorted(papers[short].items(), key=lambda item: (-item[1], item[0]))
        top, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        dominant = count >= DOMINANT_MIN_PAPERS and count >= DOMINANT_RATIO * runner_up
        if not runner_up or dominant:
            resolved[short] = top
        else:
            ambiguous[short] = sorted(papers[short])
    return resolved, ambiguous


def expand_acronyms(
    key: str,
    own_definitions: dict[str, tuple[str, str]],
    corpus: dict[str, str],
) -> tuple[str, list[tuple[str, str, str]]]:
    """Expand defined acronyms inside a longer key ("adversarial MDP").

    An acronym token (two or more capitals) is replaced by its long form's key when the
    paper defines it, or the corpus map resolves it; a token followed by a number is a
    versioned name and stays ("GPT 4").

    Returns
    -------
    tuple
        The new key, and (rule, short form, long key) for each expansion.

    Examples
    --------
    >>> expand_acronyms("adversarial MDP", {"MDP": ("markov decision process", "")}, {})
    ('adversarial markov decision process', [('abbreviation', 'MDP', 'markov decision process')])
    >>> expand_acronyms("GPT 4", {}, {"GPT": "generative pretrained transformer"})
    ('GPT 4', [])
    """
    tokens = key.split(" ")
    if len(tokens) < 2:
        return key, []
    how = []
    for index, token in enumerate(tokens):
        if token.islower() or sum(c.isupper() for c in token) < 2:  # islower: none upper
            continue
        if index + 1 < len(tokens) and any(c.isdigit() for c in tokens[index + 1]):
            continue
        if token in own_definitions:
            tokens[index] = own_definitions[token][0]
            how.append(("abbreviation", token, tokens[index]))
        elif token in corpus:
            tokens[index] = corpus[token]
            how.append(("corpus-acronym", token, tokens[index]))
    return " ".join(tokens), how
