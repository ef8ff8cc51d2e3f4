"""paperkg's own spaCy pipeline components, registered on import.

``paperkg_mention_filter`` runs after ``ner`` and cleans its entities for the knowledge graph:

* a span that starts inside a hyphenated compound takes the whole compound ("Bench" of
  "Easy2Hard-Bench" -> "Easy2Hard-Bench");
* leading determiners and possessives are trimmed ("the SQuAD dataset" -> "SQuAD dataset",
  "our ResNet" -> "ResNet"), as the seed-gold guidelines drop them from concept names;
* a DATASET span made of a name and a trailing dataset cue loses the cue ("SQuAD dataset" ->
  "SQuAD", "Pascal VOC benchmark" -> "Pascal VOC"), the convention of GSAP-NER and SciER; a
  descriptive one keeps it ("dance-music dataset");
* a span cut mid-phrase or carrying residue is cleaned at token boundaries
  (:func:`paperkg.extract.concepts.surface.clean_bounds`: dangling "of" / "from" at an edge,
  unbalanced brackets, tildes); a span with LaTeX or math markup ("64{times}64") or an author
  name before a citation ("Barron [1993]", "Smith et al.") is dropped;
* generic mentions are dropped: vague nouns ("our proposed method", "the dataset", "training
  data"), umbrella terms ("deep neural networks", "machine learning", a bare "reasoning") and
  metrics ("FID", "BLEU-4"), as judged by :func:`paperkg.extract.concepts.generic.generic_kind`;
* adjectival mentions ending in "-based", "-like", "-driven", ... are dropped.

The generic terms are paperkg's one list (``extract/concepts/data/generic_terms.txt``), read
through :mod:`paperkg.extract.concepts.generic`, which concept resolution reads too; the
component stores no copy of it. Pipelines saved before this held a copy in
``paperkg_mention_filter/terms.json``; it is ignored on load. ``__init__`` does no I/O. The
steps are pure functions, usable alone.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("We compare our method with the BERT model on the dataset .")
>>> doc.ents = [Span(doc, 2, 4, "METHOD"), Span(doc, 5, 8, "METHOD"), Span(doc, 9, 11, "DATASET")]
>>> [(e.text, e.label_) for e in filter_mentions(doc.ents)]
[('BERT model', 'METHOD')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.concepts.generic import generic_kind
from paperkg.extract.concepts.surface import clean_bounds, has_markup, is_citation_name

__all__ = [
    "ADJECTIVE_ENDINGS",
    "build_gazetteer",
    "clean_span",
    "DATASET_CUES",
    "LEADING_WORDS",
    "MentionFilter",
    "filter_mentions",
    "is_generic",
    "is_name",
    "join_hyphenated",
    "strip_dataset_cue",
    "trim_span",
]

#: Words trimmed from the start of a mention (determiners, possessives, quantifiers).
LEADING_WORDS: frozenset[str] = frozenset(
    "a an the our their its this these those that his her my your we such each every "
    "both any some all".split()
)


#: A mention whose last word ends so is an adjective ("Transformer-based"), not a concept.
ADJECTIVE_ENDINGS: tuple[str, ...] = ("-based", "-like", "-driven", "-style", "-inspired")

#: Trailing words stripped from a named DATASET span.
DATASET_CUES: frozenset[str] = frozenset(
    "dataset datasets data-set benchmark benchmarks corpus corpora database".split()
)


def is_name(word: str) -> bool:
    """Return whether a word looks like a name: a digit, or a capital after its first letter.

    Examples
    --------
    >>> [is_name(w) for w in ("SQuAD", "CIFAR-10", "VOC", "WMT14", "Pascal", "the", "x")]
    [True, True, True, True, False, False, False]
    """
    return len(word) > 1 and (any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]))


def strip_dataset_cue(span: Span, cues: frozenset[str] = DATASET_CUES) -> Span:
    """Return a DATASET span without its trailing cue word when the rest holds a name.

    Parameters
    ----------
    span:
        An entity span.
    cues:
        Lowercase cue words.

    Returns
    -------
    Span
        ``span[:-1]`` (same label and id) for a DATASET span of two or more tokens whose last
        token is a cue (or ``span[:-2]`` for "data set") and whose other tokens include a name (:func:`is_name`) and are all
        capitalised, names or digits; otherwise ``span`` itself.
    """
    if span.label_ != "DATASET" or len(span) < 2:
        return span
    if len(span) > 2 and span[-2].lower_ == "data" and span[-1].lower_ == "set":
        rest = span[:-2]
    elif span[-1].lower_ in cues:
        rest = span[:-1]
    else:
        return span
    if not any(is_name(t.text) for t in rest):
        return span
    if not all(t.text[:1].isupper() or t.text[:1].isdigit() or t.is_punct for t in rest):
        return span
    return Span(span.doc, rest.start, rest.end, label=span.label, span_id=span.id)


def _singular(word: str) -> str:
    """Return ``word`` without a plural ``s``/``es`` ending (a crude, dictionary-free stem)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def trim_span(span: Span, leading: frozenset[str] = LEADING_WORDS) -> Span | None:
    """Return ``span`` without leading determiners/possessives and edge punctuation.

    Parameters
    ----------
    span:
        An entity span.
    leading:
        Lowercase words to trim from the start.

    Returns
    -------
    Span | None
        The trimmed span (same label and id), or ``None`` if nothing is left.
    """
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in leading or doc[start].is_punct
                           and doc[start].text not in "([{"):
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in ")]}":
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, span_id=span.id)


def is_generic(words: Iterable[str], terms: set[str] | frozenset[str]) -> bool:
    """Return whether every word is a generic term (case- and plural-insensitive).

    Parameters
    ----------
    words:
        The words of a mention.
    terms:
        Lowercase generic terms.

    Returns
    -------
    bool
        ``True`` when all words are generic, or when no word has a letter.

    Examples
    --------
    >>> is_generic(["proposed", "Methods"], {"proposed", "method"})
    True
    >>> is_generic(["graph", "neural", "networks"], {"neural", "network"})
    False
    >>> is_generic(["deep-learning", "models"], {"deep", "learning", "model"})
    True
    """
    words = [w.lower() for w in words]
    if not any(ch.isalpha() for w in words for ch in w):
        return True

    def generic(word: str) -> bool:
        if word in terms or _singular(word) in terms or not any(ch.isalnum() for ch in word):
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(generic(p) for p in parts if p)

    return all(generic(w) for w in words)


#: Hyphens that join two words with no space ("Easy2Hard-Bench").
_JOINING_HYPHENS = frozenset("-\u2010\u2011")


def join_hyphenated(span: Span) -> Span:
    """Return ``span`` widened over the parts of the hyphenated compound it cuts.

    The tokenizer splits a hyphenated compound into words and hyphens, and a model may tag
    only a part of it: "Bench" of "Easy2Hard-Bench", "attention" of "self-attention". The
    span then starts at the compound's first word. It ends at the compound's last word when
    its own last word crosses one of the compound's hyphens ("LLM-as" of "LLM-as-a-judge");
    otherwise the right side is left as it is: "BERT" of "BERT-based" is the name, and
    "gradient-based algorithm" of "gradient-based algorithm-termed" (a dash written as a
    hyphen) ends at "algorithm".

    >>> import spacy
    >>> doc = spacy.blank("en")("We release Easy2Hard-Bench today .")
    >>> [join_hyphenated(Span(doc, i, 5, "DATASET")).text for i in (4, 3)]  # "Bench", "-Bench"
    ['Easy2Hard-Bench', 'Easy2Hard-Bench']
    >>> doc = spacy.blank("en")("An LLM-as-a-judge and BERT-based models")
    >>> [join_hyphenated(Span(doc, 1, 4, "METHOD")).text, join_hyphenated(Span(doc, 9, 10, "METHOD")).text]
    ['LLM-as-a-judge', 'BERT']
    """
    doc, start, end = span.doc, span.start, span.end
    if start + 1 < end and _joins(doc, start):
        start += 1  # "-Bench": the span starts at the hyphen itself
    while start >= 2 and _joins(doc, start - 1):
        start -= 2
    last_word = end - 1  # the span's last word as written (tokens with no space between)
    while last_word > span.start and not doc[last_word - 1].whitespace_:
        last_word -= 1
    if any(_joins(doc, i) for i in range(last_word + 1, end - 1)):
        while end + 1 < len(doc) and _joins(doc, end):
            end += 2
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, span_id=span.id)


def _joins(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a hyphen joining the words on either side with no space."""
    return (0 < i < len(doc) - 1 and doc[i].text in _JOINING_HYPHENS
            and not doc[i - 1].whitespace_ and not doc[i].whitespace_
            and any(ch.isalnum() for ch in doc[i - 1].text)
            and any(ch.isalnum() for ch in doc[i + 1].text))


def clean_span(span: Span) -> Span | None:
    """Return ``span`` cleaned at token boundaries, or ``None`` when it is residue.

    The clean part (:func:`paperkg.extract.concepts.surface.clean_bounds`) is taken when it
    falls on token boundaries ("Masked Generative Modeling of" -> "Masked Generative
    Modeling"); when it cuts a token ("Transformers(ViT") the span stays as it is and concept
    resolution cuts the mention by character. A span with markup or an author name before a
    citation is ``None``.
    """
    text = span.text
    # The 40 characters after the span, from the tokens that follow it (doc.text would
    # join every token of the doc again for each span).
    after = (span[-1].whitespace_ + span.doc[span.end:span.end + 40].text_with_ws)[:40]
    if has_markup(text) or is_citation_name(text, after):
        return None
    lo, hi = clean_bounds(text)
    if lo >= hi:
        return None
    if (lo, hi) == (0, len(text)):
        return span
    cut = span.doc.char_span(span.start_char + lo, span.start_char + hi, label=span.label,
                             span_id=span.id)
    return span if cut is None else cut


def filter_mentions(
    spans: Iterable[Span],
    terms: set[str] | frozenset[str] | None = None,
    leading: frozenset[str] = LEADING_WORDS,
    *,
    kind: Callable[[str], str] = generic_kind,
) -> list[Span]:
    """Trim and clean each span; drop residue, generic and adjectival ones.

    Parameters
    ----------
    spans:
        Entity spans of one doc.
    terms:
        Extra lowercase generic words: a span made only of these (:func:`is_generic`) is
        dropped too. ``None`` (the default) adds none.
    leading:
        Words trimmed from the start of a span.
    kind:
        The generic judge of a span's text (default
        :func:`paperkg.extract.concepts.generic.generic_kind`, the one list).

    Returns
    -------
    list[Span]
        The kept spans, in order (:func:`join_hyphenated`, :func:`trim_span`,
        :func:`strip_dataset_cue`, :func:`clean_span`).
    """
    kept: list[Span] = []
    for span in spans:
        span = join_hyphenated(span)
        if kept and kept[-1].end > span.start:
            # The compound's first part was a span of its own ("Easy2Hard" METHOD, "Bench"
            # DATASET): one span now, typed by its last part, the compound's head.
            span = Span(span.doc, kept.pop().start, span.end, label=span.label, span_id=span.id)
        trimmed = trim_span(span, leading)
        if trimmed is None or len(trimmed.text) < 2:
            continue
        trimmed = clean_span(strip_dataset_cue(trimmed))
        if trimmed is None:
            continue
        words = trimmed.text.split()
        if kind(trimmed.text) or words[-1].lower().endswith(ADJECTIVE_ENDINGS):
            continue
        if terms and is_generic(words, terms):
            continue
        kept.append(trimmed)
    return kept


class MentionFilter:
    """Pipeline component: :func:`filter_mentions` over ``doc.ents``.

    It holds no data: the generic terms are read through
    :mod:`paperkg.extract.concepts.generic` (one list for the filter and resolution), so a
    saved pipeline always uses the installed package's list. A ``terms.json`` that older
    pipelines saved beside the component is ignored.
    """

    def __init__(self, nlp: Language, name: str = "paperkg_mention_filter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = filter_mentions(doc.ents)
        return doc

    def initialize(
        self,
        get_examples: Callable[[], Iterable] | None = None,
        *,
        nlp: Language | None = None,
        terms: Iterable[str] = (),
    ) -> None:
        """Nothing to set up: ``terms`` is accepted for older assembly code and ignored."""

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b"{}"

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "MentionFilter":
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write nothing: the component has no state of its own."""

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "MentionFilter":
        """Load nothing; an older pipeline's ``terms.json`` copy is ignored."""
        return self


def build_gazetteer(
    corpora: str | Path,
    label: str,
    *,
    generic_terms: Iterable[str] = (),
    min_count: int = 2,
    max_words: int = 5,
) -> list[dict]:
    """Return span-ruler patterns for the gold names of one type in the corpora's train splits.

    A gold string becomes a pattern when it occurs ``min_count`` times or more, is mostly
    annotated with ``label`` (more often than with any other type), has at most ``max_words``
    tokens, starts with a capital or digit, is not generic, and, for METHOD and DATASET,
    holds a name-like token (:func:`is_name`) or is a single capitalised
    word seen 5 times or more. Measured on dev and *not* shipped (docs/model_card.md). METHOD / DATASET names match case-sensitively (``ORTH``), TASK
    phrases case-insensitively (``LOWER``). Spaced hyphens of the source tokenisation
    ("R - CNN") are rejoined; strings with spaced digits ("CIFAR - 1 0"), brackets or quotes
    are skipped.

    Parameters
    ----------
    corpora:
        The corpora folder (only ``train.jsonl`` files are read).
    label:
        METHOD, DATASET or TASK.
    generic_terms:
        Generic words (``extract/concepts/data/generic_terms.txt``): all-generic strings are skipped.
    min_count, max_words:
        Thresholds, see above.

    Returns
    -------
    list[dict]
        Token patterns with ``id`` ``"gazetteer:<label>"``, sorted by text.
    """
    import re

    import spacy

    from paperkg.extract.ner.corpora import gold_names

    counts = gold_names(corpora)
    terms = frozenset(t.lower() for t in generic_terms)
    tokenizer = spacy.blank("en").tokenizer
    patterns: dict[str, dict] = {}
    for text, n in counts.get(label, {}).items():
        if n < min_count or re.search(r"\d \d|[()\[\]{}'\"]", text):
            continue
        if any(counts[other].get(text, 0) >= n for other in counts if other != label):
            continue
        clean = re.sub(r" ?- ?", "-", text) if " - " in text else text
        words = [t.text for t in tokenizer(clean)]
        if not words or len(words) > max_words or not (clean[0].isupper() or clean[0].isdigit()) and label != "TASK":
            continue
        if is_generic(words, terms):
            continue
        if label != "TASK" and not (any(is_name(w) for w in words) or len(words) == 1 and n >= 5):
            continue
        attr = "LOWER" if label == "TASK" else "ORTH"
        key = clean.lower() if label == "TASK" else clean
        patterns[key] = {"label": label, "id": f"gazetteer:{label.lower()}",
                         "pattern": [{attr: w.lower() if attr == "LOWER" else w} for w in words]}
    return [patterns[k] for k in sorted(patterns)]


@Language.factory("paperkg_mention_filter")
def make_mention_filter(nlp: Language, name: str) -> MentionFilter:
    """Create the mention filter (its generic terms: :mod:`paperkg.extract.concepts.generic`)."""
    return MentionFilter(nlp, name)
