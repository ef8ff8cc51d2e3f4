"""The one function that mints a concept's canonical key, and the display label beside it.

A key is the identity of a concept: two surface forms with the same key are one concept.
:func:`concept_key` applies, in order:

1. LaTeX accents read as letters (``Schr\\"odinger`` -> "Schrödinger") and a LaTeX tie ``~``
   made a space; Unicode NFKC; curly quotes and every dash or hyphen made plain; control
   characters made spaces, soft hyphens and other format characters removed; whitespace collapsed;
   quotes, sentence punctuation and a trailing enumerator ("(a)", "(ii)") trimmed.
2. A whole definition keeps its long form: "Large Language Models (LLMs)" and
   "RAG (retrieval-augmented generation)" key as their long forms
   (:func:`paperkg.extract.concepts.abbreviations.whole_definition`).
3. Leading determiners and possessives ("the", "a", "our", "their", "these", ...) and
   evaluative modifiers ("novel", "new", "efficient", "proposed", "existing",
   "state-of-the-art", ...) are stripped (:func:`strip_modifiers`). An evaluative stays
   when it is part of a name: "novel view synthesis", "Efficient Coarse-to-Fine Pruning"
   (capitalised and followed by a capitalised word).
4. Hyphens and dashes become spaces, so "Retrieval-Augmented" = "retrieval
   augmented" and "GPT-4" = "GPT 4", except after a determiner-like first part
   ("all-reduce", "any-order" stay joined, so keys are stable when keyed again); other
   punctuation is dropped except ``. + ^ * / & ' #``
   inside a word ("GPT-3.5", "CFG++").
5. Case folding per word (:func:`fold_case`): a word keeps its case when it has an upper-case
   letter after its first character (BERT, NeRF, GPT, ResNet, LLMs, fBM); any other word
   (including a sentence-initial or title-case one) is folded to lower case. So "MATH" (a
   dataset) and "math" stay apart, and "ResNet 50" and "ResNet 101" too: numbers are kept.
   A capital letter alone keeps its case after the first word ("PaLM 2-L").
6. British spellings become American ("optimisation" -> "optimization", "modelling").
7. A generic head noun after a name is dropped (:func:`_generic_head_goes`): after an
   acronym, a mixed-case name or a token with a digit ("BERT model", "T2I models", "o1
   model", "LAMB optimizer", "MATH dataset", but not "3D model"); after a capitalised word
   inside the phrase when the head itself is lower case ("Marching Cubes algorithm",
   "Criteo Ad Kaggle dataset"; heads model / architecture / framework / network excepted,
   so "Hidden Markov model" stays); and method / technique / approach / scheme / strategy /
   procedure / algorithm after a nominalisation in -ing, -tion, -sion or -ment ("sketching
   technique", "regularization method"). "Genetic algorithm" and "Newton's method" stay.
8. The head noun is made singular (:func:`paperkg.extract.concepts.inflection.singular`): the last word, or
   in "X of Y" the last word of X and the last word of Y. Acronym plurals lose their "s"
   ("LLMs" -> "LLM", "GFlowNets" -> "GFlowNet"); an exception table keeps "analysis",
   "loss", "bias", "dynamics", "series", "data", "k-means" ... as they are.

The key is "" when no letter is left ("the", "novel", "(a)", "2023") or only a lower-case
roman numeral ("(ii)").

What keys cannot see -- spacing variants ("pre training" / "pretraining"), acronyms and
their long forms across papers, generic mentions -- is left to :mod:`paperkg.extract.concepts.resolve`,
which uses :func:`compact_key`.

Examples
--------
>>> concept_key("Large Language Models (LLMs)") == concept_key("large language model")
True
>>> concept_key("LLMs"), concept_key("the Retrieval-Augmented Generation")
('LLM', 'retrieval augmented generation')
>>> concept_key("ResNet-50") != concept_key("ResNet-101")
True
"""

from __future__ import annotations

import functools
import re
import unicodedata

from paperkg.extract.concepts.abbreviations import whole_definition
from paperkg.extract.concepts.inflection import american, singular
from paperkg.extract.concepts.surface import latex_accents

__all__ = [
    "DETERMINERS",
    "EVALUATIVES",
    "compact_key",
    "concept_key",
    "display_label",
    "fold_case",
    "normalize_text",
    "strip_modifiers",
]

#: Leading words that only point at a concept ("the model", "our approach").
DETERMINERS: frozenset[str] = frozenset(
    "the a an this that these those our their its his her my your ours such each every any "
    "some both either another several various many numerous other different certain all "
    "respective".split()
)
#: Leading evaluative modifiers, compared hyphen-insensitively ("state-of-the-art").
EVALUATIVES: frozenset[str] = frozenset(
    [
        "novel", "new", "efficient", "effective", "proposed", "existing", "state of the art",
        "sota", "powerful", "strong", "improved", "advanced", "popular", "recent", "current",
        "modern", "well known", "widely used", "commonly used", "so called", "prominent",
        "promising", "remarkable", "impressive", "innovative", "sophisticated", "superior",
        "leading", "cutting edge", "competitive", "successful", "representative",
        "prevalent", "prevailing", "mainstream", "high quality", "highly effective",
        "highly efficient",
    ]
)
# "novel view synthesis", "novel class discovery": here the evaluative is the concept.
# First parts of hyphenated words that stay joined in a key ("all-reduce", "any-order").
_STICKY = DETERMINERS | {phrase for phrase in EVALUATIVES if " " not in phrase}
_NAMED_AFTER_NOVEL = frozenset(
    "view views class classes category categories object objects concept concepts".split()
)

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"), "-")
_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201b\u2032`\u00b4"} | {
    ord(c): '"' for c in "\u201c\u201d\u201f\u2033\u00ab\u00bb"
}
_END_PUNCT = "\"'.,;:!? "
_WORD_EDGES = "\"'.,;:!?/&-"
_SPACE = re.compile(r"\s+")
_DROP = re.compile(r"[^\w\s.+^*/&'#]")
_ENUMERATORS = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())  # "(ii)"
_TRAILING_ENUMERATOR = re.compile(r"\s*\((?:[a-z]|i{1,3}|iv|vi{0,3}|ix|x)\)$")  # "method (a)"
_PREPOSITIONS = frozenset("of for in on with from via using by under over at".split())

# Step 7: generic heads dropped after a name ("BERT model", "Marching Cubes algorithm",
# "Criteo dataset") or, for procedures, after a nominalisation ("sketching technique").
_PROCEDURE_HEADS = frozenset(
    "method technique approach scheme strategy procedure algorithm".split()
)
_MODEL_HEADS = frozenset("model architecture framework network".split())
_NAME_HEADS = _PROCEDURE_HEADS | _MODEL_HEADS | {"optimizer", "dataset", "benchmark", "corpus"}
_NOMINAL = ("ing", "tion", "sion", "ment")
_NOT_NOMINAL = frozenset("function direction position question condition equation section".split())
_DIMENSION = re.compile(r"\d+D")  # "3D model" keeps its head

def _visible(char: str) -> str:
    """Control characters become spaces; format characters (soft hyphen, ZWJ) vanish."""
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    return " " if category[0] == "C" else char


def normalize_text(text: str) -> str:
    """Return ``text`` NFKC-normalised, with plain quotes and dashes, single-spaced, trimmed.

    Examples
    --------
    >>> normalize_text("  \u201cSelf\u2013Attention\u201d  layers. ")
    'Self-Attention" layers'
    >>> normalize_text('Diffusion~models~'), normalize_text('Schr\\\\"odinger Bridges')
    ('Diffusion models', 'Schrödinger Bridges')
    """
    text = latex_accents(text).replace("~", " ")
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    if not text.isprintable():  # only then can a control or format character be there
        text = "".join(_visible(c) for c in text)
    text = _SPACE.sub(" ", text).strip(_END_PUNCT)
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip(_END_PUNCT)
    if text.startswith("(") and ")" not in text:
        text = text[1:].lstrip()
    if text.endswith(")") and "(" not in text:
        text = text[:-1].rstrip()
    return text


def _fold_phrase(words: list[str]) -> str:
    return " ".join(words).casefold().replace("-", " ")


def _is_title_word(word: str) -> bool:
    """A capitalised word that is not an acronym: "Monte", "Coarse-to-Fine", not "LLMs"."""
    return word[:1].isupper() and all(
        not any(c.isupper() for c in part[1:]) for part in word.split("-")
    )


def strip_modifiers(words: list[str]) -> list[str]:
    """Return ``words`` without leading determiners, possessives and evaluatives.

    An evaluative stays when it names something ("novel view synthesis") or when it is
    capitalised and the next word is a capitalised, non-acronym word, so title-case names
    keep it ("Efficient Coarse-to-Fine Layer-Wise Pruning"); a sentence-initial
    "State-of-the-art models" loses it.

    Parameters
    ----------
    words:
        Whitespace-separated words, as written.

    Returns
    -------
    list[str]
        The remaining words; possibly empty.

    Examples
    --------
    >>> strip_modifiers("our novel state-of-the-art LLMs".split())
    ['LLMs']
    >>> strip_modifiers("novel view synthesis".split())
    ['novel', 'view', 'synthesis']
    >>> strip_modifiers("Efficient Coarse-to-Fine Pruning".split())
    ['Efficient', 'Coarse-to-Fine', 'Pruning']
    """
    words = list(words)
    while words:
        for n in (4, 3, 2, 1):
            if len(words) < n:
                continue
            phrase = _fold_phrase(words[:n])
            if phrase in DETERMINERS:
                break
            if phrase in EVALUATIVES and _evaluative_applies(words, n):
                break
        else:
            return words
        words = words[n:]
    return words


def _evaluative_applies(words: list[str], n: int) -> bool:
    rest = words[n:]
    if not rest:
        return True
    if _fold_phrase(words[:n]) in ("novel", "new") and rest[0].casefold() in _NAMED_AFTER_NOVEL:
        return False
    if words[0][:1].isupper() and _is_title_word(rest[0]):
        return False
    return True


def fold_case(word: str) -> str:
    """Return ``word`` lower-cased, unless it is an acronym or a mixed-case name.

    Examples
    --------
    >>> [fold_case(w) for w in ["BERT", "NeRF", "LLMs", "fBM", "Retrieval", "Adam", "T5"]]
    ['BERT', 'NeRF', 'LLMs', 'fBM', 'retrieval', 'adam', 't5']
    """
    if any(c.isupper() for c in word[1:]):
        return word
    return word.casefold()


def _key_words(text: str, *, for_key: bool = False) -> list[str]:
    """Text after steps 1-3 of the key, as whitespace words.

    For a key, punctuation that the key drops (all but ``- . + ^ * / & ' #``) separates
    words before the modifiers are stripped, so "A\u00a1 LLM" loses its "A" as "A LLM" does.
    """
    text = _TRAILING_ENUMERATOR.sub("", normalize_text(text))
    definition = whole_definition(text)
    if definition is not None:
        text = normalize_text(definition.long)
    if for_key:
        text = _DROP.sub(lambda match: match.group() if match.group() == "-" else " ", text)
    words = [word.strip(_WORD_EDGES) for word in text.split()]
    words = [word for word in words if any(c.isalnum() for c in word)]
    return strip_modifiers(words)


def concept_key(text: str) -> str:
    """Return the canonical key of a surface form ("" when nothing meaningful is left).

    Parameters
    ----------
    text:
        A mention's surface form, as written.

    Returns
    -------
    str
        Space-separated words: acronyms and mixed-case names keep their case, every other
        word is lower case, the head noun is singular. See the module docstring.

    Examples
    --------
    >>> concept_key("Graph  Neural Networks") == concept_key("graph neural networks")
    True
    >>> concept_key("Retrieval-Augmented") == concept_key("retrieval  augmented")
    True
    >>> [concept_key(t) for t in ["GPT-4", "GPT-3.5", "the NeRFs", "Mixture of Experts"]]
    ['GPT 4', 'GPT 3.5', 'NeRF', 'mixture of expert']
    >>> [concept_key(t) for t in ["MATH", "math", "our novel", "(a)", "optimisation"]]
    ['MATH', 'math', '', '', 'optimization']
    """
    return _cached_key(text)


#: Distinct surface forms whose keys are remembered: a corpus repeats its forms, and
#: resolution keys each mention more than once.
_CACHE_SIZE = 1 << 18


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_key(text: str) -> str:
    key = _key_once(text)
    for _ in range(4):  # a key is its own key; odd punctuation may take a second pass
        again = _key_once(key)
        if again == key:
            break
        key = again
    return key


def _key_once(text: str) -> str:
    """One pass of steps 1-8 of :func:`concept_key`."""
    tokens: list[str] = []
    written: list[str] = []  # each token as written, before case folding
    heads: list[int] = []  # the last token of each phrase that a preposition follows
    prepositions: set[int] = set()  # tokens that are stand-alone prepositions
    for word in _key_words(text, for_key=True):
        if word.casefold() in _PREPOSITIONS and tokens:
            heads.append(len(tokens) - 1)
            prepositions.add(len(tokens))
            tokens.append(word.casefold())
            written.append(word)
            continue
        if "-" in word and word.split("-", 1)[0].casefold() in _STICKY:
            # "all-reduce", "any-order": a determiner-like first part keeps its hyphen
            pieces = (_DROP.sub("", piece) for piece in word.split("-"))
            part = "-".join(fold_case(piece) for piece in pieces if piece)
            written.append(word)
            tokens.append(part)
            continue
        for part in _DROP.sub(" ", word.replace("-", " ")).split():
            part = part.strip(".'/&")
            if not any(c.isalnum() for c in part):
                continue
            written.append(part)
            # a capital letter alone keeps its case after the first word ("PaLM 2-L")
            part = part if (len(part) == 1 and tokens) else fold_case(part)
            tokens.append(american(part) if part.islower() else part)
    while tokens and len(tokens) - 1 in prepositions:  # "learning with" -> "learning"
        prepositions.discard(len(tokens) - 1)
        tokens.pop()
        written.pop()
        heads = [h for h in heads if h < len(tokens)]
    if not any(c.isalpha() for t in tokens for c in t) or " ".join(tokens) in _ENUMERATORS:
        return ""
    while _generic_head_goes(tokens, written):
        tokens.pop()
        written.pop()
    for index in sorted({*heads, len(tokens) - 1}):
        if index < len(tokens):
            before, dash, last = tokens[index].rpartition("-")
            tokens[index] = before + dash + american(singular(last))
    return " ".join(tokens)


def _generic_head_goes(tokens: list[str], written: list[str]) -> bool:
    """Whether the last token is a generic head after a name (step 8 of the key)."""
    if len(tokens) < 2 or singular(tokens[-1]) not in _NAME_HEADS or tokens[-2] in _PREPOSITIONS:
        return False
    head, before, first = singular(tokens[-1]), written[-2], len(tokens) == 2
    kept_case = before == tokens[-2] and any(c.isupper() for c in before)
    if kept_case or any(c.isdigit() for c in before):  # acronym, mixed-case name, number
        return not _DIMENSION.fullmatch(before)
    if head in _MODEL_HEADS:
        return False
    if before[:1].isupper() and written[-1][:1].islower() and not first:
        return not before.endswith("'s")  # "Marching Cubes algorithm", not "Newton's method"
    before = before.casefold()
    return head in _PROCEDURE_HEADS and before.endswith(_NOMINAL) and before not in _NOT_NOMINAL


def compact_key(key: str) -> str:
    """Return ``key`` without spaces and hyphens: keys equal here are spelling variants.

    :mod:`paperkg.extract.concepts.resolve` merges them ("pre training" / "pretraining", "GPT 4" / "GPT4").

    >>> compact_key("pre training") == compact_key("pretraining")
    True
    """
    return key.replace(" ", "").replace("-", "")


def display_label(text: str, *, sentence_initial: bool = False) -> str:
    """Return ``text`` as a display label.

    NFKC, plain quotes and dashes, single spaces, trimmed punctuation; a whole definition
    shows its long form; leading determiners and evaluatives are stripped as in
    :func:`concept_key`. With ``sentence_initial`` the first word's capital is lowered,
    unless the word is an acronym or mixed-case ("LLMs", "ResNet") or the next word is
    capitalised too (a title-case name such as "Monte Carlo Tree Search").

    Parameters
    ----------
    text:
        A mention's surface form.
    sentence_initial:
        Whether the surface form starts a sentence in its text.

    Returns
    -------
    str
        The label; "" when nothing is left.

    Examples
    --------
    >>> display_label("  the   Graph Neural Networks ")
    'Graph Neural Networks'
    >>> display_label("Large language models (LLMs)", sentence_initial=True)
    'large language models'
    >>> display_label("Monte Carlo Tree Search", sentence_initial=True)
    'Monte Carlo Tree Search'
    """
    return _cached_label(text, sentence_initial)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_label(text: str, sentence_initial: bool) -> str:
    original = normalize_text(text).split(" ")
    words = _key_words(text)
    if not words:
        return ""
    first = words[0]
    if (
        sentence_initial
        and words[0] == original[0]
        and first[:1].isupper()
        and len(first.split("-")[0]) > 1  # "Q-learning" keeps its capital
        and not any(c.isupper() for c in first[1:])
        and not (len(words) > 1 and words[1][:1].isupper())
    ):
        words[0] = first[0].lower() + first[1:]
    return " ".join(words)
