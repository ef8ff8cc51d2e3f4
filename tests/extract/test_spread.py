"""Corpus matches: the indexed search finds what trying every form at every word finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from paperkg.extract.concepts import spread
from paperkg.extract.concepts.spread import CORPUS_MATCH, spread_mentions
from paperkg.extract.records import FIELDS, Mention, Paper


def naive_spread(papers, mentions, types, labels=None):
    """The plain algorithm: at each word, try every form whose first word is the word's."""
    forms = {}
    written = [(" ".join(m.text.split()), m.concept) for m in mentions]
    written += sorted((" ".join(label.split()), key) for key, label in (labels or {}).items())
    for text, concept in written:
        if concept in types and spread.distinctive(text):
            forms.setdefault(text, concept)
    by_first = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        pattern = re.compile(spread._pattern(form) + r"(?![\w-])")
        by_first.setdefault(form.split()[0].casefold(), []).append((form, pattern))
    taken = {}
    for m in mentions:
        taken.setdefault((m.paper_id, m.field), []).append((m.start, m.end))
    found = []
    for paper in papers:
        for field in FIELDS:
            text = paper.text_of(field)
            spans = taken.get((paper.id, field), [])
            for word in spread._WORD.finditer(text):
                for form, pattern in by_first.get(word.group().rstrip(spread._TRAILING).casefold(), []):
                    match = pattern.match(text, word.start())
                    if match:
                        break
                else:
                    continue
                start, end = match.span()
                if any(start < e and s < end for s, e in spans):
                    continue
                bounds = spread._sentence_bounds(text, start, end)
                found.append((paper.id, field, start, end, text[start:end], forms[form],
                              text[bounds[0]:bounds[1]].strip()))
                spans.append((start, end))
    return found


def as_rows(found):
    return [(m.paper_id, m.field, m.start, m.end, m.text, m.concept, m.sentence) for m in found]


# Words that share first words and stems, differ in case, plural, punctuation and in the
# characters a case-insensitive match takes as equal (ſ/s, ı/İ/i, K/K, ß/ẞ, σ/ς/Σ).
WORDS = ["diffusion", "Diffusion", "DIFFUSION", "diffuſion", "model", "models", "Models",
         "modelss", "model-based", "model.", "models,", "ResNet-50", "resnet-50", "GSM8K",
         "gsm8k", "s", "S", "ſ", "İt", "it", "ıt", "Kelvin", "kelvin", "ß", "ẞ", "Σς", "σσ",
         "net", "nets", "graph", "neural", "network", "networks", "(graph", "graph)", "a/b",
         "b", "x_y", "x-y", "vitamin", "LLMs", "LLM", "2D", "Score", "score"]
SPACES = [" ", "  ", "\n", "\t", "\u2028", "\x1c", "\xa0"]


@st.composite
def corpora(draw):
    def phrase(max_words):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=max_words))
        out = words[0]
        for word in words[1:]:
            out += draw(st.sampled_from(SPACES)) + word
        return out

    papers = [Paper(f"p{i}", phrase(4), phrase(30)) for i in range(draw(st.integers(1, 4)))]
    mentions, types = [], {}
    for i in range(draw(st.integers(1, 12))):
        paper = draw(st.sampled_from(papers))
        field = draw(st.sampled_from(FIELDS))
        text = paper.text_of(field)
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        concept = f"c{i % 5}"
        types[concept] = "METHOD"
        mentions.append(Mention(paper.id, field, start, end, text[start:end], "METHOD", 1.0,
                                "", concept, ""))
    labels = {f"c{i}": phrase(3) for i in range(draw(st.integers(0, 5)))}
    return papers, mentions, types, labels


@settings(max_examples=400, deadline=None)
@given(corpora())
def test_spread_index_finds_what_every_form_finds(corpus):
    papers, mentions, types, labels = corpus
    found = spread_mentions(papers, mentions, types, labels)
    assert as_rows(found) == naive_spread(papers, mentions, types, labels)
    assert all(m.rule == CORPUS_MATCH and m.score == 0.0 for m in found)


def test_spread_plural_and_case_variants_of_the_last_word():
    papers = [Paper("a", "T", "We use Diffusion  Models, graph neural networks and ResNet-50s."),
              Paper("b", "U", "diffusion model-based x; diffuſion modelſ. Graph Neural Network")]
    seen = [Mention("a", "title", 0, 1, "T", "METHOD", 1.0, "", "x", "")]
    labels = {"d": "diffusion models", "g": "graph neural network", "r": "ResNet-50"}
    types = {"d": "METHOD", "g": "METHOD", "r": "METHOD", "x": "METHOD"}
    found = spread_mentions(papers, seen, types, labels)
    assert [(m.paper_id, m.text, m.concept) for m in found] == [
        ("a", "Diffusion  Models", "d"), ("a", "graph neural networks", "g"),
        ("b", "diffuſion modelſ", "d"), ("b", "Graph Neural Network", "g"),
    ]
    assert as_rows(found) == naive_spread(papers, seen, types, labels)


def test_spread_sentences_are_shared_between_matches_of_one_sentence():
    paper = Paper("a", "T", "Diffusion models and graph neural networks. Other.")
    seen = [Mention("a", "title", 0, 1, "T", "METHOD", 1.0, "", "x", "")]
    types = dict.fromkeys("dgx", "METHOD")
    found = spread_mentions([paper], seen, types, {"d": "diffusion models", "g": "graph neural networks"})
    assert [m.sentence for m in found] == ["Diffusion models and graph neural networks."] * 2
    assert found[0].sentence is found[1].sentence


def test_spread_form_ending_in_a_lone_plural_s_matches_as_its_pattern_does():
    # "vitamin s" is caseless: its pattern is "vitamin\s+s?" then no word character, which
    # matches "vitamin " before a second space or a bracket, and "vitamin s" itself.
    paper = Paper("a", "T", "We add vitamin  C, vitamin (x), vitamin s and vitamin C.")
    seen = [Mention("a", "title", 0, 1, "T", "METHOD", 1.0, "", "x", "")]
    types = {"v": "METHOD", "x": "METHOD"}
    found = spread_mentions([paper], seen, types, {"v": "vitamin s"})
    assert [(m.start, m.text) for m in found] == [(7, "vitamin "), (19, "vitamin "), (32, "vitamin s")]
    assert as_rows(found) == naive_spread([paper], seen, types, {"v": "vitamin s"})
